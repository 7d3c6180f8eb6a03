package io.jtcp.tun.scenario;

import io.jtcp.api.StackLoop;
import io.jtcp.config.Sysctls;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.api.ConnectionStatus;
import io.jtcp.tcp.State;
import io.jtcp.tun.Ip;
import io.jtcp.tun.NetNs;
import io.jtcp.tun.TunHost;
import io.jtcp.tun.TunLink;
import io.jtcp.wire.IpAddress;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One run of a {@link KernelScenario}: a fresh namespace {@code jtcp-s<hex>} with a TUN
 * device (the kernel at 10.77.0.1/24, jtcp at 10.77.0.2; on an IPv6 run also the kernel at
 * fd77::1/64 and jtcp at fd77::2, the addresses the story then uses), a {@link StackLoop} on it with
 * the run's sysctls, and the kernel's sockets (JDK sockets made inside the namespace).
 * jtcp's trace events are recorded, with times counted from the start of the run, and
 * passed to the reporter; so are the notes on calls either side's application made.
 * {@link #close()} removes the device and the namespace (the NetNs shutdown hook does it
 * on Ctrl-C).
 */
public final class KernelRun implements AutoCloseable {
    public static final String JTCP = "10.77.0.2", KERNEL = "10.77.0.1";
    public static final String JTCP6 = "fd77::2", KERNEL6 = "fd77::1";
    /**
     * How long any wait may take before it fails with a message. It only bounds a hang:
     * every state a story shows is held by a gate (a latch on an application, a
     * {@link io.jtcp.tun.PacketHold} or a drop filter on the link) until it has been shown,
     * so no wait depends on being quick.
     */
    static final long WAIT_SECONDS = 60;

    /** One {@code ss} output shown at a telling moment, kept for tests. */
    public record KernelView(long timeNanos, String moment, String output) {}

    private final KernelReporter reporter;
    private final TunHost host;
    private final StackLoop loop;
    /** The addresses this run's story uses: IPv4 or IPv6. */
    private final IpAddress jtcp, kernel;
    private final long t0 = System.nanoTime();
    private final List<TraceEvent> events = new CopyOnWriteArrayList<>();
    private final List<KernelView> kernelViews = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<Closeable> kernelSockets = new CopyOnWriteArrayList<>();
    private volatile boolean muted;
    public final Sysctls sysctls;

