package io.jtcp.api;

import java.util.HashMap;
import java.util.Map;

/**
 * The ports the API's sockets have bound but the stack may not hold yet: bind(2)
 * reserves its port at once, while the stack takes it only at listen or connect.
 * The rule is the stack's (Linux's): two sockets share a port only if both set
 * SO_REUSEADDR and neither listens. A claim also asks the stack, which knows what it
 * holds without any API socket (connections, TIME_WAIT). Owned by the loop's thread.
 */
final class PortClaims {
    private static final class Holders {
        int reusing, exclusive, listening;
    }

    private final Map<Integer, Holders> ports = new HashMap<>();

    /**
     * Reserves {@code port} for a socket being bound: it must be free both among the
     * API's claims and in the stack (a TIME_WAIT entry or an accepted connection may
     * hold it with no API socket left), so EADDRINUSE comes at bind(2), as on Linux.
     */
    void claim(int port, boolean reuseAddr, io.jtcp.host.Stack stack) throws ErrnoException {
        stack.checkBind(port, reuseAddr);
        Holders h = ports.get(port);
        if (h != null && (h.listening > 0 || h.exclusive > 0 || !reuseAddr && h.reusing > 0)) {
            throw new ErrnoException(Errno.EADDRINUSE, "port " + port + " is bound by another socket");
        }
        h = ports.computeIfAbsent(port, p -> new Holders());
        if (reuseAddr) h.reusing++;
        else h.exclusive++;
    }

    /** The claim's socket now listens: no one may share the port any more. */
    void listening(int port) {
        ports.get(port).listening++;
    }

    void release(int port, boolean reuseAddr, boolean listening) {
        Holders h = ports.get(port);
        if (h == null) return;
        if (reuseAddr) h.reusing--;
        else h.exclusive--;
        if (listening) h.listening--;
        if (h.reusing + h.exclusive <= 0) ports.remove(port);
    }
}
