package io.jtcp.host;

import io.jtcp.config.Sysctls;
import io.jtcp.link.PacketSink;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.ConnectionStatus;
import io.jtcp.tcp.Errno;
import io.jtcp.tcp.ErrnoException;
import io.jtcp.tcp.Resets;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
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
    private final Sysctls cfg;
    private final PacketSink link;
    private final LongMap<Endpoint> connections = new LongMap<>();
    private final Map<Integer, Listener> listeners = new HashMap<>();
    private final TimerWheel wheel;
    private final InitialSequence isn;
    private final StackCounters counters = new StackCounters();
    private final Segment rx = new Segment();
    private final Segment rstReply = new Segment();
    private final byte[] tx = new byte[PacketCodec.MAX_PACKET_LENGTH];
    private final int portRangeSize;
    private int nextEphemeral;
    private TraceSink trace = TraceSink.NONE;
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
        this.portRangeSize = cfg.ipLocalPortRangeHigh() - cfg.ipLocalPortRangeLow() + 1;
        this.nextEphemeral = random.nextInt(portRangeSize);
    }

    public String name() { return name; }
    public int address() { return address; }
    public Sysctls sysctls() { return cfg; }
    public StackCounters counters() { return counters; }

    public void setTrace(TraceSink trace) { this.trace = trace; }

    // ---- driver side ----

    /** One IPv4 packet from the link. Malformed input is counted and dropped; nothing here throws for it. */
    public void packetArrives(byte[] buf, int off, int len, long now) {
        this.now = now;
        DropReason bad = PacketCodec.decode(buf, off, len, rx);
        if (bad == null && rx.dstAddr != address) bad = DropReason.IP_NOT_FOR_US;
        if (bad != null) {
            counters.inErrors++;
            countDrop(bad, null, now);
            return;
        }
        counters.inSegments++;
        if (trace != TraceSink.NONE) trace.accept(TraceEvent.SegmentEvent.received(now, name, rx));
        Endpoint ep = connections.get(key(rx.srcAddr, rx.dstPort, rx.srcPort));
        if (ep != null && ep.conn.segmentArrives(rx, now)) return;
        Listener listener = listeners.get(rx.dstPort);
        if (listener != null) {
            acceptSyn(listener);
        } else {
            countDrop(DropReason.NO_SOCKET, FourTuple.ofArriving(rx), now);
            if (Resets.replyTo(rx, rstReply)) transmit(rstReply, now);
        }
    }

    /** Fires every connection timer due at {@code now}. */
    public void advance(long now) {
        this.now = now;
        wheel.expire(now, e -> ((Endpoint) e).conn.onTimer(now));
    }

    /** When {@link #advance} next has work (possibly earlier: the wheel may wake early and find nothing due). */
    public long nextDeadline() {
        return wheel.nextDeadline();
    }

    // ---- application side ----

    /** Listens on {@code port}; each established connection is handed to {@code acceptor}. */
    public void listen(int port, AcceptHandler acceptor) throws ErrnoException {
        checkPort(port);
        if (listeners.containsKey(port)) throw new ErrnoException(Errno.EADDRINUSE, "port " + port);
        listeners.put(port, new Listener(port, acceptor, new SocketOptions(cfg)));
    }

    public void unlisten(int port) {
        listeners.remove(port);
    }

    /** Active open from an ephemeral port of {@code ip_local_port_range}. */
    public Connection connect(int remoteAddr, int remotePort, SocketHandler handler, long now) throws ErrnoException {
        this.now = now;
        checkPort(remotePort);
        for (int i = 0; i < portRangeSize; i++) {
            int port = cfg.ipLocalPortRangeLow() + (nextEphemeral + i) % portRangeSize;
            if (!listeners.containsKey(port) && connections.get(key(remoteAddr, port, remotePort)) == null) {
                nextEphemeral = (nextEphemeral + i + 1) % portRangeSize;
                return open(port, remoteAddr, remotePort, handler, new SocketOptions(cfg));
            }
        }
        throw new ErrnoException(Errno.EADDRNOTAVAIL, "no free local port to " + Ip4.format(remoteAddr) + ":" + remotePort);
    }

    /** Active open from a chosen local port (bind before connect). */
    public Connection connect(int localPort, int remoteAddr, int remotePort, SocketHandler handler, long now)
            throws ErrnoException {
        this.now = now;
        checkPort(localPort);
        checkPort(remotePort);
        if (connections.get(key(remoteAddr, localPort, remotePort)) != null) {
            throw new ErrnoException(Errno.EADDRINUSE, "4-tuple in use");
        }
        return open(localPort, remoteAddr, remotePort, handler, new SocketOptions(cfg));
    }

    /** STATUS of every connection, TIME_WAIT included. */
    public List<ConnectionStatus> connections() {
        List<ConnectionStatus> all = new ArrayList<>();
        connections.forEach(ep -> all.add(ep.conn.status(now)));
        return all;
    }

    public int connectionCount() { return connections.size(); }

    // ---- internals ----

    private Connection open(int localPort, int remoteAddr, int remotePort, SocketHandler handler, SocketOptions options)
            throws ErrnoException {
        FourTuple tuple = new FourTuple(address, localPort, remoteAddr, remotePort);
        Endpoint ep = register(tuple, handler, null, options);
        counters.activeOpens++;
        ep.conn.openActive(now);
        return ep.conn;
    }

    /** A segment for a listening port: a SYN starts a connection of its own; the LISTEN rules answer the rest. */
    private void acceptSyn(Listener listener) {
        FourTuple tuple = FourTuple.ofArriving(rx);
        Endpoint ep = register(tuple, null, listener, listener.options.copy());
        try {
            ep.conn.openPassive(now);
        } catch (ErrnoException impossible) {
            throw new IllegalStateException("a new connection is CLOSED", impossible);
        }
        ep.conn.segmentArrives(rx, now);
        // Anything but a SYN leaves the connection in LISTEN, having answered as a listener does.
        if (ep.conn.state() == State.LISTEN) discard(ep);
    }

    private Endpoint register(FourTuple t, SocketHandler handler, Listener listener, SocketOptions options) {
        long key = key(t.remoteAddr(), t.localPort(), t.remotePort());
        Endpoint ep = new Endpoint(this, key, handler, listener);
        ep.conn = new Connection(cfg, options, t, isn.isn(t, now), isn.tsOffset(t), ep, ep);
        connections.put(key, ep);
        return ep;
    }

    private void discard(Endpoint ep) {
        wheel.cancel(ep);
        connections.remove(ep.key);
    }

    /** Bookkeeping and tracing only: the application hears of it through the connection's deferred notices. */
    void onTransition(Endpoint ep, State from, State to, Cause cause) {
        // A listener's per-SYN connection starts in LISTEN; only its life after the SYN is worth a line.
        boolean listenerChild = ep.listener != null && (to == State.LISTEN || from == State.LISTEN && to == State.CLOSED);
        if (trace != TraceSink.NONE && !listenerChild) {
            FourTuple t = ep.conn.tuple();
            trace.accept(new TraceEvent.StateEvent(ep.conn.now(), name, t.local(), t.remote(), from, to, cause.toString()));
        }
        if (to == State.ESTABLISHED && ep.listener != null) counters.passiveOpens++;
        if (to == State.CLOSED) {
            if ((from == State.ESTABLISHED || from == State.CLOSE_WAIT) && ep.conn.error() != null) {
                counters.establishedResets++;
            }
            if (from == State.SYN_SENT || from == State.SYN_RECEIVED) counters.attemptFails++;
            discard(ep);
        }
    }

    void onDrop(Connection c, DropReason reason) {
        countDrop(reason, c.tuple(), c.now());
    }

    void reschedule(Endpoint ep, long deadline) {
        if (deadline == Long.MAX_VALUE) wheel.cancel(ep);
        else wheel.schedule(ep, deadline);
    }

    private void countDrop(DropReason reason, FourTuple t, long time) {
        counters.drop(reason);
        if (trace != TraceSink.NONE) {
            trace.accept(new TraceEvent.DropEvent(time, name, t == null ? null : t.local(), t == null ? null : t.remote(),
                    reason.name(), reason.description()));
        }
    }

    void transmit(Segment s, long time) {
        int n = PacketCodec.encode(s, tx, 0);
        counters.outSegments++;
        if (s.rst()) counters.outResets++;
        if (trace != TraceSink.NONE) trace.accept(TraceEvent.SegmentEvent.sent(time, name, s));
        link.send(tx, 0, n);
    }

    private static long key(int remoteAddr, int localPort, int remotePort) {
        return (long) remoteAddr << 32 | (long) localPort << 16 | remotePort;
    }

    private static void checkPort(int port) throws ErrnoException {
        if (port < 1 || port > 65535) throw new ErrnoException(Errno.EINVAL, "port " + port + " out of range");
    }
}
