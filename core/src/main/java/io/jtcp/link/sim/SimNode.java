package io.jtcp.link.sim;

/**
 * What {@link SimNetwork} drives: a host (usually a stack behind an adapter) living in
 * virtual time. It transmits through the {@link io.jtcp.link.PacketSink} that
 * {@link SimNetwork#attach} returned; sending from inside these callbacks is expected.
 */
public interface SimNode {
    /** A packet arrives at {@code now}. The bytes are valid only during the call. */
    void receive(byte[] packet, int offset, int length, long now);

    /** When this node next needs {@link #advance}, or {@link Long#MAX_VALUE} if never. */
    long nextDeadline();

    /** Fires whatever timers are due at {@code now}. */
    void advance(long now);
}
