package io.jtcp.bench;

import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.ErrnoException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** One connection moving {@code bytes} one way; returns bytes per second (wall time, connect to last byte read). */
final class Bulk {
    private Bulk() {}

    static Sysctls jumbo() {
        return Sysctls.linux().set("mtu", "65535").set("tcp_rmem", "4194304").set("tcp_wmem", "4194304");
    }

    static double jtcp(long bytes, long seed) {
        MemLink link = MemLink.realTime();
        Sysctls cfg = jumbo();
        long now = link.now();
        Stack a = link.attach(new Stack("sender", Churn.CLIENT, cfg, link.sink(), seed, now));
        Stack b = link.attach(new Stack("receiver", Churn.SERVER, cfg, link.sink(), seed + 1, now));
        byte[] src = new byte[1 << 20];
        for (int i = 0; i < src.length; i++) src[i] = (byte) (i * 31);
        byte[] dst = new byte[1 << 20];
        long[] received = {0};
        long[] remaining = {bytes};
        SocketHandler reader = new SocketHandler() {
            @Override
            public void readable(Connection c, long t) {
                try {
                    for (int n; (n = c.receive(dst, 0, dst.length, t)) > 0; ) received[0] += n;
                } catch (ErrnoException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        SocketHandler writer = new SocketHandler() {
            @Override
            public void established(Connection c, long t) { writable(c, t); }

            @Override
            public void writable(Connection c, long t) {
                try {
                    while (remaining[0] > 0) {
                        int n = c.send(src, 0, (int) Math.min(src.length, remaining[0]), t);
                        if (n == 0) break;
                        remaining[0] -= n;
                    }
                } catch (ErrnoException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        long start = System.nanoTime();
        try {
            b.listen(5001, (c, t) -> reader);
            a.connect(Churn.SERVER, 5001, writer, link.now());
        } catch (ErrnoException e) {
            throw new IllegalStateException(e);
        }
        while (received[0] < bytes) {
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
