package io.jtcp.host;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.config.IpSysctl;
import io.jtcp.config.Sysctls;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;
import io.jtcp.wire.Udp;
import java.util.SplittableRandom;

/**
 * The host's UDP: its bound sockets by port, with Linux's rules for binding
 * (udp_lib_get_port), for choosing the socket a datagram goes to (__udp4_lib_lookup's
 * compute_score), for the receive queue's bound (__udp_enqueue_schedule_skb) and for
 * ICMP errors (__udp4_lib_err, __udp6_lib_err). The stack hands it every UDP packet
 * ({@link #datagramArrives}) and every ICMP error quoting a UDP datagram ({@link #icmpError});
 * sockets send through the {@link DatagramHost}.
 *
 * <p>SO_REUSEPORT is not modelled (no load balancing across a group): two sockets on one
 * port and overlapping addresses need SO_REUSEADDR on both. Multicast group membership
 * is not modelled either: as with Linux's default IP_MULTICAST_ALL, a multicast or
 * broadcast datagram the host accepted goes to every socket on its port whose address
 * and connection match.
 *
 * <p>Not thread-safe: the stack's thread owns it.
 */
public final class UdpSockets {
    private final DatagramHost host;
    /** The sockets on each port, chained through {@link UdpSock#nextOnPort}; indexed by port, as the bind table is. */
    private final UdpSock[] byPort = new UdpSock[65536];
    private final UdpCounters counters = new UdpCounters();
    private final Udp rx = new Udp();
    private final byte[] tx = new byte[65535];
    private final SplittableRandom random;
    private int sockets;
    /** Forwarding mode's taker of datagrams no socket wants, or null. */
    private UdpForwarding forwarding;

    public UdpSockets(DatagramHost host, long seed) {
        this.host = host;
        this.random = new SplittableRandom(seed);
    }

    public UdpCounters counters() { return counters; }

    /** Bound sockets. */
    public int size() { return sockets; }

    /**
     * socket(AF_INET or AF_INET6, SOCK_DGRAM): unbound, with rmem_default / wmem_default
     * buffers and, for IPv6, IPV6_V6ONLY from net.ipv6.bindv6only.
     */
    public UdpSock open(boolean ipv6, UdpHandler handler) {
        Sysctls s = host.sysctls();
        return new UdpSock(ipv6, ipv6 && s.ip(IpSysctl.BINDV6ONLY) != 0,
                s.ip(IpSysctl.RMEM_DEFAULT), s.ip(IpSysctl.WMEM_DEFAULT), java.util.Objects.requireNonNull(handler));
    }

    // ---- options ----

    public void setReuseAddr(UdpSock s, boolean on) { s.reuseAddr = on; }

    public void setBroadcast(UdpSock s, boolean on) { s.broadcast = on; }

    /**
     * IP_TRANSPARENT: bind(2) may take an address that is not the host's (inet_can_nonlocal_bind),
     * which a forwarded flow's socket needs to answer from the original destination
     * ({@link ForwardedFlow#accept}). Linux asks for CAP_NET_ADMIN; here the forwarder sets it.
     */
    public void setTransparent(UdpSock s, boolean on) { s.transparent = on; }

    /** Forwarding mode: datagrams no socket takes go to {@code f} before they are answered with port unreachable. */
    void forwardUnclaimedTo(UdpForwarding f) { this.forwarding = f; }

    /** IP_RECVERR / IPV6_RECVERR: every ICMP error becomes the socket's pending error, connected or not, hard or soft. */
    public void setRecvErr(UdpSock s, boolean on) { s.recvErr = on; }

    /** SO_RCVBUF as Linux's __sock_set_rcvbuf: cut to rmem_max, doubled, floored at SOCK_MIN_RCVBUF. */
    public void setReceiveBufferSize(UdpSock s, int requested) {
        s.rcvBuf = SocketOptions.userSize(requested, host.sysctls().rmemMax(), SocketOptions.MIN_RCVBUF);
    }

