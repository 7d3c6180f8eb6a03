package io.jtcp.link.sim;

import java.util.ArrayDeque;

/**
 * One direction's bottleneck: a FIFO of packets in front of a transmitter that clocks them
 * out one at a time at the link's bandwidth. It remembers when each accepted packet
 * finishes serializing; those not finished at a given instant, less the one on the wire,
 * are the ones waiting: the queue length a qdisc would report, and what the queue limit
 * and the ECN threshold of {@link LinkParams} are measured against.
 */
final class Transmitter {
    /** Serialization end times of accepted packets, oldest first; finished ones are dropped lazily. */
    private final ArrayDeque<Long> finishes = new ArrayDeque<>();

    /** Packets waiting at {@code now}: accepted, not finished, and not the one being serialized. */
    int waiting(long now) {
        while (!finishes.isEmpty() && finishes.peekFirst() <= now) finishes.pollFirst();
        return Math.max(0, finishes.size() - 1);
    }

    /** Accepts a packet taking {@code serializationNanos} at {@code now}; returns when its last bit leaves. */
    long transmit(long now, long serializationNanos) {
        long start = finishes.isEmpty() ? now : Math.max(now, finishes.peekLast());
        long end = start + serializationNanos;
        finishes.addLast(end);
        return end;
    }
}
