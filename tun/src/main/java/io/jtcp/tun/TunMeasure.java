package io.jtcp.tun;

import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.config.Sysctls;
import io.jtcp.shard.ShardedHost;
import io.jtcp.shard.ShardedServerSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput and connection-rate measurements against the Linux kernel over a TUN
 * device, and the same measurements between two kernel sockets on the namespace's own
 * loopback (the baseline). One instance is one world: a fresh namespace
 * {@code jtcp-b<hex>}, a TUN device in it at one MTU with the kernel at 10.77.0.1/24
 * and jtcp at 10.77.0.2, and a {@link StackLoop} on it whose MSS follows the MTU (or, with
 * several shards, a {@link ShardedHost} with one shard per queue of a multi-queue device).
 * Every byte stays inside the namespace. {@link #close()} removes the device and the
 * namespace (the {@link NetNs} shutdown hook does it on Ctrl-C).
 *
 * <p>Each method moves or connects once and returns the rate; {@code jtcp bench tun}
 * (io.jtcp.bench.TunBench) runs them round after round. The kernel's end is always JDK
 * {@code java.net} sockets with the same 64 KiB writes and reads, so the TUN figures and
 * the loopback figures differ only in the path between the sockets.
 */
public final class TunMeasure implements AutoCloseable {
    public static final String JTCP = "10.77.0.2", KERNEL = "10.77.0.1";
    static final int JTCP_PORT = 7, KERNEL_PORT = 8080;
    private static final long WAIT_SECONDS = 120;
    private static final int BLOCK = 64 * 1024;
    private static final byte[] PATTERN = new byte[BLOCK];

    static {
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < PATTERN.length; i++) PATTERN[i] = (byte) r.nextInt();
    }

    private final TunHost host;
    /** jtcp's stack: the one loop, or every shard's. */
    private final List<StackLoop> loops;
    /** The sharded host, or null with one stack. */
    private final ShardedHost sharded;
    private final java.util.concurrent.atomic.AtomicInteger nextLoop = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Throwable> failures;
    private final Listener jtcpServer;
    private final ServerSocket kernelServer, loopbackServer;
    private volatile Mode serving = Mode.DRAIN;

    /** What the jtcp listener and the loopback listener do with an accepted connection. */
    private enum Mode { DRAIN, ECHO_ONE }

    /** jtcp's listener: one stack's, or the sharded host's merged one. */
    private interface Listener {
        TcpSocket accept() throws IOException;
        void close() throws IOException;
    }

    private TunMeasure(TunHost host, StackLoop loop, ShardedHost sharded, List<Throwable> failures) throws IOException {
        this.host = host;
        this.sharded = sharded;
        List<StackLoop> all = new java.util.ArrayList<>();
        if (sharded == null) all.add(loop);
        else for (int k = 0; k < sharded.shards(); k++) all.add(sharded.shard(k));
        this.loops = List.copyOf(all);
        this.failures = failures;
        NetNs ns = host.netns();
        // The connection-rate rounds open tens of thousands of kernel connections, each
        // leaving a TIME_WAIT: widen the ports and reuse TIME_WAIT ports in this namespace only.
        ns.call(() -> {
            Files.writeString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), "1024 65000");
            Files.writeString(Path.of("/proc/sys/net/ipv4/tcp_tw_reuse"), "1");
            return null;
        });
        if (sharded == null) {
            TcpServerSocket one = TcpServerSocket.listen(loop, JTCP_PORT, 4096);
            this.jtcpServer = new Listener() {
                public TcpSocket accept() throws IOException { return one.accept(); }
                public void close() throws IOException { one.close(); }
            };
        } else {
            ShardedServerSocket every = sharded.listen(JTCP_PORT, 4096);
            this.jtcpServer = new Listener() {
                public TcpSocket accept() throws IOException { return every.accept(); }
                // Closing the host fails the accept waiting here; ShardedServerSocket.close
                // would instead wait for the lock that waiting accept holds.
                public void close() { }
            };
        }
        this.kernelServer = ns.call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(KERNEL, KERNEL_PORT), 64);
            return s;
        });
        this.loopbackServer = ns.call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            return s;
        });
        Thread.ofPlatform().daemon().name("jtcp-measure-accept").start(this::serveJtcp);
        Thread.ofPlatform().daemon().name("jtcp-measure-loopback").start(this::serveLoopback);
    }

    /**
     * Why this machine cannot run the measurements (one sentence without the final full
     * stop), or null: needs root, /dev/net/tun and iproute2.
     */
    public static String whyNot() {
        try {
            String status = Files.readString(Path.of("/proc/self/status"));
            String uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: -1").split("\\s+")[1];
            if (!uid.equals("0")) return "needs root, for a network namespace and a TUN device (uid is " + uid + ")";
        } catch (IOException e) {
            return "cannot tell whether we are root: " + e.getMessage();
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) return "needs /dev/net/tun, and this machine has none";
        try {
            Ip.run("ip", "-V");
        } catch (IOException e) {
            return "needs iproute2 (ip): scripts/ensure-tools.sh iproute2";
        }
        return null;
    }

    /**
     * A fresh namespace with a TUN device at {@code mtu} and a jtcp stack on it; with
     * {@code shards} above 1, a device of that many queues and a sharded host on them.
     */
    public static TunMeasure open(int mtu, int shards) throws IOException {
        if (shards < 1) throw new IllegalArgumentException("shards must be at least 1: " + shards);
        NetNs ns = NetNs.create("jtcp-b");
        TunHost h;
        try {
            h = TunHost.open("jt0", List.of(JTCP + "/24"), List.of(KERNEL), mtu, ns, TunOffloads.TCP, shards);
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        try {
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            Sysctls cfg = Sysctls.linux().set("mtu=" + mtu);
            AutoCloseable jtcp = null;
            try {
                if (shards == 1) {
                    StackLoop l = StackLoop.builder("jtcp", JTCP).sysctls(cfg).failureHandler(failures::add).start(h.link());
                    jtcp = l;
                    return new TunMeasure(h, l, null, failures);
                }
                ShardedHost sh = ShardedHost.onQueues("jtcp", JTCP + "/24", h.queues(), cfg, new java.security.SecureRandom().nextLong());
                jtcp = sh;
                return new TunMeasure(h, null, sh, failures);
            } catch (IOException | RuntimeException e) {
                if (jtcp != null) closeQuietly(jtcp);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    /**
     * The largest MTU a TUN device takes here: the {@code maxmtu} that {@code ip -d link}
     * reports for one (65535 on Linux), read from a throw-away device in a throw-away namespace.
     */
    public static int largestMtu() throws IOException {
        NetNs ns = NetNs.create("jtcp-b");
        try (TunHost h = TunHost.open("jt0", JTCP + "/24", KERNEL, 1500, ns)) {
            Matcher m = Pattern.compile("maxmtu (\\d+)").matcher(h.exec("ip", "-d", "link", "show", "dev", h.device()));
            return m.find() ? Math.min(Integer.parseInt(m.group(1)), TunDevice.MAX_PACKET) : TunDevice.MAX_PACKET;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing
        }
    }

    public int mtu() { return host.mtu(); }
    /** jtcp's shards: one per queue of the device, 1 for a single stack. */
    public int shards() { return loops.size(); }
    /** Packets a shard took from its queue that another shard owned, moved to it so far (0 with one stack). */
    public long packetsSteered() {
        if (sharded == null) return 0;
        long n = 0;
        for (int k = 0; k < sharded.shards(); k++) n += sharded.steering().counters(k).forwarded;
        return n;
    }
    /** What the device agreed to (see {@link TunDevice#offloads()}). */
    public TunOffloads offloads() { return host.link().device().offloads(); }
    public String namespace() { return host.netnsName(); }

    /** {@code bytes} from a kernel socket to a jtcp socket over the device; bytes per second, first write to last byte read. */
    public double kernelToJtcp(long bytes) throws IOException {
        serving = Mode.DRAIN;
        Socket k = host.netns().call(() -> {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(JTCP, JTCP_PORT), 10_000);
            return s;
        });
        try (k) {
            return timed(bytes, k.getOutputStream(), k::shutdownOutput, lastDrained());
        }
    }

    /** {@code bytes} from a jtcp socket to a kernel socket over the device; bytes per second. */
    public double jtcpToKernel(long bytes) throws IOException {
        TcpSocket c = TcpSocket.open(loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size())));
        try {
            c.connect(KERNEL, KERNEL_PORT, Duration.ofSeconds(10));
            try (Socket k = kernelServer.accept()) {
                CompletableFuture<Long> got = CompletableFuture.supplyAsync(() -> drain(k));
                return timed(bytes, c.getOutputStream(), c::shutdownOutput, got);
            }
        } finally {
            c.close();
        }
    }

    /** The baseline: {@code bytes} between two kernel sockets on the namespace's loopback; bytes per second. */
    public double loopback(long bytes) throws IOException {
        serving = Mode.DRAIN;
        Socket k = host.netns().call(() -> new Socket(InetAddress.getLoopbackAddress(), loopbackServer.getLocalPort()));
        try (k) {
            return timed(bytes, k.getOutputStream(), k::shutdownOutput, lastDrained());
        }
    }

    /**
     * Connections per second for {@code nanos} of wall time, one after the other: a kernel
     * client connects to jtcp, sends one byte, reads the one-byte reply and closes (the
     * kernel's end enters TIME_WAIT); jtcp's end closes when it reads the FIN.
     */
    public double connectionsToJtcp(long nanos) throws IOException {
        serving = Mode.ECHO_ONE;
        return host.netns().call(() -> rate(new InetSocketAddress(JTCP, JTCP_PORT), nanos));
    }

    /** The baseline: the same connections between kernel sockets on the namespace's loopback. */
    public double connectionsOnLoopback(long nanos) throws IOException {
        serving = Mode.ECHO_ONE;
        return host.netns().call(() -> rate(new InetSocketAddress(InetAddress.getLoopbackAddress(), loopbackServer.getLocalPort()), nanos));
    }

    /** Failures the stack's loop reported; a measurement with any is not a figure. */
    public List<Throwable> failures() { return List.copyOf(failures); }

    // ---- the two ends ----

    private static double rate(InetSocketAddress to, long nanos) throws IOException {
        long start = System.nanoTime(), end = start + nanos, n = 0, t;
        do {
            for (int i = 0; i < 16; i++) {
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.connect(to, 10_000);
                    s.getOutputStream().write(42);
                    if (s.getInputStream().read() < 0) throw new IOException("no reply from " + to);
                }
            }
            n += 16;
        } while ((t = System.nanoTime()) < end);
        return n * 1e9 / (t - start);
    }

    private final java.util.concurrent.LinkedBlockingQueue<CompletableFuture<Long>> drained = new java.util.concurrent.LinkedBlockingQueue<>();

    /** The count of bytes the next connection the listeners accept will have read to EOF. */
    private CompletableFuture<Long> lastDrained() throws IOException {
        try {
            CompletableFuture<Long> f = drained.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (f == null) throw new IOException("no connection was accepted within " + WAIT_SECONDS + " s");
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void serveJtcp() {
        try {
            while (true) {
                TcpSocket t = jtcpServer.accept();
                serve(t.getInputStream(), t.getOutputStream(), t);
            }
        } catch (IOException | RuntimeException stop) {
            // the listener was closed
        }
    }

    private void serveLoopback() {
        try {
            while (true) {
                Socket s = loopbackServer.accept();
                s.setTcpNoDelay(true);
                serve(s.getInputStream(), s.getOutputStream(), s);
            }
        } catch (IOException stop) {
            // the listener was closed
        }
    }

    private void serve(InputStream in, OutputStream out, AutoCloseable conn) {
        if (serving == Mode.DRAIN) {
            CompletableFuture<Long> f = new CompletableFuture<>();
            drained.add(f);
            Thread.ofPlatform().daemon().name("jtcp-measure-drain").start(() -> {
                try (conn) {
                    f.complete(drain(in));
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
        } else {
            echoOne(in, out, conn);
        }
    }

    /**
     * The connection-rate server's side of one connection, on a virtual thread: echo the
     * request's byte, then read to the client's FIN and close (TunFlood's servers too).
     */
    static void echoOne(InputStream in, OutputStream out, AutoCloseable conn) {
        Thread.ofVirtual().start(() -> {
            try (conn) {
                int x = in.read();
                if (x < 0) return;
                out.write(x);
                out.flush();
                while (in.read() >= 0) { /* until the client's FIN */ }
            } catch (Exception ignored) {
                // the client went away
            }
        });
    }

    private static long drain(Socket s) {
        try {
            return drain(s.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[BLOCK];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) total += n;
        return total;
    }

    private interface Shutdown { void run() throws IOException; }

    /** Writes {@code bytes}, shuts the output, waits for the reader's count; bytes per second. */
    private double timed(long bytes, OutputStream out, Shutdown shutdown, CompletableFuture<Long> got) throws IOException {
        long t0 = System.nanoTime();
        long left = bytes;
        int rot = 0;
        while (left > 0) {
            int len = (int) Math.min(BLOCK - rot, left);
            out.write(PATTERN, rot, len);
            left -= len;
            rot = (rot + 7) % 1024;
        }
        out.flush();
        shutdown.run();
        long n;
        try {
            n = got.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the reader failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the reader did not finish within " + WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        long elapsed = System.nanoTime() - t0;
        if (n != bytes) throw new IOException("sent " + bytes + " bytes, the reader got " + n);
        if (!failures.isEmpty()) throw new IOException("the stack's loop failed: " + failures.getFirst(), failures.getFirst());
        return bytes * 1e9 / elapsed;
    }

    /** Stops the listeners and the stack, removes the device and the namespace. */
    @Override
    public void close() {
        try {
            jtcpServer.close();
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
        for (ServerSocket s : new ServerSocket[] {kernelServer, loopbackServer}) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            if (sharded != null) sharded.close();
            else loops.getFirst().close();
        } finally {
            host.close();
        }
    }
}
