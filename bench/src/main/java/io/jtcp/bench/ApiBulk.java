package io.jtcp.bench;

import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.link.MemoryNetwork;
import io.jtcp.nio.JtcpSelectorProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * {@link Bulk}'s transfer through what users program against: two {@link StackLoop}s on a
 * {@link MemoryNetwork}, a writer thread and a reader thread, through {@link TcpSocket}'s
 * ByteBuffer calls or through NIO socket channels of {@link JtcpSelectorProvider}. Same
 * sysctls and checksum offload as the engine-only figure, so the ratio is the cost of the
 * socket layer (loop round trips, thread hand-offs, copies).
 */
final class ApiBulk {
    private static final String SENDER = "10.0.0.1", RECEIVER = "10.0.0.2";
    private static final int PORT = 5001, CHUNK = 1 << 20;

    private ApiBulk() {}

    /** What a side of the transfer does with its connected socket. */
    private interface Endpoint {
        long read(ByteBuffer b) throws IOException;
        void write(ByteBuffer b) throws IOException;
    }

    /** Bytes per second through TcpSocket.read/write(ByteBuffer), heap buffers. */
    static double socket(long bytes, long seed) {
        return run(bytes, seed, false);
    }

    /** Bytes per second through blocking NIO SocketChannels, direct buffers (what NIO programs use). */
    static double channel(long bytes, long seed) {
        return run(bytes, seed, true);
    }

    private static double run(long bytes, long seed, boolean nio) {
        MemoryNetwork net = new MemoryNetwork();
        try (StackLoop a = StackLoop.builder("sender", SENDER).sysctls(Bulk.jumbo()).seed(seed).start(net);
             StackLoop b = StackLoop.builder("receiver", RECEIVER).sysctls(Bulk.jumbo()).seed(seed + 1).start(net)) {
            offload(a);
            offload(b);
            long start = System.nanoTime();
            Endpoint[] pair = nio ? channels(a, b) : sockets(a, b);
            CompletableFuture<Long> got = new CompletableFuture<>();
            Thread.ofPlatform().name("api-bulk-reader").start(() -> {
                ByteBuffer buf = nio ? ByteBuffer.allocateDirect(CHUNK) : ByteBuffer.allocate(CHUNK);
                long n = 0;
                try {
                    while (n < bytes) {
                        long r = pair[1].read(buf.clear());
                        if (r < 0) break;
                        n += r;
                    }
                    got.complete(n);
                } catch (Throwable t) {
                    got.completeExceptionally(t);
                }
            });
            ByteBuffer buf = nio ? ByteBuffer.allocateDirect(CHUNK) : ByteBuffer.allocate(CHUNK);
            for (long left = bytes; left > 0; left -= buf.limit()) {
                buf.clear().limit((int) Math.min(CHUNK, left));
                pair[0].write(buf);
            }
            if (got.join() < bytes) throw new IllegalStateException("the reader saw end of stream early");
            return bytes * 1e9 / (System.nanoTime() - start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same checksum offload as MemLink declares for the engine-only figure. */
    private static void offload(StackLoop loop) {
        loop.call(() -> {
            loop.stack().setChecksumOffload(true);
            return null;
        }).join();
    }

    private static Endpoint[] sockets(StackLoop a, StackLoop b) throws IOException {
        TcpServerSocket server = TcpServerSocket.listen(b, PORT, 8);
        CompletableFuture<TcpSocket> accepted = server.acceptAsync();
        TcpSocket out = TcpSocket.open(a);
        out.connect(RECEIVER, PORT);
        TcpSocket in = accepted.join();
        return new Endpoint[] {
            new Endpoint() {
                public long read(ByteBuffer buf) throws IOException { return out.read(buf); }
                public void write(ByteBuffer buf) throws IOException { out.write(buf); }
            },
            new Endpoint() {
                public long read(ByteBuffer buf) throws IOException { return in.read(buf); }
                public void write(ByteBuffer buf) throws IOException { in.write(buf); }
            }};
    }

    private static Endpoint[] channels(StackLoop a, StackLoop b) throws IOException {
        ServerSocketChannel server = new JtcpSelectorProvider(b).openServerSocketChannel().bind(new InetSocketAddress(RECEIVER, PORT));
        SocketChannel out = new JtcpSelectorProvider(a).openSocketChannel();
        out.connect(new InetSocketAddress(RECEIVER, PORT));
        SocketChannel in = server.accept();
        return new Endpoint[] {endpoint(out), endpoint(in)};
    }

    private static Endpoint endpoint(SocketChannel ch) {
        return new Endpoint() {
            public long read(ByteBuffer buf) throws IOException { return ch.read(buf); }
            public void write(ByteBuffer buf) throws IOException {
                while (buf.hasRemaining()) ch.write(buf);
            }
        };
    }
}
