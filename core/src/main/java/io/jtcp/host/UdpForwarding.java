package io.jtcp.host;

import io.jtcp.wire.DropReason;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.IpPacket;
import io.jtcp.wire.Unreachable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Forwarding mode for UDP: the datagrams {@link UdpSockets} finds no socket for, to an
 * address that is not the host's, open flows for the {@link UdpForwarder}. Once a flow is
 * accepted its socket is an ordinary bound and connected one, which the socket lookup finds
 * before this is asked again; until then the flow holds what arrives ({@link ForwardedFlow#HELD}).
 * Stack thread only.
 */
final class UdpForwarding {
    private final Stack stack;
    private final UdpSockets udp;
    private final Map<FourTuple, ForwardedFlow> pending = new HashMap<>();
    private UdpForwarder forwarder;

    UdpForwarding(Stack stack, UdpSockets udp) {
        this.stack = stack;
        this.udp = udp;
        udp.forwardUnclaimedTo(this);
    }

    void setForwarder(UdpForwarder f) {
        this.forwarder = f;
    }

    boolean enabled() { return forwarder != null; }

    UdpSockets udp() { return udp; }

    /** Flows waiting for the forwarder. */
    int pending() { return pending.size(); }

    /**
     * A datagram no socket took, already decoded: null when a flow took it (opened or held),
     * {@link DropReason#UDP_NO_PORT} when it is not for forwarding (the host's own address, or
     * no forwarder), else why it was dropped.
     */
    DropReason unclaimed(IpPacket p, int srcPort, int dstPort, int dataOffset, int dataLength) {
        if (forwarder == null || stack.isLocal(p.dst)) return DropReason.UDP_NO_PORT;
        FourTuple t = new FourTuple(p.dst, dstPort, p.src, srcPort);
        ForwardedFlow flow = pending.get(t);
        UdpDatagram d = new UdpDatagram(p.src, srcPort, p.dst, dstPort,
                Arrays.copyOfRange(p.buf, dataOffset, dataOffset + dataLength));
        if (flow != null) return flow.hold(d) ? null : DropReason.UDP_FORWARD_HELD_FULL;
        if (pending.size() >= Forwarder.MAX_UNDECIDED) return DropReason.UDP_FORWARD_BACKLOG;
        flow = new ForwardedFlow(this, t, Arrays.copyOfRange(p.buf, p.headerOffset, p.headerOffset + p.packetLength()));
        flow.hold(d);
        pending.put(t, flow);
        forwarder.flowArrived(flow);
        return null;
    }

    void decided(ForwardedFlow flow) {
        pending.remove(flow.tuple());
    }

    void unreachable(byte[] packet, Unreachable why) {
        stack.unreachableForwarded(packet, why);
    }
}
