package io.jtcp.api;

import java.util.concurrent.TimeoutException;

/** Waits on conditions about other threads, bounded; never a sampled moment. */
public final class ThreadConditions {
    private ThreadConditions() {}

    /**
     * Waits until {@code t} is parked (WAITING or TIMED_WAITING): the condition for "blocked
     * in a socket call" when the thread does nothing else that parks before the call.
     */
    public static void awaitParked(Thread t) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + Hosts.WAIT_SECONDS * 1_000_000_000L;
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() - deadline > 0) throw new TimeoutException(t + " never parked");
            if (!t.isAlive()) throw new IllegalStateException(t + " ended before parking");
            Thread.sleep(1);
        }
    }
}
