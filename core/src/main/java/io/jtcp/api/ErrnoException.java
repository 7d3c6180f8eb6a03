package io.jtcp.api;

import java.io.IOException;

/** A failed socket or connection call, naming the errno a Linux programmer would get. */
public final class ErrnoException extends IOException {
    private final Errno errno;

    public ErrnoException(Errno errno) {
        this(errno, null);
    }

    public ErrnoException(Errno errno, String detail) {
        super(errno.name() + " (" + errno.text() + ")" + (detail == null ? "" : ": " + detail));
        this.errno = errno;
    }

    public Errno errno() { return errno; }
}
