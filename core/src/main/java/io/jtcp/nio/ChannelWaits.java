package io.jtcp.nio;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoCarrier;
import io.jtcp.api.SocketErrors;
import io.jtcp.api.StackLoop;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * How a channel's blocking call waits for its socket's future, and what the channels
 * throw when a call fails. The socket layer's failures are already the JDK's types
 * carrying the errno (io.jtcp.api.SocketErrors makes them); this unwraps them, gives the
 * exceptions of {@code AbstractInterruptibleChannel.end} their errno, and says
 * ClosedChannelException where a closed channel's socket answered EBADF.
 */
final class ChannelWaits {
    private ChannelWaits() {}

    /** {@code AbstractInterruptibleChannel.end(boolean)}, which the channel hands in (it is protected). */
    @FunctionalInterface
    interface End {
        void end(boolean completed) throws AsynchronousCloseException;
    }

    /**
     * Waits for {@code f} between the channel's {@code begin} and {@code end}, as the JDK's
     * blocking channel calls do: interrupting the thread closes the channel (which fails
     * {@code f}) and the call throws ClosedByInterruptException (errno EINTR); another
     * thread closing it makes the call throw AsynchronousCloseException (EBADF).
     */
    static <T> T await(StackLoop loop, CompletableFuture<T> f, Runnable begin, End end) throws IOException {
        boolean completed = false;
        begin.run();
        try {
            T v = join(loop, f);
            completed = true;
            return v;
        } finally {
            try {
                end.end(completed);
            } catch (ClosedByInterruptException e) {
                throw SocketErrors.channelClosedByInterrupt();
            } catch (AsynchronousCloseException e) {
                throw SocketErrors.asynchronousClose();
            }
        }
    }

    /** A closed channel's socket answers EBADF; the channel says ClosedChannelException then, as the JDK's does. */
    static IOException closedOr(IOException e) {
        return ErrnoCarrier.errnoOf(e) == Errno.EBADF ? SocketErrors.closedChannel() : e;
    }

    /**
     * Not interruptibly: an interrupt reaches the call through the channel's interruptor,
     * which closes it. Through the loop, so that a simulation sees the thread blocked in jtcp.
     */
    private static <T> T join(StackLoop loop, CompletableFuture<T> f) throws IOException {
        try {
            return loop.awaitUninterruptibly(f);
        } catch (ExecutionException | CancellationException e) {
            throw failure(e);
        }
    }

    private static IOException failure(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        return switch (t) {
            case IOException io -> io;
            // The socket's pending call was cancelled: only closing it does that.
            case CancellationException c -> SocketErrors.closedChannel();
            // The host's loop has stopped, as the socket layer's own waits report it.
            case RejectedExecutionException r -> new IOException(r.getMessage(), r);
            case RuntimeException r -> throw r;
            case Error e -> throw e;
            default -> new IOException(t);
        };
    }
}
