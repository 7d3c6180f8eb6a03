package io.jtcp.api;

import java.util.concurrent.CompletableFuture;

/**
 * The future of a socket call: whoever fails it (the engine's ErrnoException from a
 * task on the loop, a connection's end), it fails with the JDK-typed exception
 * {@link SocketErrors} makes, so the async forms throw what the blocking ones do.
 */
final class SocketFuture<T> extends CompletableFuture<T> {
    private final boolean connecting;

    private SocketFuture(boolean connecting) {
        this.connecting = connecting;
    }

    /** The future of a connect(2): ETIMEDOUT and ENOTCONN become ConnectExceptions. */
    static <T> SocketFuture<T> ofConnect() {
        return new SocketFuture<>(true);
    }

    /** The future of any other call. */
    static <T> SocketFuture<T> of() {
        return new SocketFuture<>(false);
    }

    @Override
    public boolean completeExceptionally(Throwable t) {
        return super.completeExceptionally(SocketErrors.typed(t, connecting));
    }
}
