package io.jtcp.simulation;

import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The scheduler of the simulation's virtual threads. A virtual thread hands its
 * scheduler a task each time it becomes runnable ({@link #execute}); this one only
 * queues it, in arrival order, and the simulation's driver runs the queue on its own
 * thread, one continuation at a time, so the interleaving of application threads
 * belongs to the simulation and not to the operating system.
 *
 * <p>It extends {@link ForkJoinPool} because that is how, since JDK 25, a virtual
 * thread's timed waits ({@code Thread.sleep}, {@code LockSupport.parkNanos},
 * {@code Future.get(timeout)}, {@code Object.wait(timeout)}) reach their scheduler's
 * {@link #schedule}: here that arms a timer in virtual time, which the driver fires when
 * the simulation's clock gets there. No pool thread is ever started.
 */
final class VirtualThreadScheduler extends ForkJoinPool {
    private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();
    /** Guarded by itself: armed on the driver's thread (a parking virtual thread is mounted there), cancelled from anywhere. */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final LongSupplier clock;
    private final Runnable onReady;
    private long order;

    /**
     * @param clock   the simulation's time
     * @param onReady told whenever a thread becomes runnable (from any thread), so a waiting driver wakes
     */
    VirtualThreadScheduler(LongSupplier clock, Runnable onReady) {
        super(1);
        this.clock = clock;
        this.onReady = onReady;
    }

    @Override
    public void execute(Runnable continuation) {
        ready.add(continuation);
        onReady.run();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Timer t;
        synchronized (timers) {
            t = new Timer(clock.getAsLong() + Math.max(0, unit.toNanos(delay)), order++, command);
            timers.add(t);
        }
        return t;
    }

    // Everything else a ForkJoinPool offers would run on pool threads in real time: refused.

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw notForTasks();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw notForTasks();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw notForTasks();
    }

    @Override
    public void execute(ForkJoinTask<?> task) {
        throw notForTasks();
    }

    @Override
    public <T> ForkJoinTask<T> submit(ForkJoinTask<T> task) {
        throw notForTasks();
    }

    @Override
    public ForkJoinTask<?> submit(Runnable task) {
        throw notForTasks();
    }

    @Override
    public <T> ForkJoinTask<T> submit(Callable<T> task) {
        throw notForTasks();
    }

    private static UnsupportedOperationException notForTasks() {
        return new UnsupportedOperationException("the simulation's scheduler only runs its virtual threads");
    }

    /** The next runnable continuation, or null. Driver thread. */
    Runnable nextReady() {
        return ready.poll();
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    /** When the earliest live timer is due, or {@link Long#MAX_VALUE}. */
    long nextTimer() {
        synchronized (timers) {
            for (Timer t; (t = timers.peek()) != null; timers.poll()) {
                if (!t.isCancelled()) return t.due;
            }
            return Long.MAX_VALUE;
        }
    }

    /** Fires every timer due at or before {@code now}, in the order they were armed for the same instant. */
    void fireDue(long now) {
        for (;;) {
            Timer t;
            synchronized (timers) {
                t = timers.peek();
                if (t == null || t.due > now) return;
                timers.poll();
            }
            t.fire();
        }
    }

    /** A timer in virtual time; cancelled by a virtual thread unparked before it fires. */
    private final class Timer implements ScheduledFuture<Void> {
        final long due, seq;
        final Runnable action;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Timer(long due, long seq, Runnable action) {
            this.due = due;
            this.seq = seq;
            this.action = action;
        }

        void fire() {
            if (done.isDone()) return;
            action.run();
            done.complete(null);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - clock.getAsLong(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Timer t = (Timer) o;
            return due != t.due ? Long.compare(due, t.due) : Long.compare(seq, t.seq);
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            return done.cancel(mayInterrupt);
        }

        @Override
        public boolean isCancelled() {
            return done.isCancelled();
        }

        @Override
        public boolean isDone() {
            return done.isDone();
        }

        @Override
        public Void get() throws InterruptedException, ExecutionException {
            return done.get();
        }

        @Override
        public Void get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return done.get(timeout, unit);
        }
    }
}
