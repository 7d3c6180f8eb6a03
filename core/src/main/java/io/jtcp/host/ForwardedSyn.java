package io.jtcp.host;

import io.jtcp.tcp.Resets;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.Segment;

/**
 * A SYN to a destination the stack forwards, waiting for the {@link Forwarder}'s decision:
 * accept it (the handshake goes on as if a listener sat at the original destination, and
 * the connection is an ordinary one whose local end is that destination), refuse it with a
 * reset. Decided once; stack thread only.
 */
public final class ForwardedSyn {
    private final Stack stack;
    private final FourTuple tuple;
    private final Segment syn;
    private boolean decided;

    ForwardedSyn(Stack stack, FourTuple tuple, Segment syn) {
        this.stack = stack;
        this.tuple = tuple;
        this.syn = syn;
    }

    /** The connection as the forwarded side sees it: local is the original destination, remote the client. */
    public FourTuple tuple() { return tuple; }

    /**
     * Takes the connection: the SYN-ACK goes out from the original destination, and once the
     * handshake completes {@code acceptor} is given the established connection, as a
     * listener's accept would give it.
     */
    public void accept(AcceptHandler acceptor) {
        decide();
        stack.acceptForwarded(this, syn, acceptor);
    }

    /** Refuses with a reset, as a closed port answers: the client's connect fails with ECONNREFUSED. */
    public void refuse() {
        decide();
        Segment rst = new Segment();
        if (Resets.replyTo(syn, rst)) stack.transmit(rst, stack.now);
    }

    boolean decided() { return decided; }

    private void decide() {
        if (decided) throw new IllegalStateException("already decided: " + tuple);
        decided = true;
        stack.forwardDecided(this);
    }
}
