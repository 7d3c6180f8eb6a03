package io.jtcp.api;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * How the blocking calls wait for the loop: by parking on a future (cheap for virtual
 * threads, no carrier pinned), with the loop's failures turned back into the JDK-typed
 * IOExceptions ({@link SocketErrors}) they stand for. The boundary of every blocking call.
 */
final class Await {
    private Await() {}

    /** Waits, not interruptibly (the calls that answer at once: bind, options, close). */
    static <T> T join(StackLoop loop, CompletableFuture<T> f) throws IOException {
        refuseOnLoop(loop);
        try {
            return loop.awaitUninterruptibly(f);
        } catch (ExecutionException | CancellationException e) {
            throw unwrap(e);
        }
    }

    /** Waits at most {@code timeout} of the loop's time; the caller decides what a timeout means. */
    static <T> T join(StackLoop loop, CompletableFuture<T> f, Duration timeout) throws IOException, TimeoutException {
        refuseOnLoop(loop);
        try {
            return loop.await(f, timeout.toNanos());
        } catch (ExecutionException | CancellationException e) {
            throw unwrap(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + loop);
        }
    }

    /** What a blocked call does when its wait ends without an answer. */
    interface Blocked {
        /**
         * Runs on the loop when the timeout passes: withdraws the call by failing its
         * future (unless the loop completed it first, so no data is lost) with the
         * SocketTimeoutException of the call.
         */
        void timedOut();

        /** Closes the socket, not interruptibly: the caller's thread was interrupted. */
        void closeOnInterrupt();
    }

    /**
     * The wait of a call that may block for long (read, write, connect, accept), as the
     * JDK's NioSocketImpl waits: on a virtual thread an interrupt closes the socket and
     * the call fails with SocketException "Closed by interrupt", the interrupt status
     * kept (java.net.Socket's streams do this since JDK 21); on a platform thread an
     * interrupt does not end the wait (the status is kept). With a {@code timeout} (null:
     * none) the call is withdrawn on the loop when it passes and fails with its
     * SocketTimeoutException; the socket stays usable.
     */
    static <T> T block(StackLoop loop, CompletableFuture<T> f, Duration timeout, Blocked blocked) throws IOException {
        refuseOnLoop(loop);
        boolean virtual = Thread.currentThread().isVirtual();
        boolean interrupted = false;
        long deadline = timeout == null ? 0 : loop.now() + timeout.toNanos();
        try {
            while (!f.isDone()) {
                try {
                    if (timeout == null) {
                        if (!virtual) return join(loop, f);
                        loop.await(f, -1);
                    } else {
                        loop.await(f, Math.max(0, deadline - loop.now()));
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (virtual) {
                        blocked.closeOnInterrupt();
                        throw SocketErrors.closedByInterrupt();
                    }
                } catch (TimeoutException e) {
                    join(loop, loop.call(() -> {
                        blocked.timedOut();
                        return null;
                    }));
                } catch (ExecutionException | CancellationException e) {
                    break;
                }
            }
            return join(loop, f);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    static void refuseOnLoop(StackLoop loop) {
        if (loop.inLoop()) {
            throw new IllegalStateException("blocking socket call on the thread of " + loop + ": use the async form");
        }
    }

    static IOException unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return switch (SocketErrors.typed(t, false)) {
            case IOException io -> io;
            case RejectedExecutionException r -> new IOException(r.getMessage(), r);
            case CancellationException c -> new InterruptedIOException("cancelled");
            case RuntimeException r -> throw r;
            case Error e -> throw e;
            case Throwable other -> new IOException(other);
        };
    }
}
