package io.jtcp.tun;

import java.io.IOException;

/**
 * A failed system call (or a missing system tool), with its errno and a sentence
 * saying what would fix it where we know one: "needs root or CAP_NET_ADMIN",
 * "no /dev/net/tun". {@link #needsSetup()} tells a command to exit with code 2.
 */
public final class NativeException extends IOException {
    private final int errno;
    private final boolean setup;

    NativeException(String what, int errno, String hint) {
        super(what + ": " + Native.strerror(errno) + (hint == null ? "" : " (" + hint + ")"));
        this.errno = errno;
        this.setup = errno == Native.EPERM || errno == Native.EACCES || errno == Native.ENOENT;
    }

    NativeException(String message, boolean setup) {
        super(message);
        this.errno = 0;
        this.setup = setup;
    }

    /** The errno, or 0 when the failure was not a system call's. */
    public int errno() { return errno; }

    /** True when the machine lacks something (privilege, /dev/net/tun, iproute2) rather than the call going wrong. */
    public boolean needsSetup() {
        return setup;
    }
}
