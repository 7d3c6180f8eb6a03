package io.jtcp.link.sim;

/** What happened to a packet on the simulated wire, as reported to each {@link WireTap}. */
public enum Fate {
    /** Left a node (or was injected): what a trace on the sender's side prints. */
    SENT,
    /** Handed to the destination node. */
    DELIVERED,
    /** Lost at random, by the link's loss probability. */
    LOST,
    /** Dropped by a {@link FaultRule}. */
    DROPPED_BY_RULE,
    /** Tail-dropped: the link's queue already held its {@link LinkParams#queueLimit()} packets. */
    QUEUE_OVERFLOW,
    /**
     * Marked Congestion Experienced by a queue past its {@link LinkParams#ecnMarkThreshold()};
     * the event carries the marked bytes, which are then delivered.
     */
    CE_MARKED,
    /** One bit flipped in flight; the event carries the damaged bytes, which are then delivered. */
    CORRUPTED,
    /** An extra copy was made (at random or by rule); the copy is delivered too. */
    DUPLICATED,
    /** Held back beyond the link's delay, by a rule or to reorder it. */
    DELAYED,
    /** No node is attached at the destination address, or the packet is too short to have one. */
    NO_ROUTE
}