    /**
     * SO_SNDBUF as Linux's sock_set_sndbuf. Kept and reported only: a send hands its
     * datagram to the IP layer at once, so no bytes ever wait against it.
     */
    public void setSendBufferSize(UdpSock s, int requested) {
        s.sndBuf = SocketOptions.userSize(requested, host.sysctls().wmemMax(), SocketOptions.MIN_SNDBUF);
    }

    /** IPV6_V6ONLY: EINVAL once bound (do_ipv6_setsockopt), ENOPROTOOPT on an IPv4 socket. */
    public void setV6only(UdpSock s, boolean on) throws ErrnoException {
        if (!s.ipv6) throw new ErrnoException(Errno.ENOPROTOOPT, "IPV6_V6ONLY on an IPv4 socket");
        if (s.localPort != 0) throw new ErrnoException(Errno.EINVAL, "IPV6_V6ONLY after bind");
        s.v6only = on;
    }

    // ---- bind, connect ----

    /**
     * bind(2) to {@code address} (the socket family's wildcard, one of the host's own, or a
     * multicast or broadcast address; an IPv4 address on an IPv6 socket is its mapped form) and {@code port} (0: an
     * ephemeral one). EINVAL when bound already or a mapped address on a v6-only socket,
     * EAFNOSUPPORT for an IPv6 address on an IPv4 socket, EADDRNOTAVAIL for an address not
     * the host's, EADDRINUSE as {@link #conflicting} says or when no ephemeral port is free.
     */
    public void bind(UdpSock s, IpAddress address, int port) throws ErrnoException {
        requireOpen(s);
        if (port < 0 || port > 65535) throw new ErrnoException(Errno.EINVAL, "port " + port + " out of range");
        if (s.localPort != 0) throw new ErrnoException(Errno.EINVAL, "already bound to " + s.local.withPort(s.localPort));
        IpAddress a = address == null ? s.wildcard() : address;
        if (!s.ipv6 && !a.isV4()) throw new ErrnoException(Errno.EAFNOSUPPORT, a + " on an IPv4 socket");
        if (s.ipv6 && a.isV4() && s.v6only) throw new ErrnoException(Errno.EINVAL, "IPv4-mapped " + a + " on a v6-only socket");
        // ::ffff:0.0.0.0 on an IPv6 socket is the IPv4 wildcard: IPv4 to any address, and no IPv6 (UdpSock.v4View).
        // inet_bind and __inet6_bind take the host's own addresses and, for datagrams, multicast and broadcast ones.
        if (!a.isAny() && !host.isLocal(a) && !a.isMulticast() && !host.isBroadcast(a) && !s.transparent) {
            throw new ErrnoException(Errno.EADDRNOTAVAIL, a + " is not this host's");
        }
        IpAddress before = s.local;
        boolean v6onlyBefore = s.v6only;
        s.local = a;
        // __inet6_bind: a socket bound to a real IPv6 address can take no IPv4, so it becomes v6-only.
        if (s.ipv6 && !a.isAny() && !a.isV4()) s.v6only = true;
        try {
            if (port == 0) {
                hash(s, ephemeralPort(s, Errno.EADDRINUSE));
            } else {
                UdpSock other = conflicting(s, port);
                if (other != null) throw new ErrnoException(Errno.EADDRINUSE, s.local.withPort(port) + " conflicts with " + other);
                hash(s, port);
            }
        } catch (ErrnoException e) {
            s.local = before;
            s.v6only = v6onlyBefore;
            throw e;
        }
        s.addressLocked = !a.isAny();
        s.portLocked = port != 0;
    }

    /**
     * connect(2) on a datagram socket (ip4_datagram_connect, ip6_datagram_connect): sets the
     * default destination and from then on takes datagrams from it alone. An unbound socket
     * gets an ephemeral port (EAGAIN when none is free); a socket bound to the wildcard
     * takes the route's source address as its own. ENETUNREACH without a route, EACCES for
     * a broadcast destination without SO_BROADCAST, and the family errors of {@link #checkDestination}.
     */
    public void connect(UdpSock s, IpAddress dst, int port) throws ErrnoException {
        requireOpen(s);
        if (port < 0 || port > 65535) throw new ErrnoException(Errno.EINVAL, "port " + port + " out of range");
        checkDestination(s, dst);
        IpAddress src = sourceFor(s, dst);
        if (s.localPort == 0) hash(s, ephemeralPort(s, Errno.EAGAIN));
        if (s.local.isAny()) s.local = src;
        s.remote = dst;
        s.remotePort = port;
    }

