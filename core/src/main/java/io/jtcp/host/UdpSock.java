package io.jtcp.host;

import io.jtcp.api.Errno;
import io.jtcp.wire.IpAddress;
import java.util.ArrayDeque;

/**
 * One UDP socket as the host holds it (Linux's struct udp_sock): its local and remote
 * ends, its options, its receive queue and its pending error. Made and changed by
 * {@link UdpSockets}, on the stack's thread.
 */
public final class UdpSock {
    /**
     * What a queued datagram costs besides its data, standing in for Linux's skb truesize:
     * SKB_TRUESIZE's fixed part on x86-64, the cache-aligned struct sk_buff (256) and
     * struct skb_shared_info (320). Linux adds the data buffer's kmalloc rounding and headroom
     * on top, so a Linux socket fits somewhat fewer small datagrams into the same SO_RCVBUF.
     */
    public static final int DATAGRAM_OVERHEAD = 576;

    final boolean ipv6;
    final UdpHandler handler;
    IpAddress local;
    int localPort;
    /** bind(2) chose the address / the port (Linux's SOCK_BINDADDR_LOCK / SOCK_BINDPORT_LOCK): disconnect keeps them. */
    boolean addressLocked, portLocked;
    /** The connected peer, null when unconnected. */
    IpAddress remote;
    int remotePort;
    boolean v6only, reuseAddr, broadcast, recvErr;
    /** IP_TRANSPARENT: may bind an address that is not the host's (a forwarded flow's original destination). */
    boolean transparent;
    int rcvBuf, sndBuf;
    final ArrayDeque<UdpDatagram> queue = new ArrayDeque<>();
    /** The queued datagrams' cost: data plus {@link #DATAGRAM_OVERHEAD} each (Linux's sk_rmem_alloc). */
    int queuedBytes;
    /** sk_err: reported once by the next send or receive. */
    Errno pendingError;
    boolean closed;
    /** The next socket bound to the same port (the table's chain). */
    UdpSock nextOnPort;

    UdpSock(boolean ipv6, boolean v6only, int rcvBuf, int sndBuf, UdpHandler handler) {
        this.ipv6 = ipv6;
        this.v6only = v6only;
        this.rcvBuf = rcvBuf;
        this.sndBuf = sndBuf;
        this.handler = handler;
        this.local = wildcard();
    }

    IpAddress wildcard() { return ipv6 ? IpAddress.ANY6 : IpAddress.ANY4; }

    public boolean isIpv6() { return ipv6; }
    public IpAddress localAddress() { return local; }
    /** 0 while unbound. */
    public int localPort() { return localPort; }
    public boolean isConnected() { return remote != null; }
    /** The connected peer, null when unconnected. */
    public IpAddress remoteAddress() { return remote; }
    public int remotePort() { return remotePort; }
    public boolean v6only() { return v6only; }
    public boolean reuseAddr() { return reuseAddr; }
    public boolean broadcast() { return broadcast; }
    public boolean recvErr() { return recvErr; }
    public boolean transparent() { return transparent; }
    public int receiveBufferSize() { return rcvBuf; }
    public int sendBufferSize() { return sndBuf; }
    public boolean isClosed() { return closed; }
    /** Datagrams queued for receive. */
    public int queued() { return queue.size(); }
    public int queuedBytes() { return queuedBytes; }
    /** The error the next send or receive will report, without clearing it (poll's POLLERR). */
    public Errno pendingError() { return pendingError; }
    /** A receive would not wait. */
    public boolean readable() { return !queue.isEmpty() || pendingError != null; }

    /** The data of the datagram a receive would return first (FIONREAD's answer for UDP), or -1 when none is queued. */
    public int nextLength() {
        UdpDatagram d = queue.peek();
        return d == null ? -1 : d.data().length;
    }

    /** The IPv4 address this socket receives IPv4 datagrams on (0.0.0.0 for all), or null when it takes no IPv4. */
    IpAddress v4View() {
        if (!ipv6) return local;
        if (v6only) return null;
        if (local.isAny()) return IpAddress.ANY4;
        return local.isV4() ? local : null;
    }

    /** The IPv6 address this socket receives IPv6 datagrams on (:: for all), or null when it takes no IPv6. */
    IpAddress v6View() {
        return ipv6 && !local.isV4() ? local : null;
    }

    /**
     * How well this socket matches a datagram from {@code src:sport} to {@code dst} on its
     * port, as Linux's compute_score (udp4 and udp6): -1 when it must not get it; else a
     * socket bound to the address, and one connected to the sender's address and port, each
     * score 4 more than a wildcard, and an IPv4 socket beats a dual-stack one for IPv4.
     */
    int score(IpAddress src, int sport, IpAddress dst) {
        IpAddress bound = dst.isV4() ? v4View() : v6View();
        if (bound == null) return -1;
        int score = dst.isV4() && !ipv6 ? 2 : 1;
        if (!bound.isAny()) {
            if (!bound.equals(dst)) return -1;
            score += 4;
        }
        if (remote != null) {
            if (!remote.equals(src)) return -1;
            score += 4;
            if (remotePort != sport) return -1;
            score += 4;
        }
        return score;
    }

    /**
     * Whether this socket and {@code o} want some of the same datagrams, Linux's
     * inet_rcv_saddr_equal with wildcards matching: their IPv4 views overlap, or their IPv6
     * views do (equal, or either one the wildcard).
     */
    boolean addressesOverlap(UdpSock o) {
        return overlap(v4View(), o.v4View()) || overlap(v6View(), o.v6View());
    }

    private static boolean overlap(IpAddress a, IpAddress b) {
        return a != null && b != null && (a.isAny() || b.isAny() || a.equals(b));
    }

    @Override
    public String toString() {
        return "udp" + (ipv6 ? "6 " : " ") + local.withPort(localPort) + (remote == null ? "" : " -> " + remote.withPort(remotePort));
    }
}
