package io.jtcp.host;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.wire.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Who holds each local TCP port, and at which address: bound sockets, listeners, connections
 * (accepted ones share their listener's port) and TIME_WAIT entries. The one table bind(2),
 * listen(2) and connect(2) ask, answering as Linux's inet_csk_bind_conflict does: a new
 * holder conflicts with an existing one when their addresses overlap (equal, or either a
 * wildcard of a family that covers the other: 0.0.0.0 covers IPv4, :: covers IPv6 and, when
 * not IPV6_V6ONLY, IPv4 too), unless both set SO_REUSEADDR and the existing one is not
 * listening. So SO_REUSEADDR lets a restarted server bind over the TIME_WAIT and ESTABLISHED
 * remains of its previous life, but never over a live listener.
 *
 * <p>Holders with the same address and flags are counted together: a server's hundred
 * thousand accepted connections on one port are one group.
 */
public final class BindTable {
    /** A kind of holder at one port: its address, flags and how many hold it that way. */
    private static final class Group {
        final IpAddress address;
        final boolean reuseAddr, v6Only;
        int holders, listeners;

        Group(IpAddress address, boolean reuseAddr, boolean v6Only) {
            this.address = address;
            this.reuseAddr = reuseAddr;
            this.v6Only = v6Only;
        }
    }

    /** Indexed by port: no Integer boxed and no map node per lookup. */
    @SuppressWarnings("unchecked")
    private final List<Group>[] ports = new List[65536];
    private int inUse;

    /** EADDRINUSE if a holder conflicts with a new one at {@code address}:{@code port} (Linux's rule, above). */
    public void check(IpAddress address, int port, boolean reuseAddr, boolean v6Only) throws ErrnoException {
        List<Group> groups = ports[port];
        if (groups == null) return;
        for (Group g : groups) {
            if (g.holders == 0 || !overlap(g.address, g.v6Only, address, v6Only)) continue;
            if (g.listeners > 0) throw new ErrnoException(Errno.EADDRINUSE, address.withPort(port) + " has a listener");
            if (!reuseAddr || !g.reuseAddr) {
                throw new ErrnoException(Errno.EADDRINUSE, address.withPort(port) + " is held by " + g.holders
                        + " socket(s) at " + g.address);
            }
        }
    }

    /** Whether a listener holds {@code port} at an address that covers {@code address}. */
    public boolean hasListener(IpAddress address, int port) {
        List<Group> groups = ports[port];
        if (groups == null) return false;
        for (Group g : groups) if (g.listeners > 0 && overlap(g.address, g.v6Only, address, false)) return true;
        return false;
    }

    /** Whether anything holds {@code port}, at any address. */
    public boolean inUse(int port) {
        return ports[port] != null;
    }

    public void add(IpAddress address, int port, boolean reuseAddr, boolean v6Only) {
        group(address, port, reuseAddr, v6Only).holders++;
    }

    public void remove(IpAddress address, int port, boolean reuseAddr, boolean v6Only) {
        List<Group> groups = ports[port];
        Group g = groups == null ? null : find(groups, address, reuseAddr, v6Only);
        if (g == null || g.holders == 0) throw new IllegalStateException(address.withPort(port) + " has no such holder to remove");
        g.holders--;
        if (g.holders < g.listeners) throw new IllegalStateException(address.withPort(port) + " lost a listener's hold");
        if (g.holders == 0) groups.remove(g);
        if (groups.isEmpty()) {
            ports[port] = null;
            inUse--;
        }
    }

    /** A holder starts (true) or stops (false) listening; it keeps its hold on the port either way. */
    public void listening(IpAddress address, int port, boolean reuseAddr, boolean v6Only, boolean on) {
        Group g = find(ports[port], address, reuseAddr, v6Only);
        if (g == null) throw new IllegalStateException(address.withPort(port) + " is not held");
        g.listeners += on ? 1 : -1;
    }

    /** Ports with any holder, for leak checks. */
    public int size() {
        return inUse;
    }

    private Group group(IpAddress address, int port, boolean reuseAddr, boolean v6Only) {
        List<Group> groups = ports[port];
        if (groups == null) {
            groups = ports[port] = new ArrayList<>(1);
            inUse++;
        }
        Group g = find(groups, address, reuseAddr, v6Only);
        if (g == null) groups.add(g = new Group(address, reuseAddr, v6Only));
        return g;
    }

    private static Group find(List<Group> groups, IpAddress address, boolean reuseAddr, boolean v6Only) {
        if (groups == null) return null;
        for (Group g : groups) {
            if (g.address.equals(address) && g.reuseAddr == reuseAddr && g.v6Only == v6Only) return g;
        }
        return null;
    }

    /** Linux's inet_rcv_saddr_equal with wildcards: whether sockets at these addresses could both take one packet. */
    static boolean overlap(IpAddress a, boolean aV6Only, IpAddress b, boolean bV6Only) {
        if (a.equals(b)) return true;
        return covers(a, aV6Only, b) || covers(b, bV6Only, a);
    }

    /** Whether a socket bound to wildcard {@code w} takes packets for {@code x}. */
    static boolean covers(IpAddress w, boolean v6Only, IpAddress x) {
        if (!w.isAny()) return false;
        if (w.isV4()) return x.isV4();
        return x.isV6() || !v6Only;
    }
}
