package io.jtcp.simulation;

import io.jtcp.wire.IpAddress;
import io.jtcp.api.HostContext;
import io.jtcp.api.StackLoop;
import io.jtcp.config.Sysctls;
import io.jtcp.link.sim.FaultRule;
import io.jtcp.link.sim.PacketMatch;
import io.jtcp.link.sim.SimNetwork;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TraceSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A world of jtcp hosts on a simulated network, running application code (written
 * against java.net, NIO or jtcp's own {@code TcpSocket}) in virtual time,
 * deterministically: the same program and seed give the same trace, byte for byte.
 *
 * <p>Application code runs on the simulation's threads ({@link #spawn},
 * {@link #threadFactory}, {@link #executor}): virtual threads whose scheduler belongs to the
 * simulation, bound to their host (so java.net and NIO sockets they open live there; see
 * {@link HostContext}). They run one at a time, on the thread that called a {@code run}
 * method, in an order the simulation decides. Time moves only when none of them can run
 * (each is blocked in a socket call, a selector, a lock, a sleep) and nothing else is queued:
 * then the clock jumps to the next event, a packet landing, a stack timer or a sleeper's
 * wake-up. {@code Thread.sleep}, timed waits and {@link #clock()} are virtual.
 *
 * <p>Threads the simulation did not start (the JDK's HTTP server starts its own
 * dispatcher) may take part while they block only in jtcp calls; see {@code
 * docs/simulation.md} for what breaks determinism and how it is reported.
 *
 * <p>Not thread-safe: build the world and call the {@code run} methods from one platform
 * thread (a test's).
 */
public final class Simulation {
    private static final Instant DEFAULT_EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private final long seed;
    private final SimNetwork network;
    private final Driver driver;
    private final Clock clock;
    private final List<StackLoop> hosts = new ArrayList<>();
    private final Thread.Builder.OfVirtual virtualThreads;
    private final AtomicInteger threadsMade = new AtomicInteger();
    private TraceSink trace;

    /** A simulation whose network, hosts' secrets and faults all derive from {@code seed}. */
    public Simulation(long seed) {
        this.seed = seed;
        this.network = new SimNetwork(seed);
        this.driver = new Driver(network);
        this.clock = new SimulationClock(DEFAULT_EPOCH, network::now);
        this.virtualThreads = VirtualThreads.builder(driver.scheduler());
    }

    public long seed() {
        return seed;
    }

    /** The simulated network: links ({@code setLink}, {@code setDefaultLink}), fault rules, taps, NATs. */
    public SimNetwork network() {
        return network;
    }

    /** Adds a host with Linux's defaults. */
    public StackLoop addHost(String name, String address) {
        return addHost(name, address, Sysctls.linux());
    }

    /**
     * Adds a host named {@code name} at {@code address} (IPv4 or IPv6), and at each of
     * {@code moreAddresses} ({@code "fd00::2/64"}); its secrets derive from the simulation's
     * seed and its name.
     */
    public StackLoop addHost(String name, String address, Sysctls sysctls, String... moreAddresses) {
        StackLoop.Builder b = StackLoop.builder(name, address);
        for (String more : moreAddresses) b.address(more);
        StackLoop host = b
                .sysctls(sysctls)
                .seed(seed ^ name.hashCode() * 0x9E3779B97F4A7C15L)
                .failureHandler(driver::fail)
                .simulated(network, driver);
        driver.addLoop(host);
        hosts.add(host);
        if (trace != null) driver.onLoopThread(() -> { host.stack().setTrace(trace); return null; });
        return host;
    }

    /**
     * Cuts {@code a} and {@code b} apart, both ways, from now for {@code length} of virtual
     * time: every packet between them is lost until the partition heals by itself.
     */
    public void partition(StackLoop a, StackLoop b, Duration length) {
        requireHost(a);
        requireHost(b);
        long now = network.now();
        PacketMatch between = PacketMatch.path(IpAddress.of(a.address()), IpAddress.of(b.address())).or(PacketMatch.path(IpAddress.of(b.address()), IpAddress.of(a.address())));
        network.addRule(FaultRule.drop(between.and(PacketMatch.after(now)).and(PacketMatch.before(now + length.toNanos()))));
    }

    public List<StackLoop> hosts() {
        return List.copyOf(hosts);
    }

    /** Where every host's trace events go (hosts added later too); null stops tracing. */
    public void setTrace(TraceSink sink) {
        this.trace = sink;
        driver.onLoopThread(() -> {
            for (StackLoop h : hosts) h.stack().setTrace(sink);
            return null;
        });
    }

    /** The virtual time in nanoseconds since the simulation began. */
    public long nanoTime() {
        return network.now();
    }

    /** The virtual time as a {@link Clock} (and {@link java.time.InstantSource}) for application code. */
    public Clock clock() {
        return clock;
    }

    /**
     * Sleeps the calling simulation thread for {@code d} of virtual time; outside a
     * simulation, an ordinary {@link Thread#sleep}. Use this rather than {@code Thread.sleep}
     * in code that runs on the simulation: the JDK measures a sleep, and the timeout of a
     * timed wait in {@code java.util.concurrent}, with {@code System.nanoTime}, so in virtual
     * time they last until that much real time has passed (docs/simulation.md, "What breaks
     * determinism").
     */
    public static void sleep(Duration d) throws InterruptedException {
        Driver driver = Driver.current();
        if (driver == null) Thread.sleep(d);
        else driver.sleep(d.toNanos());
    }

    // ---- the application's threads ----

    /** A factory of the simulation's threads bound to {@code host}, for code that takes one (Netty's event loops, executors). */
    public ThreadFactory threadFactory(StackLoop host) {
        requireHost(host);
        return r -> newThread(host, host.name() + "-" + threadCount(), r);
    }

    /** An executor that runs each task on a new simulation thread bound to {@code host} (e.g. for {@code HttpClient.Builder.executor}). */
    public ExecutorService executor(StackLoop host) {
        return Executors.newThreadPerTaskExecutor(threadFactory(host));
    }

    /** Starts {@code body} on a new simulation thread on {@code host}; it runs when the simulation does. */
    public Thread spawn(StackLoop host, String name, ThrowingRunnable body) {
        Objects.requireNonNull(body);
        requireHost(host);
        Thread t = newThread(host, name, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                driver.fail(new SimulationException("thread " + Thread.currentThread().getName() + " failed: " + e, e));
            }
        });
        t.start();
        return t;
    }

    /** Runs {@code body} on a new simulation thread on {@code host} and the simulation until it returns; gives its result. */
    public <T> T call(StackLoop host, Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread t = newThread(host, host.name() + "-call-" + threadCount(), () -> {
            try {
                result.set(body.call());
            } catch (Exception e) {
                failed.set(e);
            }
        });
        t.start();
        join(t);
        if (failed.get() != null) throw failed.get();
        return result.get();
    }

    private synchronized Thread newThread(StackLoop host, String name, Runnable body) {
        Thread t = virtualThreads.name(name).unstarted(() -> {
            driver.adopt();
            HostContext.bind(host);
            body.run();
        });
        t.setUncaughtExceptionHandler((th, e) -> driver.fail(new SimulationException("thread " + th.getName() + " failed: " + e, e)));
        driver.addThread(t);
        threadsMade.incrementAndGet();
        return t;
    }

    /** A number for the next thread's name: the count of threads made so far. */
    private int threadCount() {
        return threadsMade.get();
    }

    private void requireHost(StackLoop host) {
        if (!hosts.contains(host)) throw new IllegalArgumentException(host + " is not a host of this simulation");
    }

    // ---- running ----

    /** Runs the world for {@code d} of virtual time. */
    public void runFor(Duration d) {
        long limit = Math.addExact(network.now(), d.toNanos());
        driver.run(() -> false, limit);
        if (network.now() < limit) network.clock().advanceTo(limit);
    }

    /**
     * Runs until {@code condition} holds (checked whenever nothing can run at the current
     * instant), at most {@code limit} of virtual time. Returns whether it came to hold.
     * Throws {@link SimulationException} if an application thread failed, or if nothing is
     * left to happen while the condition is still false (every thread blocked for ever).
     */
    public boolean runUntil(BooleanSupplier condition, Duration limit) {
        long end = Math.addExact(network.now(), limit.toNanos());
        if (driver.run(condition, end)) return true;
        if (network.now() < end) throw new SimulationException("nothing is left to happen at t=" + network.now() + " ns"
                + " and the condition still does not hold: every thread is blocked for ever." + threadReport());
        return false;
    }

    /** Runs until every one of {@code these} threads has ended; a SimulationException if one is still alive after 30 virtual days. */
    public void join(Thread... these) {
        BooleanSupplier ended = () -> {
            for (Thread t : these) if (t.isAlive()) return false;
            return true;
        };
        if (!runUntil(ended, Duration.ofDays(30))) {
            throw new SimulationException("threads still running after 30 days of virtual time:" + threadReport());
        }
    }

    /** What the ss, netstat and nstat views show of {@code host} now (between runs or from a run's condition). */
    public StackSnapshot snapshot(StackLoop host) {
        requireHost(host);
        return driver.onLoopThread(() -> host.stack().snapshot(network.now()));
    }

    /** Each simulation thread still alive, with its state and where it is: what a stuck run reports. */
    public String threadReport() {
        StringBuilder sb = new StringBuilder();
        for (Thread t : driver.threads()) {
            if (!t.isAlive()) continue;
            sb.append("\n  ").append(t.getName()).append(" (").append(t.getState()).append(")");
            StackTraceElement[] st = t.getStackTrace();
            for (int i = 0; i < Math.min(st.length, 8); i++) sb.append("\n\tat ").append(st[i]);
        }
        return sb.toString();
    }

    /** A task body that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
