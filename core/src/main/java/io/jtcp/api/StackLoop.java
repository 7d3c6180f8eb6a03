package io.jtcp.api;

import io.jtcp.config.Sysctls;
import io.jtcp.host.Stack;
import io.jtcp.link.PacketReceiver;
import io.jtcp.link.PolledLink;
import io.jtcp.link.RealTimeLink;
import io.jtcp.link.sim.SimNetwork;
import io.jtcp.link.sim.SimNode;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.wire.IpAddress;
import io.jtcp.host.LocalAddresses;
import io.jtcp.link.PacketSink;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The real-time driver of one {@link Stack}: a single named platform thread owns the
 * stack (DESIGN.md, "One thread owns a stack"). It runs tasks submitted from any
 * thread through a lock-free queue, hands the stack the packets its link delivers,
 * fires the stack's timers at {@link Stack#nextDeadline()} by {@link System#nanoTime()},
 * and parks until the next deadline, the next delayed packet, or a wake-up. On a
 * {@link PolledLink} (a TUN device) it does not park: it waits in the link's poll and reads
 * the link's packets itself, handing each to the stack from the link's reused buffer. There are
 * no locks inside the stack; other threads talk to it through {@link #execute},
 * {@link #call} and the futures they return, or through {@link TcpSocket} and
 * {@link TcpServerSocket}, which are built on them.
 *
 * <p><b>Failures.</b> The loop never dies of an exception. One thrown while processing a
 * packet or a timer (an engine bug, or a bug in a raw {@link io.jtcp.host.SocketHandler}
 * the application installed: the loop cannot tell them apart) or by a task given to
 * {@link #execute} is caught, counted in {@link #failures()}, and handed to the failure
 * handler, which by default logs it at ERROR with its stack trace, so such bugs surface
 * instead of vanishing. A task given to {@link #call} reports its exception to the
 * caller through the returned future instead. Futures are completed on the loop's
 * thread, so dependent stages attached with the non-async {@code then...} methods run
 * there too: they must not block (the blocking socket calls refuse to run on the loop's
 * thread and throw {@link IllegalStateException}); use the {@code ...Async} variants to
 * move work elsewhere.
 *
 * <p><b>Shutdown.</b> {@link #close()} stops taking tasks and packets, runs the tasks
 * already queued, resets the stack's connections (an RST wherever the peer holds state,
 * as a host going down does, so no peer stays ESTABLISHED for ever), fails every socket
 * call still waiting, and ends the thread.
 *
 * <p><b>Simulated loops.</b> {@link Builder#simulated} makes a loop with no thread of its
 * own, on a simulated network: a {@link LoopDriver} (the simulation) runs its tasks, gives
 * it virtual time and decides how blocking calls wait. Sockets work the same on both.
 */
public final class StackLoop implements Executor, PacketReceiver, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StackLoop.class.getName());
    private static final int BATCH = 256;

    /** A queued unit of work: a task or a packet. */
    private abstract static sealed class Item permits Task, Packet {}

    private static final class Task extends Item {
        final Runnable run;
        final Consumer<Throwable> onRejected;

        Task(Runnable run, Consumer<Throwable> onRejected) {
            this.run = run;
            this.onRejected = onRejected;
        }
    }

    private static final class Packet extends Item {
        final byte[] data;
        final int offset, length;
        final long notBefore;
        final long order;
        final boolean checksumTrusted;

        Packet(byte[] data, int offset, int length, long notBefore, long order, boolean checksumTrusted) {
            this.data = data;
            this.offset = offset;
            this.length = length;
            this.notBefore = notBefore;
            this.order = order;
            this.checksumTrusted = checksumTrusted;
        }
    }

    private record Watch(BooleanSupplier condition, CompletableFuture<Void> done) {}

    private final String name;
    /** The stack's addresses as the builder gave them, first the one it is known by. */
    private final List<IpAddress> addresses;
    /** The real-time link, or null for a simulated loop. */
    private final RealTimeLink link;
    /** The link when the loop's thread reads it itself, else null. */
    private final PolledLink polled;
    /** Where {@link #polled} hands its packets, on the loop's thread. */
    private final PolledLink.Input fromLink = this::linkPacketArrives;
    /** What runs a simulated loop, or null for a real-time one (which has {@link #thread}). */
    private final LoopDriver driver;
    private final Sysctls sysctls;
    private final Stack stack;
    private final Thread thread;
    private final Consumer<Throwable> failureHandler;
    private final ConcurrentLinkedQueue<Item> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong packetOrder = new AtomicLong();
    private volatile boolean sleeping;
    private volatile boolean closing;
    private volatile boolean terminated;

    // Owned by the loop's thread.
    private final PriorityQueue<Packet> delayed = new PriorityQueue<>(
            (a, b) -> a.notBefore != b.notBefore ? Long.compare(a.notBefore, b.notBefore) : Long.compare(a.order, b.order));
    private final List<Watch> watches = new ArrayList<>();
    private final Set<Runnable> shutdownHooks = new LinkedHashSet<>();

    private StackLoop(Builder b, RealTimeLink link) {
        this.name = b.name;
        this.addresses = b.addresses();
        this.link = link;
        this.polled = link instanceof PolledLink p ? p : null;
        this.driver = null;
        this.sysctls = b.sysctls;
        this.failureHandler = b.failureHandler;
        PacketSink sink = link.attach(b.address.address(), this);
        this.stack = b.addExtraAddresses(new Stack(b.name, b.address, b.sysctls, sink, b.seed, System.nanoTime()),
                a -> link.attach(a, this));
        stack.setLinkCompletesTcpChecksums(link.completesTcpChecksums());
        this.thread = Thread.ofPlatform().name("jtcp-" + b.name).daemon(b.daemon).unstarted(this::run);
        thread.start();
    }

    private StackLoop(Builder b, SimNetwork network, LoopDriver driver) {
        this.name = b.name;
        this.addresses = b.addresses();
        this.link = null;
        this.polled = null;
        this.driver = driver;
        this.sysctls = b.sysctls;
        this.failureHandler = b.failureHandler;
        this.thread = null;
        SimulatedNode node = new SimulatedNode();
        this.stack = b.addExtraAddresses(new Stack(b.name, b.address, b.sysctls, network.attach(b.address.address(), node), b.seed,
                network.now()),
                a -> network.attach(a, node));
    }

    /** Starts a loop for a stack named {@code name} at {@code address} with Linux's defaults. */
    public static StackLoop start(String name, String address, RealTimeLink link) {
        return builder(name, address).start(link);
    }

    /** The builder of a loop for a stack named {@code name} at {@code address}, with or without its prefix ({@code "10.0.0.2/24"}; /24 or /64 when left out). */
    public static Builder builder(String name, String address) {
        return new Builder(name, Builder.assigned(address, 24, 64));
    }

    /** Settings of a loop and its stack. */
    public static final class Builder {
        private final String name;
        private final LocalAddresses.Assigned address;
        private final List<LocalAddresses.Assigned> extra = new ArrayList<>();
        private Sysctls sysctls = Sysctls.linux();
        private long seed = new SecureRandom().nextLong();
        private boolean daemon = true;
        private Consumer<Throwable> failureHandler =
                t -> LOG.log(System.Logger.Level.ERROR, "failure on the stack loop's thread", t);

        private Builder(String name, LocalAddresses.Assigned address) {
            this.name = Objects.requireNonNull(name);
            this.address = address;
        }

        public Builder sysctls(Sysctls s) { this.sysctls = Objects.requireNonNull(s); return this; }

        /**
         * One more address for the stack, IPv4 or IPv6 with its prefix ({@code "fd00::2/64"},
         * {@code "10.0.1.2/24"}), as {@code ip addr add} gives a host another one.
         */
        public Builder address(String cidr) {
            extra.add(assigned(cidr, 32, 128));
            return this;
        }

        /** {@code "10.0.0.2/24"}, or an address alone with the prefix {@code v4}/{@code v6} bits long. */
        private static LocalAddresses.Assigned assigned(String cidr, int v4, int v6) {
            int slash = cidr.indexOf('/');
            IpAddress a = IpAddress.parse(slash < 0 ? cidr : cidr.substring(0, slash));
            int prefix = slash < 0 ? (a.isV4() ? v4 : v6) : Integer.parseInt(cidr.substring(slash + 1).trim());
            return new LocalAddresses.Assigned(a, prefix);
        }

        private List<IpAddress> addresses() {
            List<IpAddress> all = new ArrayList<>(List.of(address.address()));
            for (LocalAddresses.Assigned a : extra) all.add(a.address());
            return List.copyOf(all);
        }

        /** Gives {@code stack} the extra addresses, each attached to the link by {@code attach}. */
        private Stack addExtraAddresses(Stack stack, java.util.function.Consumer<IpAddress> attach) {
            for (LocalAddresses.Assigned a : extra) {
                stack.addAddress(a.address(), a.prefixLength());
                attach.accept(a.address());
            }
            return stack;
        }

        /** Seed for the stack's secrets (ISN and timestamp keys, the first ephemeral port); random by default. */
        public Builder seed(long s) { this.seed = s; return this; }

        /** Whether the loop's thread is a daemon thread (default true). */
        public Builder daemon(boolean d) { this.daemon = d; return this; }

        /** Where failures caught on the loop's thread go (default: logged at ERROR). */
        public Builder failureHandler(Consumer<Throwable> h) { this.failureHandler = Objects.requireNonNull(h); return this; }

        public StackLoop start(RealTimeLink link) {
            return new StackLoop(this, link);
        }

        /**
         * A loop without a thread, on the simulated {@code network}: {@code driver} runs its
         * tasks ({@link #runPending()}) and gives it time; the network delivers its packets
         * and fires its timers. For {@code io.jtcp.simulation}, which builds its hosts this way.
         */
        public StackLoop simulated(SimNetwork network, LoopDriver driver) {
            return new StackLoop(this, network, driver);
        }
    }

    public String name() { return name; }

    /** The address the stack is known by: the builder's first. */
    public java.net.InetAddress address() { return addresses.getFirst().toInetAddress(); }

    /**
     * Forwarding mode, for a tun2socks proxy or a VPN: the stack answers for every unicast
     * address, and each connection to an address and port no listener has is handed to
     * {@code handler} (on the loop's thread) as a {@link ForwardedConnection} to accept,
     * refuse or report unreachable. Null turns it off. Linux has no such mode; gVisor's
     * netstack does (promiscuous mode with a tcp.Forwarder), and this follows it.
     */
    public void forwardTcp(java.util.function.Consumer<ForwardedConnection> handler) {
        execute(() -> stack.setForwarder(handler == null ? null : syn -> handler.accept(new ForwardedConnection(this, syn))));
    }

    /**
     * Forwarding mode for UDP: a datagram to an address that is not the stack's, and a port
     * no socket holds, opens a flow (per client and destination address and port) that goes
     * to {@code handler} (on the loop's thread) as a {@link ForwardedFlow} to accept or
     * refuse; gVisor's udp.Forwarder. Null turns it off.
     */
    public void forwardUdp(Consumer<ForwardedFlow> handler) {
        execute(() -> stack.setUdpForwarder(handler == null ? null : flow -> handler.accept(new ForwardedFlow(this, flow))));
    }

    /** The stack's configuration (immutable, so readable from any thread). */
    public Sysctls sysctls() { return sysctls; }

    /** Exceptions caught on the loop's thread so far (see the class comment). */
    public long failures() { return failures.get(); }

    /** The stack's time in nanoseconds: {@link System#nanoTime()} here, virtual time in a simulation. */
    public long now() {
        return driver != null ? driver.now() : System.nanoTime();
    }

    /** True on the loop's own thread (for a simulated loop: where its driver runs it). */
    public boolean inLoop() {
        return driver != null ? driver.inLoop() : Thread.currentThread() == thread;
    }

    /**
     * Blocks the calling thread until {@code f} completes, at most {@code timeoutNanos} of
     * the loop's time when that is not negative: how blocking socket calls wait. A simulated
     * loop's driver decides (virtual time; it must know when every thread is blocked).
     */
    public <T> T await(CompletableFuture<T> f, long timeoutNanos) throws InterruptedException, ExecutionException, TimeoutException {
        if (driver != null) return driver.await(f, timeoutNanos);
        return timeoutNanos < 0 ? f.get() : f.get(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * {@link #await} without a time limit and not interruptibly, as the calls that an
     * interrupt must not cut short wait: an interrupt is kept for later, and the wait goes on.
     */
    public <T> T awaitUninterruptibly(CompletableFuture<T> f) throws ExecutionException {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return await(f, -1);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException e) {
                    throw new AssertionError("an untimed wait timed out", e);
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** What the ss, netstat and nstat views show of this host, now. */
    public CompletableFuture<StackSnapshot> snapshot() {
        return call(() -> stack.snapshot(now()));
    }

    /** The stack; only its own thread may touch it, so call this from tasks run by the loop. */
    public Stack stack() {
        if (!inLoop()) throw new IllegalStateException("the stack belongs to " + (thread != null ? "thread " + thread.getName() : "its simulation"));
        return stack;
    }

    /** Runs {@code task} on the loop's thread. Its exceptions go to the failure handler. */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task);
        if (!offer(new Task(task, t -> { }))) throw new RejectedExecutionException("stack loop " + name + " is closed");
    }

    /**
     * Runs {@code task} on the loop's thread; if the loop closes first, {@code onRejected}
     * hears why instead (on whichever thread finds out). The task must handle its own exceptions.
     */
    void submit(Runnable task, Consumer<Throwable> onRejected) {
        if (!offer(new Task(task, onRejected))) onRejected.accept(rejected());
    }

    /**
     * Runs {@code task} on the loop's thread and completes the future with its result
     * or its exception. After {@link #close()} the future fails with
     * {@link RejectedExecutionException}.
     */
    public <T> CompletableFuture<T> call(Callable<T> task) {
        Objects.requireNonNull(task);
        CompletableFuture<T> f = new CompletableFuture<>();
        Task t = new Task(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, f::completeExceptionally);
        if (!offer(t)) f.completeExceptionally(rejected());
        return f;
    }

    /**
     * A future completed on the loop's thread once {@code condition}, evaluated there
     * after every batch of packets, tasks and timers, holds. Cancelling the future stops
     * the watch.
     */
    public CompletableFuture<Void> when(BooleanSupplier condition) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Task t = new Task(() -> {
            if (condition.getAsBoolean()) done.complete(null);
            else watches.add(new Watch(condition, done));
        }, done::completeExceptionally);
        if (!offer(t)) done.completeExceptionally(rejected());
        return done;
    }

    /** The link's entry point: queues the packet for the loop. Any thread. */
    @Override
    public void packetArrives(byte[] packet, int offset, int length, long notBeforeNanos) {
        packetArrives(packet, offset, length, notBeforeNanos, false);
    }

    @Override
    public void packetArrives(byte[] packet, int offset, int length, long notBeforeNanos, boolean checksumTrusted) {
        if (closing) return;
        offer(new Packet(packet, offset, length, notBeforeNanos, notBeforeNanos == 0 ? 0 : packetOrder.incrementAndGet(),
                checksumTrusted));
    }

    /** Loop thread: runs {@code hook} when the loop shuts down (sockets fail their waiting calls). */
    void onShutdown(Runnable hook) {
        shutdownHooks.add(hook);
    }

    void removeShutdownHook(Runnable hook) {
        shutdownHooks.remove(hook);
    }

    /**
     * Shuts the host down (see the class comment): its connections are reset, and for a
     * real-time loop the thread ends (this waits for it). A simulated loop shuts down when
     * its driver runs next.
     */
    @Override
    public void close() {
        if (driver != null) {
            if (closing) return;
            closing = true;
            inbox.add(new Task(this::shutDown, t -> { }));
            driver.wake(this);
            return;
        }
        closing = true;
        wakeThread();
        if (inLoop()) return;
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private RejectedExecutionException rejected() {
        return new RejectedExecutionException("stack loop " + name + " is closed");
    }

    private boolean offer(Item item) {
        if (closing && !(item instanceof Task && inLoop())) return false;
        inbox.add(item);
        if (terminated) rejectLeftovers();
        else if (driver != null) driver.wake(this);
        else if (sleeping) wakeThread();
        return true;
    }

    /** Ends the real-time loop's wait: in its link's poll, or parked. */
    private void wakeThread() {
        if (polled != null) polled.wakeUp();
        else LockSupport.unpark(thread);
    }

    private void rejectLeftovers() {
        for (Item i; (i = inbox.poll()) != null; ) {
            if (i instanceof Task t) t.onRejected.accept(rejected());
        }
    }

    // ---- the loop's thread ----

    private void run() {
        try {
            boolean linkMore = false;
            while (!closing) {
                if (polled != null) linkMore = pollLink(linkMore);
                boolean more = drain() | linkMore;
                long now = System.nanoTime();
                deliverDue(now);
                if (stack.nextDeadline() <= now) {
                    try {
                        stack.advance(now);
                    } catch (Throwable t) {
                        fail(t);
                    }
                }
                checkWatches();
                // The end of a turn: what the link glued together goes out (a TUN super-segment).
                try {
                    link.flush();
                } catch (Throwable t) {
                    fail(t);
                }
                if (more || !inbox.isEmpty() || polled != null) continue;
                long wake = stack.nextDeadline();
                if (!delayed.isEmpty()) wake = Math.min(wake, delayed.peek().notBefore);
                sleeping = true;
                if (inbox.isEmpty() && !closing) {
                    if (wake == Long.MAX_VALUE) LockSupport.park(this);
                    else {
                        long nanos = wake - System.nanoTime();
                        if (nanos > 0) LockSupport.parkNanos(this, nanos);
                    }
                }
                sleeping = false;
            }
            while (drain()) {
                // finish what was queued before close()
            }
        } finally {
            shutDown();
        }
    }

    /**
     * The turn's start on a polled link: reads what is ready without waiting when there is
     * other work (or the last poll stopped at its batch's end), else waits in the link until
     * the next deadline, the next delayed packet, or a wake-up. True when the link may have
     * more ready.
     */
    private boolean pollLink(boolean linkMore) {
        long timeout = 0;
        if (!linkMore && inbox.isEmpty()) {
            long wake = stack.nextDeadline();
            if (!delayed.isEmpty()) wake = Math.min(wake, delayed.peek().notBefore);
            timeout = wake == Long.MAX_VALUE ? -1 : Math.max(0, wake - System.nanoTime());
        }
        sleeping = timeout != 0;
        // offer() reads sleeping after queueing: one that queued before it was set is seen here.
        if (sleeping && (!inbox.isEmpty() || closing)) timeout = 0;
        try {
            return polled.poll(fromLink, timeout);
        } catch (Throwable t) {
            fail(t);
            return false;
        } finally {
            sleeping = false;
        }
    }

    /** A packet the polled link hands over, borrowed: the stack keeps none of its bytes. */
    private void linkPacketArrives(byte[] packet, int offset, int length, boolean checksumTrusted) {
        if (closing) return;
        try {
            stack.packetArrives(packet, offset, length, System.nanoTime(), checksumTrusted);
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** The host goes away: connections reset, waiting calls failed, nothing taken from now on. */
    private void shutDown() {
        try {
            stack.shutdown(now());
        } catch (Throwable t) {
            fail(t);
        }
        terminated = true;
        for (Runnable hook : List.copyOf(shutdownHooks)) {
            try {
                hook.run();
            } catch (Throwable t) {
                fail(t);
            }
        }
        for (Watch w : watches) w.done.completeExceptionally(rejected());
        watches.clear();
        rejectLeftovers();
        if (link != null) for (IpAddress a : addresses) link.detach(a);
    }

    // ---- a simulated loop, run by its driver ----

    /**
     * Runs every task queued for this simulated loop, then the watches: the driver's call,
     * on its loop thread. Returns whether there was anything to do.
     */
    public boolean runPending() {
        if (driver == null || !inLoop()) throw new IllegalStateException("only a simulated loop's driver runs it");
        boolean any = !inbox.isEmpty();
        while (drain()) {
            // a batch at a time until the queue is empty
        }
        if (!watches.isEmpty()) {
            int before = watches.size();
            checkWatches();
            any |= watches.size() != before;
        }
        return any | !inbox.isEmpty();
    }

    /** How the simulated network reaches a simulated loop's stack, on the driver's thread. */
    private final class SimulatedNode implements SimNode {
        @Override
        public void receive(byte[] packet, int offset, int length, long now) {
            if (terminated) return;
            try {
                stack.packetArrives(packet, offset, length, now);
            } catch (Throwable t) {
                fail(t);
            }
            checkWatches();
        }

        @Override
        public long nextDeadline() {
            return terminated ? Long.MAX_VALUE : stack.nextDeadline();
        }

        @Override
        public void advance(long now) {
            try {
                stack.advance(now);
            } catch (Throwable t) {
                fail(t);
            }
            checkWatches();
        }
    }

    /** Runs up to a batch of queued items; true if more may be waiting. */
    private boolean drain() {
        for (int n = 0; n < BATCH; n++) {
            Item item = inbox.poll();
            if (item == null) return false;
            try {
                switch (item) {
                    case Task t -> t.run.run();
                    case Packet p when driver != null -> throw new IllegalStateException("a simulated loop takes packets from its network");
                    case Packet p -> {
                        if (p.notBefore != 0 && p.notBefore - System.nanoTime() > 0) delayed.add(p);
                        else stack.packetArrives(p.data, p.offset, p.length, System.nanoTime(), p.checksumTrusted);
                    }
                }
            } catch (Throwable t) {
                fail(t);
            }
        }
        return true;
    }

    private void deliverDue(long now) {
        for (Packet p; (p = delayed.peek()) != null && p.notBefore - now <= 0; ) {
            delayed.poll();
            try {
                stack.packetArrives(p.data, p.offset, p.length, now, p.checksumTrusted);
            } catch (Throwable t) {
                fail(t);
            }
        }
    }

    private void checkWatches() {
        if (watches.isEmpty()) return;
        for (Iterator<Watch> it = watches.iterator(); it.hasNext(); ) {
            Watch w = it.next();
            boolean done;
            try {
                done = w.done.isDone() || w.condition.getAsBoolean();
            } catch (Throwable t) {
                w.done.completeExceptionally(t);
                done = true;
            }
            if (done) {
                it.remove();
                w.done.complete(null);
            }
        }
    }

    private void fail(Throwable t) {
        failures.incrementAndGet();
        try {
            failureHandler.accept(t);
        } catch (Throwable ignored) {
            // a failing failure handler must not take the loop down either
        }
    }

    @Override
    public String toString() {
        return "StackLoop[" + name + " " + addresses.getFirst() + "]";
    }
}
