package io.jtcp.bench;

import io.jtcp.wire.IpAddress;
import io.jtcp.config.Sysctls;
import io.jtcp.host.AcceptHandler;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.shard.FlowHash;
import io.jtcp.shard.ShardedStacks;
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
import java.util.function.LongSupplier;

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
        final Stack client, server;
        private final LongSupplier clock;
        /** Delivers until the link is quiet (MemLink's or a shard queue's run). */
        private final Runnable deliver;
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

        static final Sysctls CFG = Sysctls.linux().set("ip_local_port_range", "1024 65535").set("tcp_max_tw_buckets", "16777216");

        /** Two stacks of their own on a MemLink. */
        JtcpPair(long seed) {
            this(MemLink.realTime(), seed);
        }

        private JtcpPair(MemLink link, long seed) {
            this(link.attach(new Stack("client", CLIENT, CFG, link.sink(), seed, link.now())),
                    link.attach(new Stack("server", SERVER, CFG, link.sink(), seed + 1, link.now())), link::now, link::run);
            try {
                for (int p = 0; p < PORTS; p++) server.listen(BASE_PORT + p, acceptor());
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Churn between {@code client} and {@code server}, whose listeners the caller opens with {@link #acceptor}. */
        JtcpPair(Stack client, Stack server, LongSupplier clock, Runnable deliver) {
            this.client = client;
            this.server = server;
            this.clock = clock;
            this.deliver = deliver;
        }

        /** What the server's listeners hand each connection to. */
        AcceptHandler acceptor() {
            return (c, t) -> serverHandler;
        }

        /** One whole connection, start to TIME_WAIT. */
        void once() {
            long before = completed;
            try {
                client.connect(SERVER, BASE_PORT + next++ % PORTS, clientHandler, clock.getAsLong());
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
            deliver.run();
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

    /**
     * Churn between two sharded hosts, one thread per shard: thread k drives shard k of the
     * client and of the server through queue k of the link. Both hosts hash with one seed
     * and the hash is symmetric, so a connection the client's shard k opens (its ephemeral
     * port chosen to hash to k) is owned by the server's shard k too, and nothing crosses
     * between threads unless steering has to carry it.
     */
    static final class ShardedPairs {
        final ShardedStacks client, server;
        private final JtcpPair[] pairs;

        ShardedPairs(int shards, long seed) {
            FlowHash hash = new FlowHash(seed);
            ShardLink[] links = new ShardLink[shards];
            for (int k = 0; k < shards; k++) links[k] = new ShardLink(k);
            long now = System.nanoTime();
            client = new ShardedStacks("client", CLIENT, JtcpPair.CFG, shards, hash, seed, now, k -> links[k].sink(), 1024);
            server = new ShardedStacks("server", SERVER, JtcpPair.CFG, shards, hash, seed + shards, now, k -> links[k].sink(), 1024);
            pairs = new JtcpPair[shards];
            for (int k = 0; k < shards; k++) {
                links[k].attach(client, CLIENT.v4());
                links[k].attach(server, SERVER.v4());
                pairs[k] = new JtcpPair(client.shard(k), server.shard(k), links[k]::now, links[k]::run);
            }
            try {
                for (int p = 0; p < PORTS; p++) server.listen(BASE_PORT + p, k -> pairs[k].acceptor());
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Connections per second of all shards together, each on its own thread, over {@code nanos}. */
        double rate(long nanos) {
            double[] rates = new double[pairs.length];
            Thread[] ts = new Thread[pairs.length];
            for (int k = 0; k < pairs.length; k++) {
                int shard = k;
                ts[k] = Thread.ofPlatform().name("churn-shard-" + k).start(() -> rates[shard] = pairs[shard].rate(nanos));
            }
            double sum = 0;
            for (int k = 0; k < ts.length; k++) {
                try {
                    ts[k].join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                sum += rates[k];
            }
            return sum;
        }

        /** Packets steered between shards so far (0 when the hash and the queues agree, as here). */
        long steered() {
            long n = 0;
            for (ShardedStacks h : new ShardedStacks[] {client, server}) {
                for (int k = 0; k < h.shards(); k++) n += h.steering().counters(k).forwarded;
            }
            return n;
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
