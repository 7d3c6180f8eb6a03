package io.jtcp.shard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded, lock-free queue of packets from exactly one producer thread to exactly one
 * consumer thread: how a shard hands a packet the link queued to it to the shard that
 * owns it. The producer writes the slot, then publishes its tail with a release store;
 * the consumer reads the tail with an acquire load, takes the slot, and publishes its
 * head the same way. Each side caches the other's index and rereads it only when the
 * ring looks full (or empty), so the shared cache lines move once per batch, not per
 * packet. A full ring refuses the packet (the caller counts the drop, as a NIC counts
 * a full queue's); nothing blocks.
 */
public final class SpscRing {
    private static final VarHandle HEAD, TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(SpscRing.class, "head", long.class);
            TAIL = l.findVarHandle(SpscRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final byte[][] packets;
    private final int[] offsets, lengths;
    private final int mask;
    // Consumer side: its index and its view of the producer's.
    @SuppressWarnings("unused") private long p0, p1, p2, p3, p4, p5, p6;
    private volatile long head;
    private long tailSeen;
    @SuppressWarnings("unused") private long q0, q1, q2, q3, q4, q5, q6;
    // Producer side: its index and its view of the consumer's.
    private volatile long tail;
    private long headSeen;
    @SuppressWarnings("unused") private long r0, r1, r2, r3, r4, r5, r6;

    /** A ring of {@code capacity} packets, rounded up to a power of two. */
    SpscRing(int capacity) {
        int c = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        packets = new byte[c][];
        offsets = new int[c];
        lengths = new int[c];
        mask = c - 1;
    }

    /** Producer: queues {@code packet} (owned by the ring from now on); false when full. */
    boolean offer(byte[] packet, int offset, int length) {
        long t = (long) TAIL.getOpaque(this);
        if (t - headSeen > mask) {
            headSeen = (long) HEAD.getAcquire(this);
            if (t - headSeen > mask) return false;
        }
        int at = (int) t & mask;
        packets[at] = packet;
        offsets[at] = offset;
        lengths[at] = length;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Consumer: hands every queued packet to {@code to}, in order; returns how many. */
    int drain(Consumer to) {
        long h = (long) HEAD.getOpaque(this);
        if (h == tailSeen) {
            tailSeen = (long) TAIL.getAcquire(this);
            if (h == tailSeen) return 0;
        }
        int n = 0;
        for (; h != tailSeen; h++, n++) {
            int at = (int) h & mask;
            byte[] p = packets[at];
            packets[at] = null;
            to.take(p, offsets[at], lengths[at]);
        }
        HEAD.setRelease(this, h);
        return n;
    }

    /** Consumer: whether anything waits (a hint; the producer may be adding as this answers). */
    boolean isEmpty() {
        return (long) HEAD.getOpaque(this) == (long) TAIL.getAcquire(this);
    }

    /** Where {@link #drain} hands each packet. */
    @FunctionalInterface
    public interface Consumer {
        void take(byte[] packet, int offset, int length);
    }
}
