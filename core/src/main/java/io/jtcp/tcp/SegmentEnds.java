package io.jtcp.tcp;

import io.jtcp.wire.Seq;

/**
 * Where each segment sent for the first time ends, oldest first: the boundaries of
 * Linux's retransmission queue, so an ACK can count the segments it covers whole, as
 * tcp_clean_rtx_queue counts skbs into tp->delivered. A SYN counts as its own segment
 * even with data on it (Fast Open), as Linux queues the SYN and its data apart.
 */
final class SegmentEnds {
    /** A ring, grown by doubling; the whole object is made by the first segment sent (see {@link TcpStats#firstSent}). */
    private int[] ends = new int[8];
    private int head, size;

    boolean isEmpty() {
        return size == 0;
    }

    /** A segment that ends at {@code end} (exclusive) left for the first time. */
    void add(int end) {
        if (size == ends.length) {
            int[] bigger = new int[ends.length * 2];
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
