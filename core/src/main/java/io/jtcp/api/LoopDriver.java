package io.jtcp.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What runs a {@link StackLoop} that has no thread of its own: the simulation
 * ({@code io.jtcp.simulation.Simulation}), which owns the loops of all its hosts, their
 * virtual time and the threads their applications run on. Applications do not
 * implement it; it is the seam between the socket layer and whatever drives it.
 */
public interface LoopDriver {
    /** The loops' time, in nanoseconds. */
    long now();

    /** True on the thread that runs the loops' tasks, packets and timers (not on an application thread). */
    boolean inLoop();

    /** A task was queued for {@code loop}, from any thread: run it ({@link StackLoop#runPending()}) soon. */
    void wake(StackLoop loop);

    /**
     * Blocks the calling thread until {@code f} completes, as a blocking socket call does,
     * at most {@code timeoutNanos} of the loops' time when that is not negative.
     */
    <T> T await(CompletableFuture<T> f, long timeoutNanos) throws InterruptedException, ExecutionException, TimeoutException;
}
