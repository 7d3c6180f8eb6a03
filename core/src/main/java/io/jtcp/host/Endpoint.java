package io.jtcp.host;

import io.jtcp.tcp.Cause;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.ConnectionEvents;
import io.jtcp.tcp.RecoveryEvent;
import io.jtcp.tcp.SegmentOut;
import io.jtcp.tcp.State;
import io.jtcp.time.TimerWheel;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.Segment;

/**
 * The host's record of one connection, like a Linux socket around its TCB: its
 * entry in the stack's timer wheel, the application's handler, and the listener it
 * came from until it is accepted. It is demultiplexed by its connection's own
 * addresses and ports (an accepted connection's, not its listener's), which the host
 * registers complete and which never change after, rather than by a copy of them: a
 * {@code FourTuple} per connection was 24 bytes and a reference.
 */
final class Endpoint extends TimerWheel.Entry implements ConnectionEvents, SegmentOut {
    final Stack stack;
    /** SO_REUSEADDR as it was at bind time: the share of the port this connection holds. */
    final boolean reuseAddr;
    Connection conn;
    SocketHandler handler;
    /** Set while a passive connection waits for its handshake to complete. */
    Listening listener;
    /** Counted in its listener's SYN queue (SYN_RECEIVED, not yet established). */
    boolean inSynQueue;
    /** A Fast Open child still in its handshake: counted in this listener's Fast Open queue. */
    Listening fastOpenOf;
    /** A forwarded connection: who gets it once its handshake completes. */
    ForwardedSyn.Acceptor forwardedTo;
    /** Handed to the TIME_WAIT table: the host has let go of the connection and ignores what it still reports. */
    boolean detached;

    Endpoint(Stack stack, boolean reuseAddr, SocketHandler handler, Listening listener) {
        this.stack = stack;
        this.reuseAddr = reuseAddr;
        this.handler = handler;
        this.listener = listener;
    }

    @Override
    public void transition(Connection c, State from, State to, Cause cause) {
        if (!detached) stack.onTransition(this, from, to, cause);
    }

    @Override
    public void dropped(Connection c, Segment segment, DropReason reason) {
        if (!detached) stack.onDrop(c, reason);
    }

    @Override
    public void fastOpenSynAck(Connection c, io.jtcp.tcp.FastOpenSynAck learned) {
        if (!detached) stack.onFastOpenSynAck(c, learned);
    }

    @Override
    public void retransmitted(Connection c) {
        if (!detached) stack.counters().retransSegments++;
    }

    @Override
    public void recovery(Connection c, RecoveryEvent e) {
        if (!detached) stack.onRecovery(c, e);
    }

    @Override
    public void deadlineChanged(Connection c, long deadline) {
        if (!detached) stack.reschedule(this, deadline);
    }

    @Override
    public void emit(Segment segment) {
        if (!detached) stack.transmit(segment, conn.now());
    }

    @Override
    public void established(Connection c) {
        if (listener != null) {
            // The handshake of a passive open completed: it waits in the accept queue for the application.
            stack.enqueueForAccept(this);
        } else if (handler != null) {
            handler.established(c, c.now());
        }
    }

    @Override
    public void readable(Connection c) {
        if (handler != null) handler.readable(c, c.now());
    }

    @Override
    public void writable(Connection c) {
        if (handler != null) handler.writable(c, c.now());
    }

    @Override
    public void closed(Connection c) {
        if (handler != null) handler.closed(c, c.error(), c.now());
    }
}
