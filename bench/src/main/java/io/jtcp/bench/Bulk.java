package io.jtcp.bench;

import io.jtcp.config.Sysctls;
import io.jtcp.host.Stack;
import io.jtcp.api.ErrnoException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** One connection moving {@code bytes} one way; returns bytes per second (wall time, connect to last byte read). */
final class Bulk {
    private Bulk() {}

    /** Fixed 4 MiB windows each way (tcp_rmem counts bookkeeping too, so its 8 MiB hold 4 MiB of payload). */
    static Sysctls jumbo() {
        return Sysctls.linux().set("mtu", "65535").set("tcp_rmem", "4096 8388608 8388608").set("tcp_wmem", "4096 4194304 4194304");
    }

    static double jtcp(long bytes, long seed) {
        MemLink link = MemLink.realTime();
        Sysctls cfg = jumbo();
        long now = link.now();
        Stack a = link.attach(new Stack("sender", Churn.CLIENT, cfg, link.sink(), seed, now));
        Stack b = link.attach(new Stack("receiver", Churn.SERVER, cfg, link.sink(), seed + 1, now));
        BulkHandlers.Reader reader = new BulkHandlers.Reader();
        BulkHandlers.Writer writer = new BulkHandlers.Writer(bytes);
        long start = System.nanoTime();
        try {
            b.listen(5001, (c, t) -> reader);
            a.connect(Churn.SERVER, 5001, writer, link.now());
        } catch (ErrnoException e) {
            throw new IllegalStateException(e);
        }
        while (reader.received < bytes) {
            link.drain();
            link.tick();
        }
        return bytes * 1e9 / (System.nanoTime() - start);
    }

    /** The baseline: NIO socket channels over the kernel's loopback, a reader thread and the calling thread writing. */
    static double jdk(long bytes) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            long start = System.nanoTime();
            Thread reader;
            try (SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
                SocketChannel in = server.accept();
                reader = Thread.ofPlatform().name("jdk-bulk-reader").start(() -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                    long got = 0;
                    try (in) {
                        while (got < bytes) {
                            int n = in.read(buf.clear());
                            if (n < 0) break;
                            got += n;
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                long left = bytes;
                while (left > 0) {
                    buf.clear().limit((int) Math.min(buf.capacity(), left));
                    while (buf.hasRemaining()) left -= out.write(buf);
                }
                reader.join();
            }
            return bytes * 1e9 / (System.nanoTime() - start);
        }
    }
}
