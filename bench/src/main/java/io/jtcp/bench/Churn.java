package io.jtcp.bench;

import io.jtcp.wire.IpAddress;
import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.tcp.Connection;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Connection churn: handshake, a 1-byte request, a 1-byte reply, close by the client
 * (which enters TIME_WAIT), one connection after the other.
 */
final class Churn {
    static final IpAddress CLIENT = IpAddress.parse("10.0.0.1"), SERVER = IpAddress.parse("10.0.0.2");
    /** 257 server ports, coprime with the 64,512 ephemeral ports: a 4-tuple comes back only after 16.6M connections. */
    static final int BASE_PORT = 10_000, PORTS = 257;

    private Churn() {}

    /** Two jtcp stacks on a synchronous in-memory link, driven by the calling thread. */
    static final class JtcpPair {
        final MemLink link = MemLink.realTime();
        final Stack client, server;
        private final byte[] one = {42};
        private final byte[] buf = new byte[64];
        long completed;
        private int next;

        private final SocketHandler clientHandler = new SocketHandler() {
            @Override
            public void established(Connection c, long now) {
                try {
                    c.send(one, 0, 1, now);
                } catch (ErrnoException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void readable(Connection c, long now) {
                try {
                    if (c.receive(buf, 0, buf.length, now) > 0) c.close(now);
                } catch (ErrnoException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void closed(Connection c, Errno error, long now) {
                if (error != null) throw new IllegalStateException("churn connection failed: " + error);
                completed++;
            }
        };

        private final SocketHandler serverHandler = new SocketHandler() {
            @Override
            public void readable(Connection c, long now) {
                try {
                    for (int n; (n = c.receive(buf, 0, buf.length, now)) != 0; ) {
                        if (n < 0) {
                            c.close(now);
                            return;
                        }
                        c.send(one, 0, 1, now);
                    }
                } catch (ErrnoException e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        JtcpPair(long seed) {
            Sysctls cfg = Sysctls.linux().set("ip_local_port_range", "1024 65535").set("tcp_max_tw_buckets", "16777216");
            long now = link.now();
            client = link.attach(new Stack("client", CLIENT, cfg, link.sink(), seed, now));
            server = link.attach(new Stack("server", SERVER, cfg, link.sink(), seed + 1, now));
            try {
                for (int p = 0; p < PORTS; p++) server.listen(BASE_PORT + p, (c, t) -> serverHandler);
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        }

        /** One whole connection, start to TIME_WAIT. */
        void once() {
            long before = completed;
            try {
                client.connect(SERVER, BASE_PORT + next++ % PORTS, clientHandler, link.now());
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
            link.run();
            if (completed != before + 1) throw new IllegalStateException("connection did not complete");
        }

        /** Connections per second over {@code nanos} of wall time. */
        double rate(long nanos) {
            long start = System.nanoTime(), end = start + nanos, n = 0, t;
            do {
                for (int i = 0; i < 64; i++) once();
                n += 64;
            } while ((t = System.nanoTime()) < end);
            return n * 1e9 / (t - start);
        }
    }

    /** The baseline: java.net sockets over the kernel's loopback, a server thread and the calling thread as client. */
    static final class JdkLoopback implements AutoCloseable {
        private final ServerSocket server;
        private final Thread serverThread;

        JdkLoopback() throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            serverThread = Thread.ofPlatform().daemon().name("jdk-churn-server").start(this::serve);
        }

        private void serve() {
            byte[] b = new byte[64];
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setTcpNoDelay(true);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    for (int n; (n = in.read(b)) > 0; ) out.write(b, 0, 1);
                } catch (IOException e) {
                    if (server.isClosed()) return;
                }
            }
        }

        void once() throws IOException {
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.connect(server.getLocalSocketAddress());
                s.getOutputStream().write(42);
                if (s.getInputStream().read() < 0) throw new IOException("no reply");
            }
        }

        double rate(long nanos) {
            try {
                long start = System.nanoTime(), end = start + nanos, n = 0, t;
                do {
                    for (int i = 0; i < 16; i++) once();
                    n += 16;
                } while ((t = System.nanoTime()) < end);
                return n * 1e9 / (t - start);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            serverThread.interrupt();
        }
    }
}
