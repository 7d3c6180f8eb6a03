package io.jtcp.simulation;

import io.jtcp.api.LoopDriver;
import io.jtcp.api.StackLoop;
import io.jtcp.link.sim.SimNetwork;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Runs a simulation: the one thread that owns every host's loop, moves the network,
 * fires timers and carries the simulation's virtual threads. Time moves only when
 * nothing can run: no virtual thread is runnable, no loop has a task, and every
 * foreign thread (one the simulation did not start, such as the JDK's HTTP server
 * dispatcher, which makes platform threads of its own) is blocked in a jtcp call.
 *
 * <p>The driver never runs anything while a foreign thread runs: a foreign thread
 * counts as running from the moment a call it waits on completes until it blocks in jtcp
 * again, so it holds the simulation as a token holder would and its steps stay in a
 * deterministic order with everything else. A foreign thread that blocks somewhere else
 * while it holds the simulation would stop it for ever; the watchdog finds it (its state
 * stays waiting or blocked across several checks) and fails the run with its stack.
 */
final class Driver implements LoopDriver {
    /** How long the driver waits for a foreign thread before looking at what it is doing (real time, only for diagnosis). */
    private static final long WATCHDOG_MILLIS = 20;
    /** Consecutive looks that find a running foreign thread blocked outside jtcp before the run fails. */
    private static final int STRIKES = 10;
    /** How long a thread blocked on a monitor that nobody running holds may take to be handed back (real time, the JVM's unblocker). */
    private static final long UNBLOCK_PATIENCE_NANOS = 200_000_000L;

    private final SimNetwork network;
    private final VirtualThreadScheduler scheduler;
    private final List<StackLoop> loops = new ArrayList<>();
    /** The simulation's threads still alive, in the order they were made (ended ones leave at the next look before time moves). */
    private final Queue<Thread> threads = new ConcurrentLinkedQueue<>();
    /** Which simulation a thread belongs to: set by each simulation thread as it starts. */
    private static final ThreadLocal<Driver> CURRENT = new ThreadLocal<>();
    /** Guards the foreign-thread bookkeeping and the wake-up flag. */
    private final Object lock = new Object();
    /**
     * Foreign waits a simulation thread ended (by completing what they waited for), for the
     * driver to record under {@link #lock} before this turn of its loop is over. A simulation
     * thread never takes the lock itself: blocked on a monitor, a virtual thread is unmounted
     * and handed back by the JVM's unblocker to its scheduler, which only the driver's thread
     * runs; were the driver then to block on the same monitor, neither could go on (seen once
     * under load: the driver BLOCKED in runReady, the client's thread queued, holding it).
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<ForeignWait> deferredEnds = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Foreign threads holding the simulation, each with the watchdog's count of looks that found it blocked elsewhere. */
    private final Map<Thread, Integer> runningForeign = new LinkedHashMap<>();
    /** Threads started since the run began that have not made a jtcp call yet (see {@link NewThreads}), with the watchdog's count. */
    private final Map<Thread, Integer> newcomers = new LinkedHashMap<>();
    /** Foreign threads blocked in jtcp, each with the wait it is in (a late completion of an older wait must not wake it). */
    private final Map<Thread, ForeignWait> blockedForeign = new HashMap<>();
    private final List<TimerRequest> foreignTimers = new ArrayList<>();
    private boolean signalled;
    private final NewThreads newThreads = new NewThreads();
    private volatile Thread loopThread;
    private volatile Throwable failure;

    Driver(SimNetwork network) {
        this.network = network;
        this.scheduler = new VirtualThreadScheduler(network::now, this::signal);
    }

    VirtualThreadScheduler scheduler() {
        return scheduler;
    }

    void addLoop(StackLoop loop) {
        loops.add(loop);
    }

    void addThread(Thread t) {
        threads.add(t);
    }

    Iterable<Thread> threads() {
        return threads;
    }

    /** Marks the calling thread as one of the simulation's own (a virtual thread it started). */
    void adopt() {
        CURRENT.set(this);
    }

    boolean isOwnThread() {
        return CURRENT.get() == this;
    }

    /** Records the first failure of an application thread; the run stops with it. */
    void fail(Throwable t) {
        if (failure == null) failure = t;
    }

    // ---- LoopDriver ----

    @Override
    public long now() {
        return network.now();
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == loopThread;
    }

    /**
     * A loop has work. The simulation's own threads run on the driver's thread, which looks
     * for work again as soon as one yields, so they need not (and must not) take {@link #lock}:
     * see {@link #deferredEnds}.
     */
    @Override
    public void wake(StackLoop loop) {
        if (!isOwnThread()) signal();
    }

