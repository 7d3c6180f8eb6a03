package io.jtcp.host;

import io.jtcp.wire.FourTuple;
import io.jtcp.wire.Segment;
import io.jtcp.wire.Unreachable;

/**
 * A SYN to a destination the stack forwards, waiting for the {@link Forwarder}'s decision:
 * accept it (the handshake goes on as if a listener sat at the original destination, and
 * the connection is an ordinary one whose local end is that destination), refuse it with a
 * reset, or answer it with ICMP destination unreachable. Decided once; stack thread only.
 */
public final class ForwardedSyn {
    /** Who gets a forwarded connection once its handshake completes, or hears that it never will. */
    public interface Acceptor extends AcceptHandler {
        /** The handshake failed (the client went away or reset it) before the connection was established. */
        void handshakeFailed();
    }

    private final TcpForwarding forwarding;
    private final FourTuple tuple;
    private final Segment syn;
    /** The SYN's IP packet as it arrived, for an ICMP error to quote. */
    private final byte[] packet;
    private boolean decided;

    ForwardedSyn(TcpForwarding forwarding, FourTuple tuple, Segment syn, byte[] packet) {
        this.forwarding = forwarding;
        this.tuple = tuple;
        this.syn = syn;
        this.packet = packet;
    }

    /** The connection as the forwarded side sees it: local is the original destination, remote the client. */
    public FourTuple tuple() { return tuple; }

    /**
     * Takes the connection: the SYN-ACK goes out from the original destination, and once the
     * handshake completes {@code acceptor} is given the established connection, as a
     * listener's accept would give it.
     */
    public void accept(Acceptor acceptor) {
        decide();
        forwarding.accept(this, syn, acceptor);
    }

    /** Refuses with a reset, as a closed port answers: the client's connect fails with ECONNREFUSED. */
    public void refuse() {
        decide();
        forwarding.refuse(syn);
    }

    /** Refuses with ICMP destination unreachable: the client's connect fails with the errno that code means. */
    public void unreachable(Unreachable why) {
        decide();
        forwarding.unreachable(packet, why);
    }

    private void decide() {
        if (decided) throw new IllegalStateException("already decided: " + tuple);
        decided = true;
        forwarding.decided(this);
    }
}
