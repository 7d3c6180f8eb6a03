package io.jtcp.nio;

import io.jtcp.api.ErrnoException;
import io.jtcp.api.StackLoop;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The exceptions NIO users expect (ConnectException, "Connection reset", ClosedChannelException,
 * NotYetConnectedException, ...) for jtcp's errno failures, with the {@link ErrnoException}
 * as cause. One place to switch to io.jtcp.net's errno-carrying exception factory once it is merged.
 */
final class NioErrors {
    private NioErrors() {}

    /** Waits for {@code f} (uninterruptibly: the channel's interruptor closes it instead) and maps its failure. */
    static <T> T join(StackLoop loop, CompletableFuture<T> f, boolean connecting) throws IOException {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return loop.await(f, -1); // through the loop, so a simulation sees the thread blocked in jtcp
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException | TimeoutException e) {
                    throw map(e, connecting);
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** What a failed future (or a failed call) stands for; {@code connecting} picks connect(2)'s forms. */
    static IOException map(Throwable t, boolean connecting) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        return switch (t) {
            case ErrnoException e -> typed(e, connecting);
            case IOException io -> io;
            case RejectedExecutionException r -> new ClosedChannelException();
            case CancellationException c -> new ClosedChannelException();
            case RuntimeException r -> throw r;
            case Error e -> throw e;
            default -> new IOException(t);
        };
    }

    private static IOException typed(ErrnoException e, boolean connecting) {
        IOException typed = switch (e.errno()) {
            case EBADF -> new ClosedChannelException();
            case ENOTCONN -> throw new NotYetConnectedException();
            case ECONNREFUSED -> new ConnectException("Connection refused");
            case EADDRINUSE -> new BindException("Address already in use");
            case EADDRNOTAVAIL -> new BindException("Cannot assign requested address");
            case ECONNRESET -> connecting ? new ConnectException("Connection reset") : new SocketException("Connection reset");
            case EPIPE -> new SocketException("Broken pipe");
            case ETIMEDOUT -> connecting ? new ConnectException("Connection timed out") : new SocketException("Connection timed out");
            default -> connecting ? new ConnectException(e.errno().text()) : new SocketException(e.errno().text());
        };
        typed.initCause(e);
        return typed;
    }
}
