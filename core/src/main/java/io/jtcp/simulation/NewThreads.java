package io.jtcp.simulation;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Platform threads started while the simulation runs, which the simulation did not
 * start: the JDK's HTTP server starts its dispatcher, its HTTP client a selector thread.
 * Such a thread takes part in the simulation from its first jtcp call; until it gets
 * there it runs on its own. So that virtual time does not move under it in the meantime,
 * the driver lets every new thread settle first: run until it blocks (in jtcp, where the
 * driver then counts it, or anywhere else) or ends. Only platform threads are counted
 * ({@link ThreadMXBean#getTotalStartedThreadCount()}), and only when that count moved, so
 * this costs nothing while no thread starts.
 */
final class NewThreads {
    /** How long a new thread may stay runnable before the driver stops waiting for it (real time; a thread spinning in native code). */
    private static final long PATIENCE_NANOS = 1_000_000_000L;

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Set<Thread> known = Collections.newSetFromMap(new WeakHashMap<>());
    private long started;

    NewThreads() {
        started = mx.getTotalStartedThreadCount();
        known.addAll(Thread.getAllStackTraces().keySet());
    }

    /** Waits until every platform thread started since the last look has blocked or ended; true if there were any. */
    boolean settle() {
        long now = mx.getTotalStartedThreadCount();
        if (now == started) return false;
        started = now;
        long giveUp = System.nanoTime() + PATIENCE_NANOS;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!known.add(t) || t == Thread.currentThread()) continue;
            while (isRunning(t) && System.nanoTime() - giveUp < 0) LockSupport.parkNanos(50_000);
        }
        return true;
    }

    private static boolean isRunning(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.NEW || s == Thread.State.RUNNABLE;
    }
}
