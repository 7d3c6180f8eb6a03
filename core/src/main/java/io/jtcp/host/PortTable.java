package io.jtcp.host;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;

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
    // Indexed by port: no Integer boxed and no map node per lookup (connect, accept and
    // close each ask several times), at 9 bytes a port, ~590 KB a stack.
    private final boolean[] listening = new boolean[65536];
    private final int[] reusing = new int[65536];
    private final int[] exclusive = new int[65536];
    private int inUse;

    void checkBind(int port, boolean reuseAddr) throws ErrnoException {
        if (!held(port)) return;
        if (listening[port]) throw new ErrnoException(Errno.EADDRINUSE, "port " + port + " has a listener");
        if (exclusive[port] > 0 || !reuseAddr && reusing[port] > 0) {
            throw new ErrnoException(Errno.EADDRINUSE, "port " + port + " is held by " + (reusing[port] + exclusive[port])
                    + " socket(s): connections or TIME_WAIT entries");
        }
    }

    boolean hasListener(int port) {
        return listening[port];
    }

    boolean inUse(int port) {
        return held(port);
    }

    void addListener(int port) {
        boolean was = held(port);
        listening[port] = true;
        if (!was) inUse++;
    }

    void removeListener(int port) {
        if (!listening[port]) return;
        listening[port] = false;
        if (!held(port)) inUse--;
    }

    void add(int port, boolean reuseAddr) {
        if (!held(port)) inUse++;
        if (reuseAddr) reusing[port]++;
        else exclusive[port]++;
    }

    void remove(int port, boolean reuseAddr) {
        if (!held(port)) throw new IllegalStateException("port " + port + " has no holder to remove");
        if (reuseAddr) reusing[port]--;
        else exclusive[port]--;
        if (reusing[port] < 0 || exclusive[port] < 0) throw new IllegalStateException("port " + port + " released twice");
        if (!held(port)) inUse--;
    }

    int size() {
        return inUse;
    }

    private boolean held(int port) {
        return listening[port] || reusing[port] != 0 || exclusive[port] != 0;
    }
}