    private KernelRun(Sysctls sysctls, KernelReporter reporter, TunHost host, boolean ipv6) {
        this.sysctls = sysctls;
        this.reporter = reporter;
        this.host = host;
        this.jtcp = IpAddress.parse(ipv6 ? JTCP6 : JTCP);
        this.kernel = IpAddress.parse(ipv6 ? KERNEL6 : KERNEL);
        TraceSink sink = this::record;
        StackLoop l = host.stackBuilder("jtcp").sysctls(sysctls.set("mtu=1500")).failureHandler(failures::add).start(host.link());
        this.loop = l;
        try {
            l.call(() -> {
                l.stack().setTrace(sink);
                return null;
            }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            l.close();
            throw new IllegalStateException("the stack loop did not start", e);
        }
    }

    /**
     * Why the kernel cannot be a peer on this machine (one sentence), or null when it can:
     * needs root, /dev/net/tun and iproute2.
     */
    public static String whyNot() {
        try {
            String status = Files.readString(Path.of("/proc/self/status"));
            String uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: -1").split("\\s+")[1];
            if (!uid.equals("0")) return "the kernel peer needs root, for a network namespace and a TUN device (uid is " + uid + ")";
        } catch (IOException e) {
            return "cannot tell whether we are root: " + e.getMessage();
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) return "the kernel peer needs /dev/net/tun, and this machine has none";
        try {
            Ip.run("ip", "-V");
            Ip.run("ss", "-V");
        } catch (IOException e) {
            return "the kernel peer needs iproute2 (ip, ss): scripts/ensure-tools.sh iproute2";
        }
        return null;
    }

    /** A fresh namespace, device and stack for one story, over IPv4. */
    public static KernelRun open(Sysctls sysctls, KernelReporter reporter) throws IOException {
        return open(sysctls, reporter, false);
    }

    /** A fresh namespace, device and stack for one story, told over IPv6 when {@code ipv6} (the device has both families then). */
    public static KernelRun open(Sysctls sysctls, KernelReporter reporter, boolean ipv6) throws IOException {
        NetNs ns = NetNs.create("jtcp-s");
        TunHost h;
        try {
            // On an IPv6 run the stack is known by its IPv6 address (the views' heading), IPv4 beside it.
            List<String> cidrs = ipv6 ? List.of(JTCP6 + "/64", JTCP + "/24") : List.of(JTCP + "/24");
            h = TunHost.open("jt0", cidrs, List.of(), 1500, ns);
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        try {
            return new KernelRun(sysctls, reporter, h, ipv6);
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    public StackLoop loop() { return loop; }

    public TunLink link() { return host.link(); }

    public String namespace() { return host.netnsName(); }

    /** jtcp's address in this run's family. */
    public IpAddress jtcp() { return jtcp; }

    /** The kernel's address in this run's family. */
    public IpAddress kernel() { return kernel; }

    /** The wildcard a jtcp listener binds in this run's family: 0.0.0.0, or :: (dual-stack, as Linux's default). */
    public String wildcard() { return jtcp.isV4() ? "0.0.0.0" : "::"; }

    /** jtcp's end {@code port} as Linux writes it: {@code 10.77.0.2:80}, {@code [fd77::2]:80}. */
    public String jtcpEnd(int port) { return jtcp.withPort(port); }

    /** The kernel's end {@code port}, as {@link #jtcpEnd}. */
    public String kernelEnd(int port) { return kernel.withPort(port); }

    /** Nanoseconds since the run began: the time the trace shows. */
    public long now() { return System.nanoTime() - t0; }

    /** Everything jtcp's stack reported, and the applications' calls, in order. */
    public List<TraceEvent> events() { return List.copyOf(events); }

    /** Every {@code ss} output shown so far. */
    public List<KernelView> kernelViews() { return List.copyOf(kernelViews); }

    /** Exceptions the stack's loop caught (should stay empty). */
    public List<Throwable> failures() { return List.copyOf(failures); }

    // ---- the trace ----

    private synchronized void record(TraceEvent e) {
        TraceEvent r = rebase(e, t0);
        events.add(r);
        if (!muted) reporter.trace().accept(r);
    }

    private static TraceEvent rebase(TraceEvent e, long t0) {
        long t = e.timeNanos() - t0;
        return switch (e) {
            case TraceEvent.SegmentEvent s -> new TraceEvent.SegmentEvent(t, s.host(), s.local(), s.remote(), s.dir(), s.segment());
            case TraceEvent.StateEvent s -> new TraceEvent.StateEvent(t, s.host(), s.local(), s.remote(), s.from(), s.to(), s.cause());
            case TraceEvent.DropEvent d -> new TraceEvent.DropEvent(t, d.host(), d.local(), d.remote(), d.reason(), d.detail());
            case TraceEvent.LossEvent l -> new TraceEvent.LossEvent(t, l.host(), l.local(), l.remote(), l.event(), l.detail());
            case TraceEvent.UserEvent u -> new TraceEvent.UserEvent(t, u.host(), u.local(), u.remote(), u.call(), u.result());
        };
    }

    /**
     * A call one side's application made, as a trace line: {@code who} is {@code jtcp} or
     * {@code kernel}, {@code result} what it returned or the error it failed with.
     */
    public synchronized void user(String who, String call, String endpoint, String result) {
        TraceEvent.UserEvent u = new TraceEvent.UserEvent(now(), who, endpoint, null, call, result);
        events.add(u);
        if (!muted) reporter.trace().accept(u);
    }

    public void note(String text) {
        if (!muted) reporter.note(text);
    }

    /** The user-call lines recorded for {@code who} (tests check errors this way). */
    public List<TraceEvent.UserEvent> calls(String who) {
        return events.stream().filter(e -> e instanceof TraceEvent.UserEvent u && u.host().equals(who))
                .map(e -> (TraceEvent.UserEvent) e).toList();
    }

    public List<TraceEvent.StateEvent> states() {
        return events.stream().filter(e -> e instanceof TraceEvent.StateEvent).map(e -> (TraceEvent.StateEvent) e).toList();
    }

    /** jtcp's state changes into {@code to}, on the connection whose local or remote port is {@code port}. */
    public List<TraceEvent.StateEvent> states(State to, int port) {
        String p = ":" + port;
        return states().stream().filter(s -> s.to() == to && (s.local().endsWith(p) || s.remote().endsWith(p))).toList();
    }

    // ---- views ----

    /**
     * Shows jtcp's views and the kernel's {@code ss -tan -o} now, saying why this moment
     * matters. Only for a moment whose state lasts until the story moves on; a state that
     * has to be waited for is shown with {@link #showKernel}.
     */
    public String show(String moment) throws Exception {
        return show(moment, ss());
    }

    /**
     * Waits until the kernel's {@code ss} output satisfies {@code p} and shows that very
     * output (not a later sample) with jtcp's views.
     */
    public String showKernel(String moment, Predicate<String> p, String what) throws Exception {
        return show(moment, awaitKernel(p, what));
    }

    private String show(String moment, String ss) throws Exception {
        StackSnapshot snap = loop.call(() -> loop.stack().snapshot(System.nanoTime())).get(WAIT_SECONDS, TimeUnit.SECONDS);
        long t = now();
        kernelViews.add(new KernelView(t, moment, ss));
        if (!muted) {
            synchronized (this) {
                reporter.views(t, moment, List.of(snap));
                reporter.kernelView(t, moment, "ip netns exec " + namespace() + " ss -tan -o", ss);
            }
        }
        return ss;
    }

    /** The kernel's TCP sockets with their timers ({@code ss -tan -o} in the namespace). */
    public String ss() throws IOException {
        return host.exec("ss", "-tan", "-o");
    }

    /** Polls {@code ss -tan -o} until {@code p} holds of its output (the kernel has no event to wait on). */
    public String awaitKernel(Predicate<String> p, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        String out;
        do {
            out = ss();
            if (p.test(out)) return out;
            Thread.sleep(5);
        } while (System.nanoTime() < end);
        throw new IllegalStateException("the kernel never showed " + what + "; ss says:\n" + out);
    }

    /** Waits (bounded) until jtcp's connections, TIME_WAIT included, satisfy {@code p}. */
    public void awaitJtcp(Predicate<List<ConnectionStatus>> p, String what) throws Exception {
        try {
            loop.when(() -> p.test(loop.stack().connections())).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("jtcp never reached " + what + " in " + WAIT_SECONDS + " s; its state changes were "
                    + states().stream().map(s -> s.local() + " " + s.from() + " -> " + s.to()).toList());
        }
    }

    /**
     * Waits until jtcp's trace shows a connection on {@code port} entering {@code state}.
     * The trace, not the current state: a state entered and left within one batch of the
     * loop (FIN_WAIT_2 when the ACK and the FIN arrive together) is never current when
     * the loop checks, but it is always recorded.
     */
    public void awaitJtcp(State state, int port) throws Exception {
        awaitJtcp(all -> !states(state, port).isEmpty(), state + " on port " + port);
    }

    /** Waits (bounded) until {@code latch} opens: an application thread's step the story waits for. */
    public static void await(java.util.concurrent.CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException(what + " did not happen in " + WAIT_SECONDS + " s");
    }

    /** Waits (bounded) for an application thread to finish. */
    public static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        if (t.isAlive()) throw new IllegalStateException(t.getName() + " did not finish in " + WAIT_SECONDS + " s");
    }

    /** Waits until jtcp holds nothing on {@code port}: its TIME_WAIT, if any, has expired. */
    public void awaitJtcpGone(int port) throws Exception {
        awaitJtcp(all -> all.stream().noneMatch(c -> c.tuple().localPort() == port || c.tuple().remotePort() == port),
                "no connection on port " + port);
    }

    // ---- the kernel's sockets ----

    /** A kernel listener at the kernel's address and {@code port}. */
    public ServerSocket kernelListen(int port) throws IOException {
        ServerSocket s = host.netns().call(() -> {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(kernel.toInetAddress(), port), 16);
            return ss;
        });
        kernelSockets.add(s);
        return s;
    }

    /** A kernel socket connected to jtcp's port (socket(2) runs inside the namespace). */
    public Socket kernelConnect(int port) throws IOException {
        Socket s = host.netns().call(() -> {
            Socket k = new Socket();
            k.connect(new InetSocketAddress(jtcp.toInetAddress(), port), 10_000);
            k.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            return k;
        });
        kernelSockets.add(s);
        return s;
    }

    /** Accepts on a kernel listener, and remembers the socket so the run closes it. */
    public Socket kernelAccept(ServerSocket listener) throws IOException {
        listener.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        Socket s = listener.accept();
        s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        kernelSockets.add(s);
        return s;
    }

    /** Runs {@code body} on a new platform thread (a kernel application acting on its own). */
    public Thread background(String name, ThrowingRunnable body) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                body.run();
            } catch (Exception e) {
                if (!muted) failures.add(e);
            }
        });
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * Ends the run: nothing more is shown, the kernel's sockets are closed, the loop stops,
     * and the device and namespace are removed.
     */
    @Override
    public void close() {
        muted = true;
        List<Closeable> sockets = new ArrayList<>(kernelSockets);
        for (Closeable c : sockets) {
            try {
                c.close();
            } catch (IOException ignored) {
                // the namespace goes away with it anyway
            }
        }
        try {
            loop.close();
        } finally {
            host.close();
        }
    }
}
