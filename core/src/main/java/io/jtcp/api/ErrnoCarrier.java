package io.jtcp.api;

/**
 * An exception that names the errno a Linux socket call would have failed with. Every
 * exception jtcp's socket layer throws implements it, whatever JDK type it has
 * ({@link java.net.ConnectException}, {@link java.net.SocketTimeoutException},
 * {@link java.nio.channels.ClosedChannelException}, ...), so code written against the
 * JDK catches the types it knows and code that wants the errno still finds it.
 */
public interface ErrnoCarrier {
    Errno errno();

    /** The errno carried by {@code t} or the first of its causes that carries one; null if none does. */
    static Errno errnoOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ErrnoCarrier e) return e.errno();
            if (c.getCause() == c) break;
        }
        return null;
    }
}
