package io.jtcp.host;

import io.jtcp.tcp.Errno;
import io.jtcp.tcp.ErrnoException;
import java.util.HashMap;
import java.util.Map;

/**
 * Who holds each local port: a listener, connections (accepted ones share their
 * listener's port), TIME_WAIT entries. It answers bind(2)'s question the way
 * Linux's inet_csk_bind_conflict does: a port is free for a new socket unless
 * some holder conflicts with it, and two holders conflict unless both set
 * SO_REUSEADDR and neither is listening. So SO_REUSEADDR lets a restarted server
 * bind over the TIME_WAIT (and ESTABLISHED) remains of its previous life, but
 * never over a live listener.
 */
final class PortTable {
    /** Counts of the holders of one port, split by whether they set SO_REUSEADDR. */
    private static final class Holders {
        boolean listening;
        int reusing, exclusive;

        boolean isEmpty() { return !listening && reusing == 0 && exclusive == 0; }
    }

    private final Map<Integer, Holders> ports = new HashMap<>();

    /** Throws EADDRINUSE if a socket with this SO_REUSEADDR setting may not bind {@code port}. */
    void checkBind(int port, boolean reuseAddr) throws ErrnoException {
        Holders h = ports.get(port);
        if (h == null) return;
        if (h.listening) throw new ErrnoException(Errno.EADDRINUSE, "port " + port + " has a listener");
        if (h.exclusive > 0 || !reuseAddr && h.reusing > 0) {
            throw new ErrnoException(Errno.EADDRINUSE, "port " + port + " is held by "
                    + (h.reusing + h.exclusive) + " connection(s) or TIME_WAIT entr(ies)");
        }
    }

    boolean hasListener(int port) {
        Holders h = ports.get(port);
        return h != null && h.listening;
    }

    boolean inUse(int port) {
        return ports.containsKey(port);
    }

    void addListener(int port) {
        ports.computeIfAbsent(port, p -> new Holders()).listening = true;
    }

    void removeListener(int port) {
        Holders h = ports.get(port);
        if (h == null) return;
        h.listening = false;
        if (h.isEmpty()) ports.remove(port);
    }

    /** A connection or a TIME_WAIT entry takes a share of {@code port}. */
    void add(int port, boolean reuseAddr) {
        Holders h = ports.computeIfAbsent(port, p -> new Holders());
        if (reuseAddr) h.reusing++;
        else h.exclusive++;
    }

    void remove(int port, boolean reuseAddr) {
        Holders h = ports.get(port);
        if (h == null) throw new IllegalStateException("port " + port + " has no holder to remove");
        if (reuseAddr) h.reusing--;
        else h.exclusive--;
        if (h.reusing < 0 || h.exclusive < 0) throw new IllegalStateException("port " + port + " released twice");
        if (h.isEmpty()) ports.remove(port);
    }

    /** Ports with any holder, for leak checks. */
    int size() {
        return ports.size();
    }
}