    @Override
    public <T> T await(CompletableFuture<T> f, long timeoutNanos) throws InterruptedException, ExecutionException, TimeoutException {
        Thread me = Thread.currentThread();
        if (me == loopThread) throw new IllegalStateException("a blocking call on the simulation's own thread would stop it");
        if (isOwnThread()) {
            // A virtual thread of ours just parks. Not f.get(timeout): the JDK measures that
            // timeout with System.nanoTime, so it would never run out in virtual time.
            if (timeoutNanos < 0) return f.get();
            CompletableFuture<Void> timedOut = new CompletableFuture<>();
            Runnable fire = () -> timedOut.complete(null);
            var timer = scheduler.schedule(fire, timeoutNanos, TimeUnit.NANOSECONDS);
            try {
                CompletableFuture.anyOf(f, timedOut).get();
            } catch (ExecutionException failed) {
                // f failed: f.get() below reports it
            } finally {
                timer.cancel(false);
            }
            if (!f.isDone()) throw new TimeoutException();
            return f.get();
        }
        return awaitForeign(me, f, timeoutNanos);
    }

    /**
     * Sleeps a simulation thread for {@code nanos} of virtual time. Not Thread.sleep,
     * which re-measures what is left with System.nanoTime after each wake-up.
     */
    void sleep(long nanos) throws InterruptedException {
        if (!isOwnThread()) throw new IllegalStateException("not a thread of this simulation: " + Thread.currentThread().getName());
        long until = network.now() + nanos;
        for (long left; (left = until - network.now()) > 0; ) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
            if (Thread.interrupted()) throw new InterruptedException();
        }
    }

    /** The simulation whose thread the caller is, or null. */
    static Driver current() {
        return CURRENT.get();
    }

    /** A foreign thread's timed wait, armed in virtual time by the driver. */
    private record TimerRequest(long due, CompletableFuture<Void> signal) {}

    private <T> T awaitForeign(Thread me, CompletableFuture<T> f, long timeoutNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        ForeignWait wait = new ForeignWait(me);
        CompletableFuture<Void> timedOut = new CompletableFuture<>();
        // Whatever ends the wait hands the simulation to this thread there and then, on the
        // driver's thread, so the driver never sees it blocked once its call has an answer.
        f.whenComplete((v, e) -> wait.end());
        timedOut.whenComplete((v, e) -> wait.end());
        synchronized (lock) {
            newcomers.remove(me);
            if (wait.ended) {
                runningForeign.putIfAbsent(me, 0);
            } else {
                if (timeoutNanos >= 0) foreignTimers.add(new TimerRequest(network.now() + timeoutNanos, timedOut));
                runningForeign.remove(me);
                blockedForeign.put(me, wait);
                signalled = true;
                lock.notifyAll();
            }
        }
        try {
            CompletableFuture.anyOf(f, timedOut).get();
        } catch (InterruptedException e) {
            wait.end();
            throw e;
        } catch (ExecutionException failed) {
            // f failed: f.get() below reports it
        }
        timedOut.cancel(false);
        if (!f.isDone()) throw new TimeoutException();
        return f.get();
    }

    /** One blocking call of a foreign thread; ending it (once) makes the thread hold the simulation again. */
    private final class ForeignWait {
        final Thread thread;
        /** Guarded by {@link #lock}. */
        boolean ended;

        ForeignWait(Thread thread) {
            this.thread = thread;
        }

        void end() {
            if (isOwnThread()) {
                deferredEnds.add(this);
                return;
            }
            synchronized (lock) {
                endLocked();
            }
        }

        /** Under {@link #lock}. */
        void endLocked() {
            if (ended) return;
            ended = true;
            if (blockedForeign.get(thread) == this) {
                blockedForeign.remove(thread);
                runningForeign.put(thread, 0);
            }
        }
    }

    private void signal() {
        synchronized (lock) {
            signalled = true;
            lock.notifyAll();
        }
    }

    // ---- running ----

    /**
     * Runs until {@code until} holds (true), or until the clock would pass {@code limit}
     * (false, clock at the limit), or until nothing is left to happen (false).
     */
    boolean run(BooleanSupplier until, long limit) {
        Thread me = Thread.currentThread();
        if (me.isVirtual()) throw new IllegalStateException("run the simulation from a platform thread, not a virtual one");
        if (loopThread != null) throw new IllegalStateException("the simulation is already running on " + loopThread.getName());
        loopThread = me;
        try {
            for (;;) {
                rethrowFailure();
                // Nothing runs while a foreign thread holds the simulation.
                if (adoptNewcomers()) continue;
                if (waitForForeign()) continue;
                if (runReady()) continue;
                if (until.getAsBoolean()) return true;
                if (awaitUnblocked()) continue;
                long netNext = network.nextEventTime(), timerNext = scheduler.nextTimer();
                long next = Math.min(netNext, timerNext);
                if (next == Long.MAX_VALUE) return false;
                if (next > limit) {
                    if (limit > network.now()) network.clock().advanceTo(limit);
                    return false;
                }
                if (netNext <= timerNext) {
                    network.runUntil(netNext);
                } else {
                    if (timerNext > network.now()) network.clock().advanceTo(timerNext);
                    scheduler.fireDue(timerNext);
                }
            }
        } finally {
            loopThread = null;
        }
    }

    /** Runs the loop thread's work without moving time, for inspecting hosts between runs. */
    <T> T onLoopThread(java.util.function.Supplier<T> work) {
        if (loopThread != null && loopThread != Thread.currentThread()) {
            throw new IllegalStateException("the simulation is running on " + loopThread.getName());
        }
        if (loopThread != null) return work.get();
        loopThread = Thread.currentThread();
        try {
            return work.get();
        } finally {
            loopThread = null;
        }
    }

    /** Runs every runnable virtual thread and every loop's queued tasks once; true if anything ran. */
    private boolean runReady() {
        boolean any = false;
        for (Runnable r; (r = scheduler.nextReady()) != null; ) {
            r.run();
            any = true;
        }
        for (StackLoop l : loops) any |= l.runPending();
        synchronized (lock) {
            for (ForeignWait w; (w = deferredEnds.poll()) != null; ) w.endLocked();
            for (TimerRequest r : foreignTimers) {
                Runnable fire = () -> r.signal().complete(null);
                var timer = scheduler.schedule(fire, Math.max(0, r.due() - network.now()), TimeUnit.NANOSECONDS);
                r.signal().whenComplete((v, e) -> timer.cancel(false));
            }
            foreignTimers.clear();
        }
        return any;
    }

    /**
     * A virtual thread that was notified in {@code Object.wait}, or whose monitor was released,
     * is handed back to its scheduler by the JVM's unblocker thread, a moment later. While the
     * driver runs none of them is mounted, so one that looks runnable (or blocked on a monitor)
     * but is not queued is on its way back: before time moves, the driver waits for it to
     * arrive, or, for one still blocked (a monitor held by a parked thread), a little while.
     * True if one arrived.
     */
    private boolean awaitUnblocked() {
        long giveUp = 0;
        for (;;) {
            boolean inTransit = false;
            threads.removeIf(t -> !t.isAlive()); // so that this look costs the live threads, not every thread ever made
            for (Thread t : threads) {
                Thread.State st = t.getState();
                if (st == Thread.State.BLOCKED || st == Thread.State.RUNNABLE) {
                    inTransit = true;
                    break;
                }
            }
            if (!inTransit) return false;
            if (scheduler.hasReady()) return true;
            if (giveUp == 0) giveUp = System.nanoTime() + UNBLOCK_PATIENCE_NANOS;
            else if (System.nanoTime() - giveUp > 0) return false;
            synchronized (lock) {
                if (!signalled) {
                    try {
                        lock.wait(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                signalled = false;
            }
        }
    }

    /** Waits while a foreign thread holds the simulation; true if there was one (so look again). */
    private boolean waitForForeign() throws SimulationException {
        synchronized (lock) {
            if (runningForeign.isEmpty() && newcomers.isEmpty()) {
                signalled = false;
                return false;
            }
            if (!signalled) {
                try {
                    lock.wait(WATCHDOG_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SimulationException("interrupted while waiting for " + runningForeign.keySet());
                }
                if (!signalled) watchdog();
            }
            signalled = false;
            return true;
        }
    }

    /** Counts the platform threads started since the last look as holding the simulation; true if there were any. */
    private boolean adoptNewcomers() {
        List<Thread> fresh = newThreads.since();
        if (fresh.isEmpty()) return false;
        synchronized (lock) {
            for (Thread t : fresh) {
                if (!blockedForeign.containsKey(t) && !runningForeign.containsKey(t)) newcomers.put(t, 0);
            }
        }
        return true;
    }

    /** Under {@link #lock}: looks at each foreign thread that holds the simulation. */
    private void watchdog() {
        // A newcomer that has not reached jtcp after several looks is not part of the network program
        // (a timer thread, a thread reading a pipe): stop waiting for it.
        newcomers.entrySet().removeIf(e -> {
            e.setValue(e.getValue() + 1);
            return e.getKey().getState() == Thread.State.TERMINATED || e.getValue() >= STRIKES;
        });
        for (Iterator<Map.Entry<Thread, Integer>> it = runningForeign.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Thread, Integer> e = it.next();
            Thread t = e.getKey();
            switch (t.getState()) {
                case TERMINATED -> it.remove();
                case WAITING, TIMED_WAITING, BLOCKED -> {
                    e.setValue(e.getValue() + 1);
                    if (e.getValue() >= STRIKES) {
                        it.remove();
                        SimulationException why = new SimulationException("thread " + t.getName()
                                + " is blocked outside jtcp while the simulation waits for it: it is not one of the simulation's"
                                + " threads, so the simulation cannot know when it will go on. Run that code on the simulation's"
                                + " threads (Simulation.threadFactory/executor, e.g. HttpClient.Builder.executor) or see"
                                + " docs/simulation.md, \"What breaks determinism\". It was at:" + stack(t));
                        fail(why);
                    }
                }
                default -> e.setValue(0);
            }
        }
    }

    private static String stack(Thread t) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement el : t.getStackTrace()) sb.append("\n\tat ").append(el);
        return sb.toString();
    }

    private void rethrowFailure() {
        Throwable t = failure;
        if (t == null) return;
        failure = null;
        if (t instanceof SimulationException s) throw s;
        throw new SimulationException("an application thread failed: " + t, t);
    }
}
