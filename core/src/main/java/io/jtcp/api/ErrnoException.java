package io.jtcp.api;

import java.net.SocketException;

/**
 * A failed socket or connection call, naming the errno a Linux programmer would get.
 * The engine throws it with the errno and a detail; the socket layer hands users the
 * JDK-typed form that {@link SocketErrors} makes of it (a {@link SocketException}
 * such as this one with the JDK's message, or a subclass like
 * {@link java.net.ConnectException}), whose cause is the engine's exception.
 */
public final class ErrnoException extends SocketException implements ErrnoCarrier {
    private final Errno errno;
    /** Made by {@link SocketErrors} with the JDK's message, not by the engine. */
    private final boolean jdkTyped;

    public ErrnoException(Errno errno) {
        this(errno, null);
    }

    public ErrnoException(Errno errno, String detail) {
        super(errno.name() + " (" + errno.text() + ")" + (detail == null ? "" : ": " + detail));
        this.errno = errno;
        this.jdkTyped = false;
    }

    /** The JDK-typed form: {@code message} is what a JDK socket would say. */
    ErrnoException(String message, Errno errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
        this.jdkTyped = true;
    }

    @Override
    public Errno errno() { return errno; }

    boolean jdkTyped() { return jdkTyped; }
}
