package io.jtcp.host;

import io.jtcp.config.Sysctls;
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
import io.jtcp.wire.Ip4;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One host's TCP: demultiplexing by 4-tuple, listeners, ephemeral ports, the
 * timer wheel every connection's deadline lives in, and the resets for
 * segments nobody owns. Sans-IO like the engine: packets come in through
 * {@link #packetArrives}, time through {@link #advance}, and packets leave
 * through the {@link PacketSink} its driver (simulator or TUN) provides.
 *
 * <p>One IPv4 address per stack, so a connection's key packs the remote
 * address and both ports into one {@code long}.
 *
 * <p>Not thread-safe: one thread owns a stack (DESIGN.md).
 */
public final class Stack {
    private final String name;
    private final int address;
    /** Live, as Linux's sysctls are: {@link #setSysctls} replaces it; connections keep the copy they were created with. */
    private Sysctls cfg;
    private final PacketSink link;
    private final LongMap<Endpoint> connections = new LongMap<>();
    private final Map<Integer, Listening> listeners = new HashMap<>();
    final PortTable ports = new PortTable();
    final TimerWheel wheel;
    private final TimeWait timeWait = new TimeWait(this);
    final InitialSequence isn;
    private final StackCounters counters = new StackCounters();
    private final FastOpenCookieCache fastOpenCookies = new FastOpenCookieCache();
    final Segment rx = new Segment();
    private final Segment rstReply = new Segment();
    private final ListenerInput listenerInput;
    private final byte[] tx = new byte[PacketCodec.MAX_PACKET_LENGTH];
    /** Offset into ip_local_port_range of the next ephemeral port to try (taken modulo the range's current size). */
    private int nextEphemeral;
    /** The ISS the next connection must use instead of a fresh one (a TIME_WAIT successor, as Linux's tcp_tw_isn). */
    private int issOverride;
    private boolean issOverridden;
    private TraceSink trace = TraceSink.NONE;
    private boolean checksumOffload;
    /** The time of the event being processed: every entry point sets it first. */
    long now;

    public Stack(String name, int address, Sysctls cfg, PacketSink link, long seed, long startNanos) {
        this.name = name;
        this.address = address;
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
    }

    public String name() { return name; }
    public int address() { return address; }
    public Sysctls sysctls() { return cfg; }

    /**
     * Writing /proc/sys/net: Linux's sysctls are live, so from now on the stack's own
     * decisions (ephemeral ports, the SYN queue bound, SYN cookies, TIME_WAIT's limit and
     * length, Fast Open) follow {@code next}. Existing connections and listeners keep what
     * they copied when they were created, as a Linux socket keeps its per-socket copies.
     */
    public void setSysctls(Sysctls next) { this.cfg = java.util.Objects.requireNonNull(next); }
    public StackCounters counters() { return counters; }

    public void setTrace(TraceSink trace) { this.trace = trace; }

    /**
     * For a link that guarantees integrity end to end (in memory, like Linux's
     * loopback): neither compute nor verify TCP checksums, as the kernel's lo does
     * with checksum offload. Both ends of the link must agree; never for a link that
     * can corrupt (the simulator's) or whose peer verifies (TUN).
     */
    public void setChecksumOffload(boolean on) { this.checksumOffload = on; }

    // ---- driver side ----

    /** One IPv4 packet from the link. Malformed input is counted and dropped; nothing here throws for it. */
    public void packetArrives(byte[] buf, int off, int len, long now) {
        this.now = now;
        DropReason bad = PacketCodec.decode(buf, off, len, rx, !checksumOffload);
        if (bad == null) bad = addressCheck();
        if (bad != null) {
            counters.inErrors++;
            countDrop(bad, null, now);
            return;
        }
        counters.inSegments++;
        if (trace != TraceSink.NONE) trace.accept(TraceEvent.SegmentEvent.received(now, name, rx));
        long key = key(rx.srcAddr, rx.dstPort, rx.srcPort);
        Endpoint ep = connections.get(key);
        if (ep != null) {
            if (listenerInput.handshakeIntoFullQueue(ep)) return;
            boolean taken = ep.conn.segmentArrives(rx, now);
            if (ep.conn.state() == State.TIME_WAIT && !ep.detached) handOffToTimeWait(ep);
            if (taken) return;
        } else {
            int tw = timeWait.find(key);
            if (tw != TimeWaitTable.NONE && timeWait.segmentArrives(tw, rx, now)) return;
        }
        Listening listener = listeners.get(rx.dstPort);
        if (listener != null) {
            listenerInput.segmentArrives(listener);
            issOverridden = false;
        } else {
            countDrop(DropReason.NO_SOCKET, FourTuple.ofArriving(rx), now);
            if (Resets.replyTo(rx, rstReply)) transmit(rstReply, now);
        }
    }

    /**
     * The address checks of Linux's receive path, in its order: a martian source
     * (ip_route_input_slow), a destination that is not ours, then our own address as
     * the source (fib_validate_source refuses a local source from any device but
     * loopback: the LAND attack). jtcp has no loopback device, so every packet counts
     * as arriving from a link. A destination that is multicast or broadcast is never
     * ours, so no TCP answer goes to it.
     */
    private DropReason addressCheck() {
        if (Ip4.isMartianSource(rx.srcAddr)) return DropReason.IP_INVALID_SOURCE;
        if (rx.dstAddr != address) return DropReason.IP_NOT_FOR_US;
        if (rx.srcAddr == address) return DropReason.IP_LOCAL_SOURCE;
        return null;
    }

    /** Fires every connection timer due at {@code now}. */
    public void advance(long now) {
        this.now = now;
        wheel.expire(now, e -> {
            if (e == timeWait.timer) timeWait.expire(now);
            else ((Endpoint) e).conn.onTimer(now);
        });
    }

    /** When {@link #advance} next has work (possibly earlier: the wheel may wake early and find nothing due). */
    public long nextDeadline() {
        return wheel.nextDeadline();
    }

    // ---- application side ----

    /**
     * listen(2) on {@code port}: bind it under Linux's rules ({@link PortTable}) and
     * queue up to {@code backlog} (capped by somaxconn) established connections for
     * the application to {@link Listening#accept}. The options are copied into each
     * accepted connection.
     */
    public Listening listen(int port, int backlog, SocketOptions options, ListenHandler handler) throws ErrnoException {
        checkPort(port);
        if (backlog < 0) backlog = cfg.somaxconn();
        ports.checkBind(port, options.reuseAddr);
        Listening l = new Listening(this, port, Math.min(backlog, cfg.somaxconn()), options.copy(), handler);
        ports.addListener(port);
        listeners.put(port, l);
        return l;
    }

    /**
     * bind(2)'s check for a socket that has not taken its port yet: EADDRINUSE if a
     * listener, a connection or a TIME_WAIT entry holds {@code port} under Linux's rule
     * ({@link PortTable}), EINVAL if the port is out of range.
     */
    public void checkBind(int port, boolean reuseAddr) throws ErrnoException {
        checkPort(port);
        ports.checkBind(port, reuseAddr);
    }

    /** Listens with default options and hands every connection to {@code acceptor} as soon as it is established. */
    public Listening listen(int port, AcceptHandler acceptor) throws ErrnoException {
        return listen(port, cfg.somaxconn(), new SocketOptions(cfg), (l, now) -> {
            while (l.accept(acceptor) != null) {
                // each accepted connection's handler was told it is established
            }
        });
    }

    void closeListener(Listening l, long now) {
        this.now = now;
        if (l.closed) return;
        l.closed = true;
        listeners.remove(l.port);
        ports.removeListener(l.port);
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
        for (Listening l : List.copyOf(listeners.values())) closeListener(l, now);
        List<Connection> live = new ArrayList<>();
        connections.forEach(ep -> live.add(ep.conn));
        for (Connection c : live) c.abort(now);
        timeWait.clear(now);
    }

    /** Active open from an ephemeral port of {@code ip_local_port_range}, default options. */
    public Connection connect(int remoteAddr, int remotePort, SocketHandler handler, long now) throws ErrnoException {
        return connect(0, remoteAddr, remotePort, new SocketOptions(cfg), handler, now);
    }

    /**
     * Active open. {@code localPort} 0 picks an ephemeral port whose 4-tuple is free;
     * another value binds that port first (bind before connect), under the bind rules.
     */
    public Connection connect(int localPort, int remoteAddr, int remotePort, SocketOptions options, SocketHandler handler,
                              long now) throws ErrnoException {
        return open(localPort, remoteAddr, remotePort, options, handler, null, now).conn;
    }

    /** An active open with TCP Fast Open: the connection, and how many bytes of the data its SYN took. */
    public record FastOpenStart(Connection conn, int synData) {}

    /**
     * Active open with TCP Fast Open (sendto/sendmsg with MSG_FASTOPEN, or the first send
     * after a TCP_FASTOPEN_CONNECT connect; Linux's tcp_sendmsg_fastopen): with a cookie
     * cached for the destination the SYN carries it and as much of {@code data} as fits,
     * without one it asks for a cookie. EOPNOTSUPP when tcp_fastopen's client bit is off.
     */
    public FastOpenStart connectFastOpen(int localPort, int remoteAddr, int remotePort, SocketOptions options,
                                         SocketHandler handler, byte[] data, int offset, int length, long now) throws ErrnoException {
        if (!FastOpenCookieCache.clientEnabled(cfg)) throw new ErrnoException(Errno.EOPNOTSUPP, "tcp_fastopen client bit off");
        FastOpenOffer offer = fastOpenCookies.offer(cfg, options, remoteAddr);
        Endpoint ep = open(localPort, remoteAddr, remotePort, options, handler, new FastOpenData(offer, data, offset, length), now);
        return new FastOpenStart(ep.conn, ep.conn.synDataQueued());
    }

    /**
     * TCP_FASTOPEN_CONNECT's choice (tcp_fastopen_defer_connect): connect() returns at once
     * and the SYN waits for the first send when data could ride on it (a cookie is cached
     * or none is needed); otherwise connect() sends a SYN that asks for a cookie.
     */
    public boolean fastOpenDefersConnect(int remoteAddr, SocketOptions options) {
        return fastOpenCookies.offer(cfg, options, remoteAddr).carriesData();
    }

    private record FastOpenData(FastOpenOffer offer, byte[] data, int offset, int length) {}

    private Endpoint open(int localPort, int remoteAddr, int remotePort, SocketOptions options, SocketHandler handler,
                          FastOpenData fastOpen, long now) throws ErrnoException {
        this.now = now;
        checkPort(remotePort);
        int port = localPort == 0 ? ephemeralPort(remoteAddr, remotePort) : localPort;
        if (localPort != 0) {
            checkPort(localPort);
            if (connections.get(key(remoteAddr, localPort, remotePort)) != null) {
                throw new ErrnoException(Errno.EADDRINUSE, "4-tuple in use");
            }
            ports.checkBind(localPort, options.reuseAddr);
            int tw = timeWait.find(key(remoteAddr, localPort, remotePort));
            if (tw != TimeWaitTable.NONE && !timeWait.reusableByBoundPort(tw)) {
                throw new ErrnoException(Errno.EADDRINUSE, "4-tuple in TIME_WAIT");
            }
        }
        // A TIME_WAIT entry still on the 4-tuple is one tcp_tw_reuse lets us take over.
        int tw = timeWait.find(key(remoteAddr, port, remotePort));
        TimeWaitFacts predecessor = tw == TimeWaitTable.NONE ? null : timeWait.recycle(tw, now);
        if (predecessor != null) overrideNextIss(predecessor.sndNxt() + TimeWait.ISS_GAP);
        FourTuple tuple = new FourTuple(address, port, remoteAddr, remotePort);
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

    private int ephemeralPort(int remoteAddr, int remotePort) throws ErrnoException {
        int portRangeSize = portRangeSize();
        for (int i = 0; i < portRangeSize; i++) {
            int port = cfg.ipLocalPortRangeLow() + (nextEphemeral + i) % portRangeSize;
            long k = key(remoteAddr, port, remotePort);
            int tw;
            if (!ports.hasListener(port) && connections.get(k) == null
                    && ((tw = timeWait.find(k)) == TimeWaitTable.NONE || timeWait.reusable(tw, remoteAddr, now))) {
                nextEphemeral = (nextEphemeral + i + 1) % portRangeSize;
                return port;
            }
        }
        throw new ErrnoException(Errno.EADDRNOTAVAIL, "no free local port to " + Ip4.format(remoteAddr) + ":" + remotePort);
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
        FourTuple t = c.tuple();
        long left = timeWait.remaining(key(t.remoteAddr(), t.localPort(), t.remotePort()), now);
        return left < 0 ? s.afterTcb(State.CLOSED, "off", 0) : s.afterTcb(State.TIME_WAIT, "timewait", left);
    }

    /** Connections with a TCB (every state but TIME_WAIT, which lives in the compact table). */
    public int connectionCount() { return connections.size(); }

    /** Everything the ss, netstat and nstat views show, at this moment. */
    public StackSnapshot snapshot(long now) {
        this.now = now;
        List<ConnectionStatus> all = connections();
        long established = all.stream().filter(c -> c.state() == State.ESTABLISHED || c.state() == State.CLOSE_WAIT).count();
        List<StackSnapshot.Listener> ls = listeners.values().stream()
                .sorted(java.util.Comparator.comparingInt(Listening::port))
                .map(l -> new StackSnapshot.Listener(Ip4.format(address) + ":" + l.port, l.acceptQueueLength(), l.backlog,
                        l.synQueueLength))
                .toList();
        return new StackSnapshot(name, Ip4.format(address), now, all, ls, counters.asMap(established),
                counters.dropsByReason());
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
        long key = key(t.remoteAddr(), t.localPort(), t.remotePort());
        Endpoint ep = new Endpoint(this, key, t.localPort(), options.reuseAddr, handler, listener);
        ep.conn = new Connection(cfg, options, t, iss, isn.tsOffset(t), ep, ep);
        connections.put(key, ep);
        ports.add(t.localPort(), options.reuseAddr);
        return ep;
    }

    void discard(Endpoint ep) {
        leaveSynQueue(ep);
        wheel.cancel(ep);
        if (connections.remove(ep.key) != null) ports.remove(ep.localPort, ep.reuseAddr);
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
        connections.remove(ep.key);
        timeWait.enter(ep.key, ep.reuseAddr, ep.conn.handOffTimeWait(), now);
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

    void reschedule(Endpoint ep, long deadline) {
        if (deadline == Long.MAX_VALUE) wheel.cancel(ep);
        else wheel.schedule(ep, deadline);
    }

    void countDrop(DropReason reason, FourTuple t, long time) {
        counters.drop(reason);
        if (trace != TraceSink.NONE) {
            trace.accept(new TraceEvent.DropEvent(time, name, t == null ? null : t.local(), t == null ? null : t.remote(),
                    reason.name(), reason.description()));
        }
    }

    void transmit(Segment s, long time) {
        int n = PacketCodec.encode(s, tx, 0, !checksumOffload);
        counters.outSegments++;
        if (s.rst()) counters.outResets++;
        if (trace != TraceSink.NONE) trace.accept(TraceEvent.SegmentEvent.sent(time, name, s));
        link.send(tx, 0, n);
    }

    static long key(int remoteAddr, int localPort, int remotePort) {
        return (long) remoteAddr << 32 | (long) localPort << 16 | remotePort;
    }

    static int remoteAddr(long key) { return (int) (key >>> 32); }

    static int localPort(long key) { return (int) (key >>> 16) & 0xFFFF; }

    static int remotePort(long key) { return (int) key & 0xFFFF; }

    private static void checkPort(int port) throws ErrnoException {
        if (port < 1 || port > 65535) throw new ErrnoException(Errno.EINVAL, "port " + port + " out of range");
    }
}
