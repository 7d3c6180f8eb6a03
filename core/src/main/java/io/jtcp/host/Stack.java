package io.jtcp.host;

import io.jtcp.config.Sysctls;
import io.jtcp.config.IpSysctl;
import io.jtcp.ip.Fragmenter;
import io.jtcp.ip.IcmpErrno;
import io.jtcp.wire.IpHeaders;
import io.jtcp.ip.ParameterProblem;
import io.jtcp.ip.Reassembly;
import io.jtcp.wire.IcmpMessage;
import io.jtcp.wire.Ip6Header;
import io.jtcp.wire.Ip6OptionLimits;
import io.jtcp.link.PacketSink;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.tcp.FastOpenOffer;
import io.jtcp.tcp.FastOpenSynAck;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.Connection;
import io.jtcp.api.ConnectionStatus;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.Resets;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import io.jtcp.tcp.TimeWaitFacts;
import io.jtcp.time.TimerWheel;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One host: its addresses (any number of IPv4 and IPv6 ones, and loopback), the IP layer's
 * checks and dispatch, and TCP's demultiplexing by 4-tuple, listeners, ephemeral ports, the
 * timer wheel every connection's deadline lives in, and the resets for segments nobody owns.
 * Sans-IO like the engine: packets come in through {@link #packetArrives}, time through
 * {@link #advance}, and packets leave through the {@link PacketSink} its driver (simulator
 * or TUN) provides, or, for the host's own addresses, through its loopback queue.
 *
 * <p>Not thread-safe: one thread owns a stack (DESIGN.md).
 */
public final class Stack implements DatagramHost {
    private final String name;
    private final LocalAddresses addresses = new LocalAddresses();
    /** Live, as Linux's sysctls are: {@link #setSysctls} replaces it; connections keep the copy they were created with. */
    private Sysctls cfg;
    private final PacketSink link;
    private final ConnectionTable connections = new ConnectionTable();
    /**
     * Listeners by port, a few per port at most (one address each, or a wildcard): indexed by
     * port so a SYN boxes no Integer and hashes nothing.
     */
    private final Listening[][] listeners = new Listening[65536][];
    final BindTable ports = new BindTable();
    private final Loopback loopback = new Loopback();
    /** Forwarding mode's SYNs (see {@link #setForwarder}). */
    private final TcpForwarding tcpForwarding = new TcpForwarding(this);
    final TimerWheel wheel;
    private final TimeWait timeWait = new TimeWait(this);

    /** The host's TIME_WAIT entries, for {@link TimeWaitProbe#fill(Stack, int, long, long)}. */
    TimeWait timeWait() { return timeWait; }
    final InitialSequence isn;
    private final StackCounters counters = new StackCounters();
    /** tcp_memory_allocated, memory pressure and the orphan count of this stack's sockets (tcp_mem, tcp_max_orphans). */
    private final io.jtcp.tcp.TcpMemory memory = new io.jtcp.tcp.TcpMemory(() -> this.cfg, () -> this.now, () -> this.connections.size());
    private final FastOpenCookieCache fastOpenCookies = new FastOpenCookieCache();
    final IpPacket rxIp = new IpPacket();
    /** A datagram reassembly completed: its own buffer, so it outlives the fragment that finished it. */
    private final IpPacket rxWhole = new IpPacket();
    private final Reassembly reassembly = new Reassembly(this::sysctls);
    private final TimerWheel.Entry reassemblyTimer = new TimerWheel.Entry() {};
    private final HostIcmp icmp;
    private final UdpSockets udp;
    /** Forwarding mode's UDP flows (see {@link #setUdpForwarder}). */
    private final UdpForwarding udpForwarding;
    /** The IPv6 option limits of the sysctls in force, kept so no packet builds them. */
    private Ip6OptionLimits ip6Limits;
    final Segment rx = new Segment();
    private final Segment rstReply = new Segment();
    private final ListenerInput listenerInput;
    private final byte[] tx = new byte[PacketCodec.MAX_PACKET_LENGTH];
    /** Where bind(2) to port 0 starts looking. */
    private final SplittableRandom bindRandom;
    /** Offset into ip_local_port_range of the next ephemeral port to try (taken modulo the range's current size). */
    private int nextEphemeral;
    /** This stack's place in a sharded host: which tuples it owns, which ports its siblings hold. */
    private ShardRole shard = ShardRole.ALONE;
    /** The ISS the next connection must use instead of a fresh one (a TIME_WAIT successor, as Linux's tcp_tw_isn). */
    private int issOverride;
    private boolean issOverridden;
    private TraceSink trace = TraceSink.NONE;
    private boolean checksumOffload;
    /** The link fills in the TCP checksum of what we send (TUN checksum offload): we leave it out. */
    private boolean linkCompletesTcpChecksums;
    /** The next IPv4 identification or IPv6 fragment id the host's datagrams take. */
    private int nextIpId;
    /** The time of the event being processed: every entry point sets it first. */
    long now;

    /** A stack at {@code address}, on a network of {@code /24} (IPv4) or {@code /64} (IPv6); {@link #addAddress} adds more. */
    public Stack(String name, IpAddress address, Sysctls cfg, PacketSink link, long seed, long startNanos) {
        this(name, new LocalAddresses.Assigned(address, address.isV4() ? 24 : 64), cfg, link, seed, startNanos);
    }

    /** A stack at {@code address} with its prefix; {@link #addAddress} adds more. */
    public Stack(String name, LocalAddresses.Assigned address, Sysctls cfg, PacketSink link, long seed, long startNanos) {
        this.name = name;
        addresses.add(address);
        this.cfg = cfg;
        this.link = link;
        this.now = startNanos;
        this.wheel = new TimerWheel(startNanos);
        SplittableRandom random = new SplittableRandom(seed);
        this.isn = new InitialSequence(random.nextLong(), random.nextLong());
        this.listenerInput = new ListenerInput(this,
                new SynCookies(isn.deriveKey(0x636f6f6b69653030L), isn.deriveKey(0x636f6f6b69653031L)),
                new FastOpenServer(counters, isn.deriveKey(0x74666f6b65793030L).hash(0), isn.deriveKey(0x74666f6b65793030L).hash(1)));
        this.nextEphemeral = random.nextInt(portRangeSize());
        this.icmp = new HostIcmp(this, random.nextLong());
        this.udp = new UdpSockets(this, random.nextLong());
        this.udpForwarding = new UdpForwarding(this, udp);
        this.ip6Limits = Ip6OptionLimits.of(cfg.ip());
        this.bindRandom = random.split();
    }

    public String name() { return name; }

    /** The host's UDP sockets. */
    public UdpSockets udp() { return udp; }

    /** The address the stack was made with: its first. */
    public IpAddress address() { return addresses.assigned().getFirst().address(); }

    public LocalAddresses addresses() { return addresses; }

    /** ip addr add: the host answers at one more address. */
    public void addAddress(IpAddress address, int prefixLength) {
        addresses.add(new LocalAddresses.Assigned(address, prefixLength));
    }
    public Sysctls sysctls() { return cfg; }

    /**
     * Writing /proc/sys/net: Linux's sysctls are live, so from now on the stack's own
     * decisions (ephemeral ports, the SYN queue bound, SYN cookies, TIME_WAIT's limit and
     * length, Fast Open) follow {@code next}. Existing connections and listeners keep what
     * they copied when they were created, as a Linux socket keeps its per-socket copies.
     */
    public void setSysctls(Sysctls next) {
        this.cfg = java.util.Objects.requireNonNull(next);
        this.ip6Limits = Ip6OptionLimits.of(next.ip());
    }
    public StackCounters counters() { return counters; }

    /** The socket memory this stack's connections hold, against tcp_mem. */
    public io.jtcp.tcp.TcpMemory memory() { return memory; }

    public void setTrace(TraceSink trace) { this.trace = trace; }

    /**
     * For a link that guarantees integrity end to end (in memory, like Linux's
     * loopback): neither compute nor verify TCP checksums, as the kernel's lo does
     * with checksum offload. Both ends of the link must agree; never for a link that
     * can corrupt (the simulator's) or whose peer verifies (TUN).
     */
    public void setChecksumOffload(boolean on) { this.checksumOffload = on; }

    /** Makes this stack one shard of a sharded host (io.jtcp.shard); set before the first socket. */
    public void setShardRole(ShardRole role) { this.shard = java.util.Objects.requireNonNull(role); }

    /**
     * For a link that completes the TCP checksum of what we send (a TUN device with
     * TUN_F_CSUM, as a NIC with NETIF_F_HW_CSUM: Linux then leaves CHECKSUM_PARTIAL): the
     * TCP checksum is left out of outgoing packets. Unlike {@link #setChecksumOffload},
     * arriving packets are still verified unless the link vouches for each.
     */
    public void setLinkCompletesTcpChecksums(boolean on) { this.linkCompletesTcpChecksums = on; }

    // ---- driver side ----

    /** One IP packet from the link. Malformed input is counted and dropped; nothing here throws for it. */
    public void packetArrives(byte[] buf, int off, int len, long now) {
        packetArrives(buf, off, len, now, false);
    }

    /**
     * One IP packet from the link, which may vouch for its transport checksum
     * ({@code checksumTrusted}: verified already, or partial from a sender whose offload
     * never runs; Linux's CHECKSUM_UNNECESSARY and CHECKSUM_PARTIAL skip tcp_checksum_complete).
     * A TCP segment may be larger than the MSS (a GRO/TSO super-segment), as an skb is.
     */
    public void packetArrives(byte[] buf, int off, int len, long now, boolean checksumTrusted) {
        this.now = now;
        ipArrives(buf, off, len, false, !checksumOffload && !checksumTrusted);
        drainLoopback();
    }

    /**
     * The IP layer's receive path (Linux's ip_rcv / ipv6_rcv, then the protocol handler):
     * decode, the address checks, then dispatch by protocol. {@code fromLoopback} is a packet
     * the host sent to itself, which may carry loopback and own addresses as its source.
     */
    private void ipArrives(byte[] buf, int off, int len, boolean fromLoopback, boolean verifyChecksum) {
        DropReason bad = PacketCodec.decodeIp(buf, off, len, rxIp, ip6Limits);
        if (bad == null) counters.ipEcnReceived(rxIp.isV6(), rxIp.tos);
        if (bad == null) bad = addressCheck(rxIp, fromLoopback);
        if (bad != null) {
            ipRefused(rxIp, bad);
            return;
        }
        IpPacket ip = rxIp;
        if (ip.fragment) {
            switch (reassembly.add(ip, now, rxWhole)) {
                case HELD -> {
                    armReassembly();
                    return;
                }
                case DROPPED -> {
                    armReassembly();
                    ipDrop(reassembly.dropReason());
                    ParameterProblem problem = reassembly.parameterProblem();
                    if (problem.due()) icmp.parameterProblem(ip, problem.code(), problem.pointer());
                    return;
                }
                case COMPLETE -> {
                    armReassembly();
                    ip = rxWhole;
                    // On a sharded host the datagram belongs to its 4-tuple's shard, not the fragments'.
                    if (shard.divertReassembled(ip.buf, 0, ip.payloadOffset + ip.payloadLength)) return;
                    // What followed the fragment header may be more extension headers (ip6_frag_reasm resubmits).
                    bad = ip.isV6() ? Ip6Header.walk(ip.protocol, ip.nextHeaderPointer, ip.buf, ip.payloadOffset,
                            ip.payloadLength, ip, ip6Limits) : null;
                    if (bad != null) {
                        ipRefused(ip, bad);
                        return;
                    }
                }
            }
        }
        deliver(ip, verifyChecksum);
    }

    /** A packet the IP layer refused: counted, and answered with the parameter problem IPv6 asked for, if any. */
    private void ipRefused(IpPacket ip, DropReason reason) {
        ipDrop(reason);
        if (ip.hasProblem()) icmp.parameterProblem(ip, ip.problemCode, ip.problemPointer);
    }

    /** Hands a whole datagram to its protocol (Linux's ip_local_deliver_finish / ip6_input_finish). */
    private void deliver(IpPacket ip, boolean verifyChecksum) {
        switch (ip.protocol) {
            case Checksum.PROTO_TCP -> {
                // tcp_v4_rcv takes PACKET_HOST only: a segment to a broadcast address is no connection's.
                if (addresses.isBroadcast(ip.dst)) {
                    ipDrop(DropReason.IP_NOT_FOR_US);
                    return;
                }
            }
            case Checksum.PROTO_UDP -> {
                udpArrives(ip, verifyChecksum);
                return;
            }
            case Checksum.PROTO_ICMP, Checksum.PROTO_ICMPV6 -> {
                if ((ip.protocol == Checksum.PROTO_ICMPV6) == ip.isV6()) icmp.arrives(ip);
                else unknownProtocol(ip);
                return;
            }
            default -> {
                unknownProtocol(ip);
                return;
            }
        }
        DropReason bad = PacketCodec.decode(ip, rx, verifyChecksum);
        if (bad != null) {
            ipDrop(bad);
            return;
        }
        tcpArrives();
    }

    /** udp_rcv: to the best socket, else port unreachable (never for a broadcast or multicast). */
    private void udpArrives(IpPacket ip, boolean verifyChecksum) {
        DropReason why = udp.datagramArrives(ip, verifyChecksum, now);
        if (why == null) return;
        countDrop(why, null, now);
        if (why == DropReason.UDP_NO_PORT) icmp.portUnreachable(ip);
    }

    /** A protocol nothing here speaks: counted, and answered as Linux answers (protocol unreachable). */
    private void unknownProtocol(IpPacket ip) {
        ipDrop(DropReason.IP_UNKNOWN_PROTOCOL);
        icmp.protocolUnreachable(ip, ip.nextHeaderPointer);
    }

    private void ipDrop(DropReason reason) {
        counters.inErrors++;
        countDrop(reason, null, now);
    }

    /** The reassembly queues' one timer in the wheel, at their earliest expiry. */
    private void armReassembly() {
        long deadline = reassembly.nextDeadline();
        if (deadline == Long.MAX_VALUE) wheel.cancel(reassemblyTimer);
        else if (!reassemblyTimer.isScheduled() || reassemblyTimer.deadline() != deadline) wheel.schedule(reassemblyTimer, deadline);
    }

    /** TCP's receive path (tcp_v4_rcv / tcp_v6_rcv): the connection, else TIME_WAIT, else a listener, else a reset. */
    private void tcpArrives() {
        counters.inSegments++;
        if (trace != TraceSink.NONE) trace.accept(TraceEvent.SegmentEvent.received(now, name, rx));
        Endpoint ep = connections.get(rx.dstAddr, rx.dstPort, rx.srcAddr, rx.srcPort);
        if (ep != null && listenerInput.dropOrphanedRequest(ep)) ep = null;  // and looked up again, as tcp_v4_rcv does
        if (ep != null) {
            if (listenerInput.handshakeIntoFullQueue(ep)) return;
            boolean taken = ep.conn.segmentArrives(rx, now);
            if (ep.conn.state() == State.TIME_WAIT && !ep.detached) handOffToTimeWait(ep);
            if (taken) return;
        } else {
            int tw = timeWait.find(rx.dstAddr, rx.dstPort, rx.srcAddr, rx.srcPort);
            if (tw != TimeWaitTable.NONE && timeWait.segmentArrives(tw, rx, now)) return;
        }
        Listening listener = listenerFor(rx.dstAddr, rx.dstPort);
        if (listener != null) {
            listenerInput.segmentArrives(listener);
            issOverridden = false;
        } else if (tcpForwarding.enabled() && rx.syn() && !rx.ackFlag() && !rx.rst()) {
            tcpForwarding.synArrived();
        } else {
            countDrop(DropReason.NO_SOCKET, FourTuple.ofArriving(rx), now);
            if (Resets.replyTo(rx, rstReply)) transmit(rstReply, now);
        }
    }

    /**
     * The address checks of Linux's receive path, in its order: a martian source
     * (ip_route_input_slow; ipv6_rcv for IPv6), a destination that is not ours, then our own
     * address as the source (fib_validate_source refuses a local source from any device but
     * loopback: the LAND attack). A packet the host sent itself came over loopback, where
     * those sources are the rule. A destination that is multicast or broadcast is never
     * ours, so no TCP answer goes to it.
     */
    private DropReason addressCheck(IpPacket p, boolean fromLoopback) {
        if (fromLoopback) return null;
        if (p.isV6()) {
            DropReason scope = Ip6Header.checkArrivedFromLink(p);
            if (scope != null) return scope;
        }
        if (p.src.isMartianSource() || addresses.isBroadcast(p.src)) return DropReason.IP_INVALID_SOURCE;
        if (p.dst.isLoopback() || !addresses.isLocal(p.dst) && !addresses.isBroadcast(p.dst) && !forwardable(p.dst)) {
            return DropReason.IP_NOT_FOR_US;
        }
        if (addresses.isLocal(p.src)) return DropReason.IP_LOCAL_SOURCE;
        return null;
    }

    /**
     * The listener a SYN to {@code dst}:{@code port} goes to, as Linux's __inet_lookup_listener
     * scores them: one bound to that very address first, then a wildcard of the packet's own
     * family, then (for IPv4) a dual-stack IPv6 wildcard.
     */
    private Listening listenerFor(IpAddress dst, int port) {
        Listening[] atPort = listeners[port];
        if (atPort == null) return null;
        Listening best = null;
        int bestScore = 0;
        for (Listening l : atPort) {
            if (!l.takes(dst)) continue;
            int score = l.address.equals(dst) ? 3 : l.address.isV4() == dst.isV4() ? 2 : 1;
            if (score > bestScore) {
                best = l;
                bestScore = score;
            }
        }
        return best;
    }

    // ---- forwarding ----

    /**
     * Forwarding mode (for a tun2socks proxy or a VPN): the stack takes packets to any unicast
     * address, and a SYN no listener takes goes to {@code f}, which accepts or refuses it
     * ({@link ForwardedSyn}). Null turns it off. Linux has no such switch; gVisor's netstack
     * has it as promiscuous mode with a forwarder, which is what this mirrors.
     */
    public void setForwarder(Forwarder f) {
        tcpForwarding.setForwarder(f);
    }

    /**
     * Forwarding mode for UDP: a datagram to an address not the host's that no socket takes
     * opens a flow for {@code f} to accept or refuse ({@link ForwardedFlow}). Null turns it off.
     */
    public void setUdpForwarder(UdpForwarder f) {
        udpForwarding.setForwarder(f);
    }

    /** In forwarding mode, any unicast destination is the stack's to answer for. */
    private boolean forwardable(IpAddress dst) {
        return (tcpForwarding.enabled() || udpForwarding.enabled()) && !dst.isMulticast() && !dst.isAny() && !(dst.isV4() && dst.v4() == -1);
    }

    /**
     * A SYN the stack took in on someone's behalf (a forwarded one, decided later) goes to
     * {@code listener} as if it had just arrived.
     */
    void synToListener(Listening listener, Segment syn) {
        rx.copyHeaderFrom(syn);
        rx.payload(syn.payload, syn.payloadOffset, syn.payloadLength);
        listenerInput.segmentArrives(listener);
        issOverridden = false;
    }

    /** The forwarder refused {@code packet}'s SYN with ICMP destination unreachable. */
    void unreachableForwarded(byte[] packet, io.jtcp.wire.Unreachable why) {
        IpPacket ip = new IpPacket();
        if (PacketCodec.decodeIp(packet, 0, packet.length, ip) != null) return;
        icmp.unreachable(ip, why.code(ip.isV6()));
    }

    /**
     * The packets the host sent to its own addresses, as Linux's lo queues them for its
     * receive softirq: taken in the same turn, after the event that sent them, never inside
     * it (the sender's segment and state must not change under it).
     */
    private void drainLoopback() {
        loopback.drain(fromLoopback);
    }

    /** Made once: a lambda capturing the stack, made per call, would be an object per packet received. */
    private final Loopback.Receiver fromLoopback = (b, len) -> ipArrives(b, 0, len, true, false);

    /** Fires every connection timer due at {@code now}. */
    public void advance(long now) {
        this.now = now;
        drainLoopback();
        wheel.expire(now, e -> {
            if (e == timeWait.timer) {
                timeWait.expire(now);
            } else if (e == reassemblyTimer) {
                reassembly.expire(now, icmp::reassemblyTimeExceeded);
                armReassembly();
            } else if (!listenerInput.dropOrphanedRequest((Endpoint) e)) {
                ((Endpoint) e).conn.onTimer(now);
            }
        });
        drainLoopback();
    }

    /**
     * When {@link #advance} next has work (possibly earlier: the wheel may wake early and find
     * nothing due). Packets waiting on loopback make it now: an application call that sent to
     * one of the host's own addresses is followed by a turn that delivers them.
     */
    public long nextDeadline() {
        return loopback.isEmpty() ? wheel.nextDeadline() : now;
    }

    // ---- application side ----

    /**
     * listen(2) on {@code address}:{@code port}: bind it under Linux's rules ({@link BindTable}) and
     * queue up to {@code backlog} (capped by somaxconn) established connections for
     * the application to {@link Listening#accept}. The options are copied into each
     * accepted connection.
     */
    public Listening listen(IpAddress address, int port, int backlog, SocketOptions options, ListenHandler handler)
            throws ErrnoException {
        checkPort(port);
        checkLocal(address);
        if (backlog < 0) backlog = cfg.somaxconn();
        checkFree(address, port, options);
        Listening l = new Listening(this, address, port, Math.min(backlog, cfg.somaxconn()), options.copy(), handler);
        ports.add(address, port, options.reuseAddr, options.v6Only);
        shard.hold(port, true);
        ports.listening(address, port, options.reuseAddr, options.v6Only, true);
        Listening[] atPort = listeners[port];
        listeners[port] = atPort == null ? new Listening[] {l} : append(atPort, l);
        return l;
    }

    private static Listening[] append(Listening[] a, Listening l) {
        Listening[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = l;
        return b;
    }

    /** listen(2) on {@code port} of every IPv4 address (0.0.0.0). */
    public Listening listen(int port, int backlog, SocketOptions options, ListenHandler handler) throws ErrnoException {
        return listen(IpAddress.ANY4, port, backlog, options, handler);
    }

    /**
     * bind(2): takes {@code address}:{@code port} in the bind table for a socket that will
     * listen or connect from it, under Linux's rule ({@link BindTable}): EADDRINUSE if a
     * holder conflicts, EADDRNOTAVAIL if the address is not this host's, EINVAL if the port is
     * out of range. The socket gives the hold back with {@link #unbind}, or hands it to
     * {@link #listen(Binding, int, SocketOptions, ListenHandler)} or {@link #connect(Binding, IpAddress, int, SocketOptions, SocketHandler, long)}.
     */
    public Binding bind(IpAddress address, int port, SocketOptions options) throws ErrnoException {
        checkLocal(address);
        if (port == 0) port = freePort(address, options);
        checkPort(port);
        checkFree(address, port, options);
        ports.add(address, port, options.reuseAddr, options.v6Only);
        shard.hold(port, true);
        return new Binding(address, port, options.reuseAddr, options.v6Only);
    }

    /** Linux's bind conflict rule on this stack, and on a sharded host a hold by a sibling shard. */
    private void checkFree(IpAddress address, int port, SocketOptions options) throws ErrnoException {
        ports.check(address, port, options.reuseAddr, options.v6Only);
        if (shard.heldElsewhere(port)) throw new ErrnoException(Errno.EADDRINUSE, address.withPort(port) + " is held on another shard");
    }

    /**
     * bind(2) to port 0 (and listen(2) on an unbound socket): a port of ip_local_port_range
     * that nothing holds at all, from a random start, as Linux's inet_csk_find_open_port
     * prefers; EADDRINUSE when every one is taken.
     */
    private int freePort(IpAddress address, SocketOptions options) throws ErrnoException {
        int size = portRangeSize();
        int start = bindRandom.nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = cfg.ipLocalPortRangeLow() + (start + i) % size;
            if (!ports.inUse(port) && !shard.heldElsewhere(port)) return port;
        }
        throw new ErrnoException(Errno.EADDRINUSE, "no free port in ip_local_port_range to bind " + address);
    }

    /** A bind(2) hold on an address and port, until it is listened on, connected from, or given back. */
    public record Binding(IpAddress address, int port, boolean reuseAddr, boolean v6Only) {}

    /** close(2) of a socket that bound but never listened or connected. */
    public void unbind(Binding b) {
        ports.remove(b.address(), b.port(), b.reuseAddr(), b.v6Only());
        shard.hold(b.port(), false);
    }

    /**
     * listen(2) on a bound socket: its hold becomes the listener's. Linux re-checks the
     * conflict rule for a listener (inet_csk_listen_start): a socket that shares the port
     * under SO_REUSEADDR may not listen while another holder is there without it.
     */
    public Listening listen(Binding b, int backlog, SocketOptions options, ListenHandler handler) throws ErrnoException {
        unbind(b);
        try {
            return listen(b.address(), b.port(), backlog, options, handler);
        } catch (ErrnoException e) {
            ports.add(b.address(), b.port(), b.reuseAddr(), b.v6Only());
            shard.hold(b.port(), true);
            throw e;
        }
    }

    /** Listens with default options and hands every connection to {@code acceptor} as soon as it is established. */
    public Listening listen(int port, AcceptHandler acceptor) throws ErrnoException {
        return listen(IpAddress.ANY4, port, cfg.somaxconn(), new SocketOptions(cfg), (l, now) -> {
            while (l.accept(acceptor) != null) {
                // each accepted connection's handler was told it is established
            }
        });
    }

    void closeListener(Listening l, long now) {
        this.now = now;
        if (l.closed) return;
        l.closed = true;
        Listening[] rest = java.util.Arrays.stream(listeners[l.port]).filter(x -> x != l).toArray(Listening[]::new);
        listeners[l.port] = rest.length == 0 ? null : rest;
        ports.listening(l.address, l.port, l.options.reuseAddr, l.options.v6Only, false);
        ports.remove(l.address, l.port, l.options.reuseAddr, l.options.v6Only);
        shard.hold(l.port, false);
        for (Endpoint ep; (ep = l.acceptQueue.poll()) != null; ) ep.conn.abort(now);
    }

    /**
     * The host shuts down: every listener stops (connections waiting for accept are reset),
     * every connection is aborted, with an RST wherever the peer holds state, as the
     * kernel's sockets are when their process and then the host go away; TIME_WAIT
     * entries vanish silently. Without this, peers would stay ESTABLISHED for ever.
     */
    public void shutdown(long now) {
        this.now = now;
        for (Listening l : allListeners()) closeListener(l, now);
        List<Connection> live = new ArrayList<>();
        connections.forEach(ep -> live.add(ep.conn));
        for (Connection c : live) c.abort(now);
        timeWait.clear(now);
    }

    /** Active open from an ephemeral port of {@code ip_local_port_range}, default options. */
    public Connection connect(IpAddress remoteAddr, int remotePort, SocketHandler handler, long now) throws ErrnoException {
        return connect(null, remoteAddr, remotePort, new SocketOptions(cfg), handler, now);
    }

    /**
     * Active open. A null {@code bound} picks the source address for the destination and an
     * ephemeral port whose 4-tuple is free; a {@link #bind} hold connects from its port (and
     * its address, unless that is a wildcard), and the hold becomes the connection's.
     */
    public Connection connect(Binding bound, IpAddress remoteAddr, int remotePort, SocketOptions options, SocketHandler handler,
                              long now) throws ErrnoException {
        return open(bound, remoteAddr, remotePort, options, handler, null, now).conn;
    }

    /**
     * bind(2) to {@code localPort} of the wildcard, then connect: an active open from a chosen
     * port (0: an ephemeral one) for callers without a socket of their own (tools, scenarios).
     */
    public Connection connect(int localPort, IpAddress remoteAddr, int remotePort, SocketOptions options, SocketHandler handler,
                              long now) throws ErrnoException {
        if (localPort == 0) return connect(null, remoteAddr, remotePort, options, handler, now);
        Binding b = bind(remoteAddr.isV4() ? IpAddress.ANY4 : IpAddress.ANY6, localPort, options);
        try {
            return connect(b, remoteAddr, remotePort, options, handler, now);
        } catch (ErrnoException e) {
            unbind(b);
            throw e;
        }
    }

    /** An active open with TCP Fast Open: the connection, and how many bytes of the data its SYN took. */
    public record FastOpenStart(Connection conn, int synData) {}

    /**
     * Active open with TCP Fast Open (sendto/sendmsg with MSG_FASTOPEN, or the first send
     * after a TCP_FASTOPEN_CONNECT connect; Linux's tcp_sendmsg_fastopen): with a cookie
     * cached for the destination the SYN carries it and as much of {@code data} as fits,
     * without one it asks for a cookie. EOPNOTSUPP when tcp_fastopen's client bit is off.
     */
    public FastOpenStart connectFastOpen(Binding bound, IpAddress remoteAddr, int remotePort, SocketOptions options,
                                         SocketHandler handler, byte[] data, int offset, int length, long now) throws ErrnoException {
        if (!FastOpenCookieCache.clientEnabled(cfg)) throw new ErrnoException(Errno.EOPNOTSUPP, "tcp_fastopen client bit off");
        FastOpenOffer offer = fastOpenCookies.offer(cfg, options, remoteAddr);
        Endpoint ep = open(bound, remoteAddr, remotePort, options, handler, new FastOpenData(offer, data, offset, length), now);
        return new FastOpenStart(ep.conn, ep.conn.synDataQueued());
    }

    /**
     * TCP_FASTOPEN_CONNECT's choice (tcp_fastopen_defer_connect): connect() returns at once
     * and the SYN waits for the first send when data could ride on it (a cookie is cached
     * or none is needed); otherwise connect() sends a SYN that asks for a cookie.
     */
    public boolean fastOpenDefersConnect(IpAddress remoteAddr, SocketOptions options) {
        return fastOpenCookies.offer(cfg, options, remoteAddr).carriesData();
    }

    private record FastOpenData(FastOpenOffer offer, byte[] data, int offset, int length) {}

    private Endpoint open(Binding bound, IpAddress remoteAddr, int remotePort, SocketOptions options, SocketHandler handler,
                          FastOpenData fastOpen, long now) throws ErrnoException {
        this.now = now;
        checkPort(remotePort);
        IpAddress remote = connectTarget(remoteAddr, bound, options);
        IpAddress local = bound != null && !bound.address().isAny() ? bound.address() : addresses.sourceFor(remote);
        int port;
        if (bound == null) {
            port = ephemeralPort(local, remote, remotePort);
        } else {
            port = bound.port();
            if (connections.get(local, port, remote, remotePort) != null) {
                throw new ErrnoException(Errno.EADDRINUSE, "4-tuple in use");
            }
            int tw = timeWait.find(local, port, remote, remotePort);
            if (tw != TimeWaitTable.NONE && !timeWait.reusableByBoundPort(tw)) {
                throw new ErrnoException(Errno.EADDRINUSE, "4-tuple in TIME_WAIT");
            }
            unbind(bound);  // the connection takes the hold over, at its now definite address
        }
        // A TIME_WAIT entry still on the 4-tuple is one tcp_tw_reuse lets us take over.
        int tw = timeWait.find(local, port, remote, remotePort);
        TimeWaitFacts predecessor = tw == TimeWaitTable.NONE ? null : timeWait.recycle(tw, now);
        if (predecessor != null) overrideNextIss(predecessor.sndNxt() + TimeWait.ISS_GAP);
        FourTuple tuple = new FourTuple(local, port, remote, remotePort);
        Endpoint ep = register(tuple, handler, null, options);
        counters.activeOpens++;
        if (fastOpen == null) ep.conn.openActive(now);
        else ep.conn.openActive(fastOpen.offer(), fastOpen.data(), fastOpen.offset(), fastOpen.length(), now);
        if (predecessor != null && predecessor.tsOk()) {
            ep.conn.seedTimestamps(predecessor.tsRecent(), predecessor.tsRecentAt());
        }
        return ep;
    }

    /** An active Fast Open's SYN-ACK: cache what it taught about the destination and count the data's fate. */
    void onFastOpenSynAck(Connection c, FastOpenSynAck learned) {
        fastOpenCookies.learn(c.tuple().remoteAddr(), learned, now);
        switch (learned.outcome()) {
            case DATA_ACKED -> counters.fastOpenActive++;
            case DATA_RESENT -> counters.fastOpenActiveFail++;
            case NO_DATA -> { }
        }
    }

    private int portRangeSize() {
        return cfg.ipLocalPortRangeHigh() - cfg.ipLocalPortRangeLow() + 1;
    }

    /**
     * Where a connect goes, as Linux reads the address: a v4-mapped destination from a dual-stack
     * socket is IPv4 (held so here already); the wildcard means this host (RFC 1122 §3.2.1.3,
     * Linux's connect to 0.0.0.0 reaches loopback); a family the bound address cannot reach is
     * EAFNOSUPPORT / ENETUNREACH as Linux answers.
     */
    private IpAddress connectTarget(IpAddress remote, Binding bound, SocketOptions options) throws ErrnoException {
        if (remote.isAny()) remote = remote.isV4() ? IpAddress.LOOPBACK4 : IpAddress.LOOPBACK6;
        if (remote.isMulticast()) throw new ErrnoException(Errno.ENETUNREACH, "TCP to multicast " + remote);
        if (bound != null && !bound.address().isAny() && bound.address().isV4() != remote.isV4()) {
            throw new ErrnoException(Errno.EAFNOSUPPORT, "bound to " + bound.address() + ", connecting to " + remote);
        }
        if (remote.isV4() && bound != null && bound.address().isV6() && bound.v6Only()) {
            throw new ErrnoException(Errno.ENETUNREACH, "IPV6_V6ONLY socket connecting to IPv4 " + remote);
        }
        return remote;
    }

    /**
     * __inet_hash_connect's search, from where the last one stopped; on a sharded host only
     * ports whose 4-tuple this shard owns (mTCP's port partitioning: the reply is steered
     * back here) and that no sibling holds by bind or listen.
     */
    private int ephemeralPort(IpAddress local, IpAddress remote, int remotePort) throws ErrnoException {
        int portRangeSize = portRangeSize();
        for (int i = 0; i < portRangeSize; i++) {
            int port = cfg.ipLocalPortRangeLow() + (nextEphemeral + i) % portRangeSize;
            int tw;
            if (shard.ownsTuple(local, port, remote, remotePort) && !shard.heldElsewhere(port)
                    && !ports.hasListener(local, port) && connections.get(local, port, remote, remotePort) == null
                    && ((tw = timeWait.find(local, port, remote, remotePort)) == TimeWaitTable.NONE
                        || timeWait.reusable(tw, now))) {
                nextEphemeral = (nextEphemeral + i + 1) % portRangeSize;
                return port;
            }
        }
        throw new ErrnoException(Errno.EADDRNOTAVAIL, "no free local port to " + remote.withPort(remotePort));
    }

    /** STATUS of every connection, TIME_WAIT included. */
    public List<ConnectionStatus> connections() {
        List<ConnectionStatus> all = new ArrayList<>();
        connections.forEach(ep -> all.add(ep.conn.status(now)));
        timeWait.statuses(all, now);
        return all;
    }

    /**
     * STATUS of {@code c} as its socket sees it. A connection the TIME_WAIT table took over
     * has a TCB frozen at the hand-off: it shows TIME_WAIT, with the table's timer, while the
     * table holds its 4-tuple, and CLOSED once the entry has gone (expired, killed by an RST,
     * taken over by a new connection, or never made past tcp_max_tw_buckets): the state ss
     * shows for that 4-tuple, which has no socket of its own any more.
     */
    public ConnectionStatus status(Connection c, long now) {
        ConnectionStatus s = c.status(now);
        if (c.state() != State.TIME_WAIT) return s;
        long left = timeWait.remaining(c.tuple(), now);
        return left < 0 ? s.afterTcb(State.CLOSED, "off", 0) : s.afterTcb(State.TIME_WAIT, "timewait", left);
    }

    /** Connections with a TCB (every state but TIME_WAIT, which lives in the compact table). */
    public int connectionCount() { return connections.size(); }

    /** Everything the ss, netstat and nstat views show, at this moment. */
    public StackSnapshot snapshot(long now) {
        this.now = now;
        List<ConnectionStatus> all = connections();
        long established = all.stream().filter(c -> c.state() == State.ESTABLISHED || c.state() == State.CLOSE_WAIT).count();
        List<StackSnapshot.Listener> ls = allListeners().stream()
                .sorted(java.util.Comparator.comparingInt(Listening::port).thenComparing(Listening::address))
                .map(l -> new StackSnapshot.Listener(listenerName(l), l.acceptQueueLength(), l.backlog, l.synQueueLength))
                .toList();
        Map<String, Long> nstat = counters.asMap(established);
        nstat.putAll(reassembly.counters());
        nstat.putAll(memory.counters());
        nstat.putAll(icmp.counters());
        nstat.putAll(udp.counters().asMap());
        return new StackSnapshot(name, address().toString(), now, all, ls, nstat, counters.dropsByReason());
    }

    /** ss's local column for a listener: {@code 0.0.0.0:80}, {@code 10.0.0.2:80}, {@code [::]:80} ({@code *:80} when dual-stack, as ss prints it). */
    private static String listenerName(Listening l) {
        if (l.address.isAny() && l.address.isV6() && !l.options.v6Only) return "*:" + l.port;
        return l.address.withPort(l.port);
    }

    private List<Listening> allListeners() {
        List<Listening> all = new ArrayList<>();
        for (Listening[] atPort : listeners) if (atPort != null) all.addAll(List.of(atPort));
        return all;
    }

    /** Entries in the TIME_WAIT table. */
    public int timeWaitCount() { return timeWait.size(); }

    /** Local ports with any holder (listener, connection, TIME_WAIT), for leak checks. */
    public int portsInUse() { return ports.size(); }

    // ---- internals ----

    Endpoint register(FourTuple t, SocketHandler handler, Listening listener, SocketOptions options) {
        int iss = issOverridden ? issOverride
                : cfg.tcpIsnMode() == Sysctls.IsnMode.FIXED ? isn.fixedIsn(t) : isn.isn(t, now);
        issOverridden = false;
        return register(t, handler, listener, options, iss);
    }

    /** A connection with a given ISS: RFC 6528's for every connection but a cookie one, whose ISS is its cookie. */
    Endpoint register(FourTuple t, SocketHandler handler, Listening listener, SocketOptions options, int iss) {
        Endpoint ep = new Endpoint(this, options.reuseAddr, handler, listener);
        ep.conn = new Connection(cfg, options, t, iss, isn.tsOffset(t), ep, ep);
        ep.conn.chargeMemoryTo(memory);
        ep.conn.initialPathMtu(icmp.pathMtu.mtu(t.remoteAddr(), cfg.mtu(), now));
        connections.add(ep);
        ports.add(t.localAddr(), t.localPort(), options.reuseAddr, false);
        return ep;
    }

    void discard(Endpoint ep) {
        if (tcpForwarding.inHandshake(ep)) ep.forwardedTo.handshakeFailed();
        leaveSynQueue(ep);
        wheel.cancel(ep);
        if (connections.remove(ep)) ports.remove(ep.conn.localAddress(), ep.conn.localPort(), ep.reuseAddr, false);
    }

    private static void leaveSynQueue(Endpoint ep) {
        if (ep.fastOpenOf != null) {
            ep.fastOpenOf.fastOpenQueueLength--;
            ep.fastOpenOf = null;
        }
        if (!ep.inSynQueue) return;
        ep.inSynQueue = false;
        ep.listener.synQueueLength--;
    }

    /** An established child of a listener joins its accept queue; the application hears of it. */
    void enqueueForAccept(Endpoint ep) {
        Listening l = ep.listener;
        ep.listener = null;
        if (l.closed) {
            ep.conn.abort(ep.conn.now());
            return;
        }
        l.acceptQueue.add(ep);
        l.handler.acceptable(l, ep.conn.now());
    }

    /** Bookkeeping and tracing only: the application hears of it through the connection's deferred notices. */
    void onTransition(Endpoint ep, State from, State to, Cause cause) {
        // A listener's per-SYN connection starts in LISTEN; only its life after the SYN is worth a line.
        boolean listenerChild = ep.listener != null && (to == State.LISTEN || from == State.LISTEN && to == State.CLOSED);
        if (trace != TraceSink.NONE && !listenerChild) {
            FourTuple t = ep.conn.tuple();
            trace.accept(new TraceEvent.StateEvent(ep.conn.now(), name, t.local(), t.remote(), from, to, cause.toString()));
        }
        if (from == State.SYN_RECEIVED) leaveSynQueue(ep);
        // A request that expires or is dropped is no socket's abort: reqsk_timer_handler counts nothing of the kind.
        if (from != State.SYN_RECEIVED || ep.listener == null) counters.transition(cause);
        // A listener's child reset in SYN_RECEIVED falls back to LISTEN (§3.10.7.4): the listener already
        // listens, so the child is simply dropped, as Linux drops the request sock.
        if (to == State.LISTEN && from == State.SYN_RECEIVED && ep.listener != null) discard(ep);
        if (to == State.ESTABLISHED && ep.listener != null) counters.passiveOpens++;
        if (to == State.CLOSED) {
            if ((from == State.ESTABLISHED || from == State.CLOSE_WAIT) && ep.conn.error() != null) {
                counters.establishedResets++;
            }
            if (from == State.SYN_SENT || from == State.SYN_RECEIVED) counters.attemptFails++;
            discard(ep);
        }
    }

    /**
     * The connection entered TIME_WAIT: it leaves the connection map and the wheel,
     * and the TIME_WAIT table takes over with its facts (or, past tcp_max_tw_buckets,
     * nobody does). The Connection object is no longer the host's.
     */
    private void handOffToTimeWait(Endpoint ep) {
        ep.detached = true;
        wheel.cancel(ep);
        connections.remove(ep);
        timeWait.enter(ep.conn.tuple(), ep.reuseAddr, ep.conn.handOffTimeWait(), now);
    }

    /** The SYN being processed was handed over by a TIME_WAIT entry, which has judged it already (Linux's nonzero tcp_tw_isn). */
    boolean synFromTimeWait() { return issOverridden; }

    PeerTimestamps peerTimestamps() { return timeWait.peers; }

    /** The next connection created (a SYN handed over from TIME_WAIT, or a tw_reuse connect) starts at {@code iss}. */
    void overrideNextIss(int iss) {
        issOverride = iss;
        issOverridden = true;
    }

    TraceSink trace() { return trace; }

    /**
     * A socket call made on this host, as a trace's user event: {@code call} (such as
     * {@code connect} or {@code shutdown SHUT_WR}) by the socket at {@code local} (null while
     * unbound) to {@code remote} (null for a listener, or before connect) with its
     * {@code result} (0, an errno's name, or "in progress").
     */
    /** Whether trace events go anywhere: callers skip building what only a trace would show. */
    public boolean tracing() {
        return trace != TraceSink.NONE;
    }

    public void traceCall(String local, String remote, String call, String result, long now) {
        if (trace != TraceSink.NONE) trace.accept(new TraceEvent.UserEvent(now, name, local, remote, call, result));
    }

    void onDrop(Connection c, DropReason reason) {
        if (reason == DropReason.PAWS) counters.pawsEstablished++;
        countDrop(reason, c.tuple(), c.now());
    }

    /** Counts a loss-recovery step under its TcpExt name and traces it with the window it happened at. */
    void onRecovery(Connection c, io.jtcp.tcp.RecoveryEvent e) {
        counters.recovery(e);
        if (trace != TraceSink.NONE) {
            FourTuple t = c.tuple();
            long now = c.now();
            trace.accept(new TraceEvent.LossEvent(now, name, t.local(), t.remote(), e.mibName(),
                    TraceEvent.LossEvent.window(c.tcpInfo(now))));
        }
    }

    void reschedule(Endpoint ep, long deadline) {
        if (deadline == Long.MAX_VALUE) wheel.cancel(ep);
        else wheel.schedule(ep, deadline);
    }

    /** {@link #countDrop} of the segment being handled: its 4-tuple is made only for a trace, so a flood's drops make no garbage. */
    void countArrivingDrop(DropReason reason) {
        if (trace == TraceSink.NONE) counters.drop(reason);
        else countDrop(reason, FourTuple.ofArriving(rx), now);
    }

    void countDrop(DropReason reason, FourTuple t, long time) {
        counters.drop(reason);
        if (trace != TraceSink.NONE) {
            trace.accept(new TraceEvent.DropEvent(time, name, t == null ? null : t.local(), t == null ? null : t.remote(),
                    reason.name(), reason.description()));
        }
    }

    void transmit(Segment s, long time) {
        counters.outSegments++;
        if (s.rst()) counters.outResets++;
        if (trace != TraceSink.NONE) trace.accept(TraceEvent.SegmentEvent.sent(time, name, s));
        if (addresses.isLocal(s.dstAddr)) {
            // Over lo: no checksum to compute, as Linux's loopback leaves it to an offload that never runs.
            loopback.add(tx, 0, PacketCodec.encode(s, tx, 0, false, true));
        } else {
            boolean df = s.isV6() || icmp.pathMtu.dontFragment(s.dstAddr, time, cfg);
            link.send(tx, 0, PacketCodec.encode(s, tx, 0, !checksumOffload && !linkCompletesTcpChecksums, df));
        }
    }

    /** A whole IP packet the host made (an ICMP message): over loopback to its own addresses, else to the link. */
    void emitPacket(byte[] packet, int offset, int length, IpAddress dst) {
        if (addresses.isLocal(dst)) loopback.add(packet, offset, length);
        else link.send(packet, offset, length);
    }

    /** The connection of a 4-tuple, or null. */
    Endpoint connection(FourTuple t) {
        return connections.get(t);
    }

    /**
     * An ICMP error quoting one of our UDP datagrams (__udp4_lib_err, __udp6_lib_err): a path
     * MTU message teaches the path MTU and is EMSGSIZE to the socket; the rest carry their errno.
     */
    void udpIcmpError(IcmpMessage error, IcmpErrno meaning) {
        if (IcmpErrno.isPathMtu(error.isV6(), error.type, error.code)) {
            icmp.pathMtu.learn(error.quotedDst, error.mtu, Checksum.PROTO_UDP, cfg.mtu(), now, cfg);
            meaning = new IcmpErrno(Errno.EMSGSIZE, true);
        }
        if (meaning == null || !udp.icmpError(error.quotedSrc, error.quotedSrcPort(), error.quotedDst, error.quotedDstPort(),
                meaning.errno(), meaning.fatal(), now)) {
            countDrop(DropReason.ICMP_NO_SOCKET, null, now);
        }
    }

    // ---- the IP layer for datagrams ----

    @Override
    public IpAddress sourceFor(IpAddress dst) throws ErrnoException {
        return addresses.sourceFor(dst);
    }

    @Override
    public boolean isLocal(IpAddress a) {
        return addresses.isLocal(a);
    }

    /** The limited broadcast and the directed broadcast of each IPv4 subnet the host has an address in. */
    @Override
    public boolean isBroadcast(IpAddress a) {
        return addresses.isBroadcast(a);
    }

    /**
     * ip_output / ip6_output for a datagram protocol: the IP header, then the link (or
     * loopback); a datagram over the path MTU leaves in fragments, as Linux fragments UDP
     * (IPv4 without DF then; IPv6 with a fragment header, the source fragmenting).
     */
    @Override
    public void sendIp(IpAddress src, IpAddress dst, int protocol, byte[] msg, int off, int len) throws ErrnoException {
        boolean v6 = dst.isV6();
        int header = IpHeaders.headerLength(dst);
        if (header + len > 0xffff + (v6 ? header : 0)) throw new ErrnoException(Errno.EMSGSIZE, len + " bytes");
        byte[] packet = new byte[header + len];
        int ttl = cfg.ip(v6 ? IpSysctl.HOP_LIMIT : IpSysctl.IP_DEFAULT_TTL);
        int mtu = addresses.isLocal(dst) ? LOOPBACK_MTU : icmp.pathMtu.mtu(dst, cfg.mtu(), now);
        boolean fits = packet.length <= mtu;
        IpHeaders.write(packet, 0, src, dst, protocol, len, ttl, 0, fits && icmp.pathMtu.dontFragment(dst, now, cfg), nextIpId++);
        System.arraycopy(msg, off, packet, header, len);
        if (fits) {
            emitPacket(packet, 0, packet.length, dst);
        } else if (v6) {
            Fragmenter.fragment6(packet, 0, mtu, nextIpId++, (b, o, n) -> emitPacket(b, o, n, dst));
        } else {
            Fragmenter.fragment4(packet, 0, mtu, (b, o, n) -> emitPacket(b, o, n, dst));
        }
    }

    /** Linux's lo has an MTU of 65536: nothing the host sends itself is fragmented. */
    private static final int LOOPBACK_MTU = 65536;

    private static void checkPort(int port) throws ErrnoException {
        if (port < 1 || port > 65535) throw new ErrnoException(Errno.EINVAL, "port " + port + " out of range");
    }

    /** bind(2) and listen(2) take this host's addresses and the wildcards only (EADDRNOTAVAIL otherwise, as inet_bind). */
    private void checkLocal(IpAddress address) throws ErrnoException {
        if (!address.isAny() && !addresses.isLocal(address)) {
            throw new ErrnoException(Errno.EADDRNOTAVAIL, address + " is not this host's");
        }
    }
}
