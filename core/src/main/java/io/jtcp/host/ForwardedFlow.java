package io.jtcp.host;

import io.jtcp.api.ErrnoException;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Unreachable;
import java.util.ArrayDeque;

/**
 * A UDP flow to a destination the stack forwards, waiting for the {@link UdpForwarder}'s
 * decision, with the datagrams that arrived meanwhile (at most {@link #HELD}; the rest are
 * dropped and counted). Decided once; stack thread only.
 */
public final class ForwardedFlow {
    /**
     * Datagrams a flow holds while its forwarder decides. A resolver retries a query a few
     * times and a QUIC client sends a handful of Initials before it hears back; more than
     * that waiting on one undecided flow means the forwarder is not keeping up.
     */
    public static final int HELD = 8;

    private final UdpForwarding forwarding;
    private final FourTuple tuple;
    /** The first datagram's IP packet as it arrived, for a port unreachable to quote. */
    private final byte[] firstPacket;
    private final ArrayDeque<UdpDatagram> held = new ArrayDeque<>(HELD);
    private long dropped;
    private boolean decided;

    ForwardedFlow(UdpForwarding forwarding, FourTuple tuple, byte[] firstPacket) {
        this.forwarding = forwarding;
        this.tuple = tuple;
        this.firstPacket = firstPacket;
    }

    /** The flow as the forwarded side sees it: local is the original destination, remote the client. */
    public FourTuple tuple() { return tuple; }

    /** Datagrams waiting for the decision. */
    public int held() { return held.size(); }

    /** Datagrams dropped because {@link #HELD} were waiting already. */
    public long dropped() { return dropped; }

    /** Queues one more datagram of the flow; false (dropped, counted) when {@link #HELD} wait already. */
    boolean hold(UdpDatagram d) {
        if (held.size() >= HELD) {
            dropped++;
            return false;
        }
        held.add(d);
        return true;
    }

    /**
     * Takes the flow: a socket bound to the original destination with the flow's own
     * IP_TRANSPARENT (so it may bind an address that is not the host's) and SO_REUSEADDR
     * (other clients' flows to the same destination have sockets of their own there),
     * connected to the client, so that only the client's datagrams reach it and its
     * replies leave from the original destination. The held datagrams are in its receive
     * queue when it is returned; {@code handler} hears of the ones that come later.
     * EADDRINUSE when an ordinary socket without SO_REUSEADDR holds the destination's port.
     */
    public UdpSock accept(UdpHandler handler) throws ErrnoException {
        decide();
        UdpSockets udp = forwarding.udp();
        IpAddress dst = tuple.localAddr();
        UdpSock s = udp.open(!dst.isV4(), handler);
        udp.setTransparent(s, true);
        udp.setReuseAddr(s, true);
        try {
            udp.bind(s, dst, tuple.localPort());
            udp.connect(s, tuple.remoteAddr(), tuple.remotePort());
        } catch (ErrnoException e) {
            udp.close(s);
            throw e;
        }
        for (UdpDatagram d; (d = held.poll()) != null; ) udp.enqueueQuietly(s, d);
        return s;
    }

    /** Refuses as a closed port does: ICMP port unreachable quoting the first datagram (rate-limited as any ICMP error). */
    public void refuse() {
        decide();
        held.clear();
        forwarding.unreachable(firstPacket, Unreachable.PORT);
    }

    private void decide() {
        if (decided) throw new IllegalStateException("already decided: " + this);
        decided = true;
        forwarding.decided(this);
    }

    @Override
    public String toString() {
        return "ForwardedFlow[" + tuple.remote() + " -> " + tuple.local() + "]";
    }
}
