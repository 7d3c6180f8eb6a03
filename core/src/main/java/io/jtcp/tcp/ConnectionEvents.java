package io.jtcp.tcp;

import io.jtcp.api.Errno;

import io.jtcp.wire.DropReason;
import io.jtcp.wire.Segment;

/**
 * What a connection tells its owner (the host layer, a test, an observer). All
 * callbacks run on the stack's thread. {@link #transition}, {@link #dropped},
 * {@link #failed} and {@link #deadlineChanged} are reported as they happen, in the
 * middle of processing: they are for bookkeeping and observers, and must not call
 * back into the connection. The application's notifications ({@link #established},
 * {@link #readable}, {@link #writable}, {@link #closed}) come once the event is
 * fully processed, so a handler may call any user call from them.
 */
public interface ConnectionEvents {
    /**
     * A state transition with its cause. {@code from == to} marks a notable event that
     * restarts a state's timer (TIME_WAIT re-ACKing a retransmitted FIN).
     */
    default void transition(Connection c, State from, State to, Cause cause) {}

    /** A segment (or part of one) was discarded. */
    default void dropped(Connection c, Segment segment, DropReason reason) {}

    /** The handshake completed: the connection reached ESTABLISHED (or, closed early, went past it). */
    default void established(Connection c) {}

    /** In-order data or the peer's FIN became readable. */
    default void readable(Connection c) {}

    /** Send-buffer space was freed. */
    default void writable(Connection c) {}

    /** The connection reached CLOSED; {@link Connection#error()} says whether it failed. */
    default void closed(Connection c) {}

    /** The connection failed; the errno is also reported by the next user call. */
    default void failed(Connection c, Errno errno) {}

    /**
     * A segment was sent again (a retransmission of loss recovery, a loss probe, the
     * handshake's SYN): the event behind Linux's TcpRetransSegs, which a host counts here so
     * the count outlives the connection.
     */
    default void retransmitted(Connection c) {}

    /** Loss detection or recovery did something Linux counts (see {@link RecoveryEvent}). */
    default void recovery(Connection c, RecoveryEvent e) {}

    /** An active Fast Open's SYN-ACK arrived: what to cache for the destination, and the data's fate. */
    default void fastOpenSynAck(Connection c, FastOpenSynAck learned) {}

    /** The earliest timer deadline changed ({@link Long#MAX_VALUE}: no timer). */
    default void deadlineChanged(Connection c, long deadline) {}

    ConnectionEvents NONE = new ConnectionEvents() {};
}