    /**
     * connect(2) with AF_UNSPEC (__udp_disconnect): forgets the peer; the address and port
     * return to the wildcard and to unbound unless bind(2) chose them.
     */
    public void disconnect(UdpSock s) throws ErrnoException {
        requireOpen(s);
        s.remote = null;
        s.remotePort = 0;
        if (!s.addressLocked) s.local = s.wildcard();
        if (!s.portLocked && s.localPort != 0) unhash(s);
    }

    /** close(2): the port is free again and what was queued is gone. */
    public void close(UdpSock s) {
        if (s.closed) return;
        if (s.localPort != 0) unhash(s);
        s.closed = true;
        s.queue.clear();
        s.queuedBytes = 0;
    }

    /**
     * Whether {@code s}, bound to its address, would conflict with a socket on {@code port}
     * (udp_lib_lport_inuse): another socket whose addresses overlap, unless both set SO_REUSEADDR.
     */
    private UdpSock conflicting(UdpSock s, int port) {
        for (UdpSock o = byPort[port]; o != null; o = o.nextOnPort) {
            if (o != s && !(o.reuseAddr && s.reuseAddr) && s.addressesOverlap(o)) return o;
        }
        return null;
    }

    /**
     * A port of ip_local_port_range no UDP socket uses, searched from a random start
     * (udp_lib_get_port's bitmap of ports in use); {@code none} when all are taken:
     * EADDRINUSE for bind(2), EAGAIN for an autobind (inet_autobind).
     */
    private int ephemeralPort(UdpSock s, Errno none) throws ErrnoException {
        Sysctls cfg = host.sysctls();
        int low = cfg.ipLocalPortRangeLow(), size = cfg.ipLocalPortRangeHigh() - low + 1;
        int start = random.nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = low + (start + i) % size;
            if (byPort[port] == null) return port;
        }
        throw new ErrnoException(none, "no free UDP port in ip_local_port_range for " + s);
    }

    private void hash(UdpSock s, int port) {
        s.localPort = port;
        s.nextOnPort = byPort[port];
        byPort[port] = s;
        sockets++;
    }

    private void unhash(UdpSock s) {
        UdpSock head = byPort[s.localPort];
        if (head == s) {
            byPort[s.localPort] = s.nextOnPort;
        } else {
            UdpSock o = head;
            while (o.nextOnPort != s) o = o.nextOnPort;
            o.nextOnPort = s.nextOnPort;
        }
        s.nextOnPort = null;
        s.localPort = 0;
        sockets--;
    }

    // ---- send, receive ----

    /**
     * sendto(2) of {@code data[off, off+len)} to {@code dst:port}, or with {@code dst} null to
     * the connected peer (EDESTADDRREQ when unconnected), as udp_sendmsg / udpv6_sendmsg:
     * a pending error fails it once first; EMSGSIZE past the family's largest datagram;
     * EACCES for broadcast without SO_BROADCAST; an unbound socket gets an ephemeral port
     * (EAGAIN when none is free). Returns {@code len}.
     */
    public int send(UdpSock s, IpAddress dst, int port, byte[] data, int off, int len) throws ErrnoException {
        requireOpen(s);
        reportPendingError(s);
        if (dst == null) {
            if (s.remote == null) throw new ErrnoException(Errno.EDESTADDRREQ, "send on an unconnected UDP socket");
            dst = s.remote;
            port = s.remotePort;
        } else if (port <= 0 || port > 65535) {
            throw new ErrnoException(Errno.EINVAL, "port " + port + " out of range");
        }
        if (len > (dst.isV4() ? Udp.MAX_DATA_V4 : Udp.MAX_DATA_V6)) {
            throw new ErrnoException(Errno.EMSGSIZE, len + " bytes in one UDP datagram to " + dst);
        }
        checkDestination(s, dst);
        IpAddress src = sourceFor(s, dst);
        if (s.localPort == 0) hash(s, ephemeralPort(s, Errno.EAGAIN));
        int n = Udp.encode(src, s.localPort, dst, port, data, off, len, tx, 0);
        host.sendIp(src, dst, Checksum.PROTO_UDP, tx, 0, n);
        counters.outDatagrams++;
        return len;
    }

    /**
     * recvfrom(2): the first queued datagram (left queued with {@code peek}, MSG_PEEK), or
     * null when none is (EAGAIN's case: the caller waits or fails). A pending error is
     * reported once first, before any queued datagram, as __skb_recv_udp's sock_error does.
     */
    public UdpDatagram receive(UdpSock s, boolean peek) throws ErrnoException {
        requireOpen(s);
        reportPendingError(s);
        if (peek) return s.queue.peek();
        UdpDatagram d = s.queue.poll();
        if (d != null) s.queuedBytes -= d.data().length + UdpSock.DATAGRAM_OVERHEAD;
        return d;
    }

    /** getsockopt(SO_ERROR): the pending error, cleared. */
    public Errno takeError(UdpSock s) {
        Errno e = s.pendingError;
        s.pendingError = null;
        return e;
    }

    private void reportPendingError(UdpSock s) throws ErrnoException {
        Errno e = takeError(s);
        if (e != null) throw new ErrnoException(e, "reported by ICMP for " + s);
    }

    private static void requireOpen(UdpSock s) throws ErrnoException {
        if (s.closed) throw new ErrnoException(Errno.EBADF, "socket closed");
    }

    /**
     * Whether the socket's family can reach {@code dst}: EAFNOSUPPORT for IPv6 from an IPv4
     * socket; ENETUNREACH for IPv4 from a v6-only socket (ip6_datagram_connect, udpv6_sendmsg)
     * and for IPv6 from a socket bound to an IPv4 address; EACCES for a broadcast destination
     * without SO_BROADCAST (udp_sendmsg after the route says RTCF_BROADCAST).
     */
    private void checkDestination(UdpSock s, IpAddress dst) throws ErrnoException {
        if (!s.ipv6 && !dst.isV4()) throw new ErrnoException(Errno.EAFNOSUPPORT, "IPv6 destination " + dst + " from an IPv4 socket");
        if (dst.isV4() ? s.v4View() == null : s.v6View() == null) {
            throw new ErrnoException(Errno.ENETUNREACH, dst + " is of a family " + s + " cannot send to");
        }
        if (host.isBroadcast(dst) && !s.broadcast) throw new ErrnoException(Errno.EACCES, "broadcast to " + dst + " without SO_BROADCAST");
    }

    /** The bound address when the socket has one of the destination's family, else the route's choice. */
    private IpAddress sourceFor(UdpSock s, IpAddress dst) throws ErrnoException {
        return s.local.isAny() ? host.sourceFor(dst) : s.local;
    }

    // ---- arrivals ----

    /**
     * A UDP packet for this host (already checked by the IP layer and, if it was fragmented,
     * reassembled). Returns null when a socket queued it, else why it was dropped; the
     * caller answers {@link DropReason#UDP_NO_PORT} with an ICMP port unreachable quoting
     * the packet (rate-limited), and nothing else. Allocates only the queued copy.
     * {@code verifyChecksum} false for a link with checksum offload.
     */
    public DropReason datagramArrives(IpPacket p, boolean verifyChecksum, long now) {
        DropReason bad = rx.decode(p, verifyChecksum);
        if (bad != null) {
            counters.inErrors++;
            if (bad == DropReason.UDP_BAD_CHECKSUM) counters.inCsumErrors++;
            return bad;
        }
        if (p.dst.isMulticast() || host.isBroadcast(p.dst)) return deliverToAll(p, now);
        UdpSock best = null;
        int bestScore = -1;
        for (UdpSock s = byPort[rx.dstPort]; s != null; s = s.nextOnPort) {
            int score = s.score(p.src, rx.srcPort, p.dst);
            if (score > bestScore) {
                best = s;
                bestScore = score;
            }
        }
        if (best == null) {
            DropReason why = forwarding == null ? DropReason.UDP_NO_PORT
                    : forwarding.unclaimed(p, rx.srcPort, rx.dstPort, rx.dataOffset, rx.dataLength);
            if (why == DropReason.UDP_NO_PORT) counters.noPorts++;
            return why;
        }
        return enqueue(best, p.src, rx.srcPort, p.dst, rx.dstPort, p.buf, rx.dataOffset, rx.dataLength, now);
    }

    /**
     * __udp4_lib_mcast_deliver: a copy for each socket on the port that matches; none is no
     * error. The datagram is read into locals first: a socket's handler may send, and a
     * send to this host may come back through the stack's decoders before the loop ends.
     */
    private DropReason deliverToAll(IpPacket p, long now) {
        IpAddress src = p.src, dst = p.dst;
        byte[] buf = p.buf;
        int sport = rx.srcPort, dport = rx.dstPort, off = rx.dataOffset, len = rx.dataLength;
        boolean matched = false, queued = false;
        for (UdpSock s = byPort[dport]; s != null; s = s.nextOnPort) {
            if (s.score(src, sport, dst) < 0) continue;
            matched = true;
            queued |= enqueue(s, src, sport, dst, dport, buf, off, len, now) == null;
        }
        if (!matched) {
            counters.ignoredMulti++;
            return DropReason.UDP_IGNORED_MULTI;
        }
        return queued ? null : DropReason.UDP_RCVBUF_FULL;
    }

    /**
     * __udp_enqueue_schedule_skb: dropped when what is queued already exceeds SO_RCVBUF.
     * The test is on what was queued before, so a queue below its bound takes one more
     * datagram of any size (an empty one always does).
     */
    private DropReason enqueue(UdpSock s, IpAddress src, int sport, IpAddress dst, int dport, byte[] buf, int off, int len, long now) {
        if (s.queuedBytes > s.rcvBuf) {
            counters.rcvbufErrors++;
            counters.inErrors++;
            return DropReason.UDP_RCVBUF_FULL;
        }
        queue(s, new UdpDatagram(src, sport, dst, dport, java.util.Arrays.copyOfRange(buf, off, off + len)));
        s.handler.readable(s, now);
        return null;
    }

    /**
     * A forwarded flow's held datagram, queued on the flow's new socket before its owner has
     * it (so the owner is not called): bounded as any arrival, counted as received now.
     */
    void enqueueQuietly(UdpSock s, UdpDatagram d) {
        if (s.queuedBytes > s.rcvBuf) {
            counters.rcvbufErrors++;
            counters.inErrors++;
        } else {
            queue(s, d);
        }
    }

    private void queue(UdpSock s, UdpDatagram d) {
        s.queue.add(d);
        s.queuedBytes += d.data().length + UdpSock.DATAGRAM_OVERHEAD;
        counters.inDatagrams++;
    }

    // ---- ICMP errors ----

    /**
     * An ICMP or ICMPv6 error quoting a datagram this host sent from {@code src:sport} to
     * {@code dst:dport}, which the stack maps to {@code errno} and {@code hard} as Linux's
     * icmp_err_convert / icmpv6_err_convert do (port unreachable: ECONNREFUSED, hard; net and
     * host unreachable, time exceeded: ENETUNREACH / EHOSTUNREACH, soft; fragmentation needed
     * and packet too big: EMSGSIZE, hard while path MTU discovery is on). As __udp4_lib_err
     * and __udp6_lib_err: the socket that would take the peer's reply is found; without
     * IP_RECVERR only a hard error on a connected socket becomes its pending error. Returns
     * whether a socket took it.
     */
    public boolean icmpError(IpAddress src, int sport, IpAddress dst, int dport, Errno errno, boolean hard, long now) {
        UdpSock best = null;
        int bestScore = -1;
        for (UdpSock s = byPort[sport]; s != null; s = s.nextOnPort) {
            int score = s.score(dst, dport, src);
            if (score > bestScore) {
                best = s;
                bestScore = score;
            }
        }
        if (best == null || !best.recvErr && (!hard || best.remote == null)) return false;
        best.pendingError = errno;
        best.handler.readable(best, now);
        return true;
    }
}
