package io.jtcp.host;

import io.jtcp.tcp.SocketOptions;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;
import io.jtcp.wire.Segment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Forwarding mode for TCP (gVisor's promiscuous mode with a tcp.Forwarder): a SYN to an
 * address and port no listener has goes to the {@link Forwarder} as a {@link ForwardedSyn};
 * its retransmissions wait for the decision; an accepted one does its handshake under a
 * listener of this forwarding's own, so the connection is an ordinary one whose local end
 * is the original destination. Stack thread only.
 */
final class TcpForwarding {
    private final Stack stack;
    private Forwarder forwarder;
    /** The SYNs waiting for the forwarder's decision, so their retransmissions do not ask again. */
    private final Map<FourTuple, ForwardedSyn> pending = new HashMap<>();
    /** The listener forwarded connections do their handshakes under (made with the first of them). */
    private Listening listener;

    TcpForwarding(Stack stack) {
        this.stack = stack;
    }

    void setForwarder(Forwarder f) {
        this.forwarder = f;
    }

    boolean enabled() {
        return forwarder != null;
    }

    /** The stack's current SYN ({@link Stack#rx}) found no listener: ask the forwarder, once per SYN. */
    void synArrived() {
        FourTuple t = FourTuple.ofArriving(stack.rx);
        if (pending.containsKey(t)) {
            stack.countDrop(DropReason.FORWARD_PENDING, t, stack.now);
            return;
        }
        if (pending.size() >= Forwarder.MAX_UNDECIDED) {
            stack.countDrop(DropReason.FORWARD_BACKLOG, t, stack.now);
            return;
        }
        IpPacket ip = stack.rxIp;
        byte[] packet = Arrays.copyOfRange(ip.buf, ip.headerOffset, ip.headerOffset + ip.packetLength());
        ForwardedSyn request = new ForwardedSyn(this, t, stack.rx.copy(), packet);
        pending.put(t, request);
        forwarder.synArrived(request);
    }

    void decided(ForwardedSyn request) {
        pending.remove(request.tuple());
    }

    /** The forwarder took {@code syn}'s connection: it goes through the handshake under the forwarding listener. */
    void accept(ForwardedSyn request, Segment syn, ForwardedSyn.Acceptor acceptor) {
        if (listener == null) {
            listener = new Listening(stack, IpAddress.ANY6, 0, stack.sysctls().somaxconn(), new SocketOptions(stack.sysctls()),
                    (l, t) -> handOver());
        }
        stack.synToListener(listener, syn);
        Endpoint ep = stack.connection(request.tuple());
        if (ep != null) ep.forwardedTo = acceptor;
        else acceptor.handshakeFailed();  // the SYN met a full queue, or the client had gone
    }

    /** Refuses with a reset, as a closed port answers. */
    void refuse(Segment syn) {
        Segment rst = new Segment();
        if (io.jtcp.tcp.Resets.replyTo(syn, rst)) stack.transmit(rst, stack.now);
    }

    /** Refuses with ICMP destination unreachable quoting {@code packet}. */
    void unreachable(byte[] packet, io.jtcp.wire.Unreachable why) {
        stack.unreachableForwarded(packet, why);
    }

    /** Whether {@code ep} is a forwarded connection still in its handshake. */
    boolean inHandshake(Endpoint ep) {
        return ep.forwardedTo != null && ep.listener == listener;
    }

    /** Forwarded connections that completed their handshake go to the acceptor each was accepted with. */
    private void handOver() {
        for (Endpoint ep; (ep = listener.acceptQueue.peek()) != null; ) listener.accept(ep.forwardedTo);
    }
}
