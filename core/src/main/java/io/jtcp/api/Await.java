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
 * threads, no carrier pinned), with the loop's failures turned back into the
 * IOExceptions (ErrnoException above all) they stand for.
 */
final class Await {
    private Await() {}

    static <T> T join(StackLoop loop, CompletableFuture<T> f) throws IOException {
        refuseOnLoop(loop);
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return loop.await(f, -1);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException e) {
                    throw new AssertionError("an untimed wait timed out", e);
                } catch (ExecutionException | CancellationException e) {
                    throw unwrap(e);
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
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

    static void refuseOnLoop(StackLoop loop) {
        if (loop.inLoop()) {
            throw new IllegalStateException("blocking socket call on the thread of " + loop + ": use the async form");
        }
    }

    static IOException unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return switch (t) {
            case IOException io -> io;
            case RejectedExecutionException r -> new IOException(r.getMessage(), r);
            case CancellationException c -> new InterruptedIOException("cancelled");
            case RuntimeException r -> throw r;
            case Error e -> throw e;
            default -> new IOException(t);
        };
    }
}
