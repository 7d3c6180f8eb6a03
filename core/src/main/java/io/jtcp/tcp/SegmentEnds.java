package io.jtcp.tcp;

import io.jtcp.wire.Seq;

/**
 * Where each segment sent for the first time ends, oldest first: the boundaries of
 * Linux's retransmission queue, so an ACK can count the segments it covers whole, as
 * tcp_clean_rtx_queue counts skbs into tp->delivered. A SYN counts as its own segment
 * even with data on it (Fast Open), as Linux queues the SYN and its data apart.
 */
final class SegmentEnds {
    private static final int[] NONE = new int[0];
    /**
     * A ring allocated by the first segment sent (the SYN) and released when the handshake's
     * ACK leaves it empty ({@link #releaseIfEmpty}), so an idle connection holds none. Data
     * keeps it: releasing it after every burst would allocate on each round trip.
     */
    private int[] ends = NONE;
    private int head, size;

    void clear() {
        head = size = 0;
        ends = NONE;
    }

    void releaseIfEmpty() {
        if (size == 0) clear();
    }

    /** A segment that ends at {@code end} (exclusive) left for the first time. */
    void add(int end) {
        if (size == ends.length) {
            int[] bigger = new int[Math.max(8, ends.length * 2)];
            for (int i = 0; i < size; i++) bigger[i] = ends[(head + i) % ends.length];
            ends = bigger;
            head = 0;
        }
        ends[(head + size++) % ends.length] = end;
    }

    /** Forgets the segments SND.UNA {@code una} now covers whole; returns how many. */
    int ackedThrough(int una) {
        int n = 0;
        while (size > 0 && Seq.leq(ends[head], una)) {
            head = (head + 1) % ends.length;
            size--;
            n++;
        }
        return n;
    }
}
