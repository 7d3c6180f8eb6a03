package io.jtcp.host;

import io.jtcp.tcp.Connection;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.IpAddress;
import java.util.function.Consumer;

/**
 * A stack's connections by their full identity (local address and port, remote address and
 * port, either family): O(1) demultiplexing with nothing allocated per lookup. Open
 * addressing over the endpoints themselves, each slot with its tuple's hash beside it so a
 * probe rarely touches an endpoint that is not the one; linear probing with backward-shift
 * deletion, so there are no tombstones to slow long-lived tables.
 */
final class ConnectionTable {
    /** Each slot's 32-bit hash (the 64-bit one folded): half the bytes of a long per slot, and a probe still rarely touches the wrong endpoint. */
    private int[] hashes;
    private Endpoint[] endpoints;
    private int size;
    private int mask;

    ConnectionTable() {
        hashes = new int[16];
        endpoints = new Endpoint[16];
        mask = 15;
    }

    int size() { return size; }

    Endpoint get(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        int h = hash(local, localPort, remote, remotePort);
        for (int i = slot(h); ; i = (i + 1) & mask) {
            Endpoint ep = endpoints[i];
            if (ep == null) return null;
            if (hashes[i] == h && matches(ep.conn, local, localPort, remote, remotePort)) return ep;
        }
    }

    Endpoint get(FourTuple t) {
        return get(t.localAddr(), t.localPort(), t.remoteAddr(), t.remotePort());
    }

    /** Adds {@code ep}, whose tuple the caller knows is not present. */
    void add(Endpoint ep) {
        if (2 * (size + 1) > endpoints.length) grow();
        insert(hash(ep.conn), ep);
        size++;
    }

    /** Removes exactly {@code ep}; false if it was not here. */
    boolean remove(Endpoint ep) {
        int h = hash(ep.conn);
        for (int i = slot(h); ; i = (i + 1) & mask) {
            Endpoint e = endpoints[i];
            if (e == null) return false;
            if (e == ep) {
                shiftBack(i);
                size--;
                return true;
            }
        }
    }

    void forEach(Consumer<? super Endpoint> action) {
        for (Endpoint e : endpoints.clone()) if (e != null) action.accept(e);
    }

    private void insert(int h, Endpoint ep) {
        int i = slot(h);
        while (endpoints[i] != null) i = (i + 1) & mask;
        hashes[i] = h;
        endpoints[i] = ep;
    }

    /** Closes the gap at {@code hole} by moving later entries of the same probe run back into it. */
    private void shiftBack(int hole) {
        for (int i = (hole + 1) & mask; endpoints[i] != null; i = (i + 1) & mask) {
            int home = slot(hashes[i]);
            // Move entry i into the hole unless its home lies cyclically in (hole, i].
            boolean stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
            if (!stays) {
                hashes[hole] = hashes[i];
                endpoints[hole] = endpoints[i];
                hole = i;
            }
        }
        endpoints[hole] = null;
    }

    private void grow() {
        int[] oldHashes = hashes;
        Endpoint[] old = endpoints;
        hashes = new int[old.length * 2];
        endpoints = new Endpoint[old.length * 2];
        mask = endpoints.length - 1;
        for (int i = 0; i < old.length; i++) if (old[i] != null) insert(oldHashes[i], old[i]);
    }

    private static boolean matches(Connection c, IpAddress local, int localPort, IpAddress remote, int remotePort) {
        return c.localPort() == localPort && c.remotePort() == remotePort && c.remoteAddress().equals(remote)
                && c.localAddress().equals(local);
    }

    private static int hash(Connection c) {
        return hash(c.localAddress(), c.localPort(), c.remoteAddress(), c.remotePort());
    }

    private static int hash(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        long h = remote.lo() * 0x9E3779B97F4A7C15L ^ remote.hi();
        h = (h ^ local.lo() * 0xC2B2AE3D27D4EB4FL ^ local.hi()) * 0x9E3779B97F4A7C15L;
        h ^= ((long) localPort << 16 | remotePort) * 0x165667B19E3779F9L;
        return (int) (h ^ (h >>> 32));
    }

    private int slot(int h) {
        return h & mask;
    }
}
