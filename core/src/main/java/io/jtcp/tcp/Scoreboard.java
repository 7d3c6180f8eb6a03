package io.jtcp.tcp;

import io.jtcp.wire.Seq;

/**
 * What was sent and not yet acknowledged, one record per segment as it left (Linux's
 * retransmission queue of skbs with their TCP_SKB_CB(skb)->sacked bits): its sequence
 * range, whether the peer SACKed it, whether it is deemed lost, whether a retransmission
 * of it is in flight, and when it was last sent. Loss recovery reads and marks it; the
 * sender retransmits from it; a cumulative ACK removes records from its head.
 *
 * <p>The records cover SND.UNA to SND.NXT without gaps, in sequence order, so a record is
 * found by binary search. The arrays are a ring that grows by doubling and is released
 * once empty, so an idle connection holds none (the send buffer does the same). The
 * counters are Linux's: packets_out, sacked_out, lost_out, retrans_out.
 */
final class Scoreboard {
    static final byte SACKED = 1, LOST = 2, RETRANS = 4, EVER_RETRANS = 8, FIN = 16, PSH = 32;
    private static final int INITIAL_CAPACITY = 4;

    private static final int[] NO_INTS = new int[0];
    private static final byte[] NO_BYTES = new byte[0];
    private static final long[] NO_LONGS = new long[0];

    private int[] start = NO_INTS, end = NO_INTS;
    private byte[] flags = NO_BYTES;
    private long[] sentAt = NO_LONGS;
    private int head, count;

    int sackedOut, lostOut, retransOut;
    /**
     * No record below this sequence number is waiting to be resent (lost and not resent yet):
     * where the resend scan starts, so recovery over a large window does not rescan the
     * records it already resent on every ACK (Linux's retransmit hint). Lowered whenever a
     * record becomes resendable, raised by the scan.
     */
    private int resendFrom;

    int packetsOut() { return count; }

    boolean isEmpty() { return count == 0; }

    /** Segments believed in the network: tcp_packets_in_flight = packets_out - (sacked_out + lost_out) + retrans_out. */
    int inFlight() { return count - sackedOut - lostOut + retransOut; }

    int start(int i) { return start[slot(i)]; }

    int end(int i) { return end[slot(i)]; }

    byte flags(int i) { return flags[slot(i)]; }

    long sentAt(int i) { return sentAt[slot(i)]; }

    boolean has(int i, byte flag) { return (flags[slot(i)] & flag) != 0; }

    /** A segment sent for the first time: [from, to) with the FIN and PSH bits it carried. */
    void append(int from, int to, byte bits, long now) {
        if (count == start.length) grow();
        int s = slot(count);
        start[s] = from;
        end[s] = to;
        flags[s] = bits;
        sentAt[s] = now;
        count++;
    }

    /** The index of the record holding sequence number {@code seq}, or -1. */
    int find(int seq) {
        int lo = 0, hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Seq.lt(seq, start(mid))) hi = mid - 1;
            else if (Seq.geq(seq, end(mid))) lo = mid + 1;
            else return mid;
        }
        return -1;
    }

    /**
     * Cuts record {@code i} at {@code at} into two (tcp_fragment): both halves keep the
     * record's marks and send time; a FIN stays with the second.
     */
    void split(int i, int at) {
        if (count == start.length) grow();
        for (int j = count; j > i + 1; j--) copy(j - 1, j);
        count++;
        int a = slot(i), b = slot(i + 1);
        start[b] = at;
        end[b] = end[a];
        flags[b] = flags[a];
        sentAt[b] = sentAt[a];
        end[a] = at;
        flags[a] &= ~FIN;
        byte f = flags[b];
        if ((f & SACKED) != 0) sackedOut++;
        if ((f & LOST) != 0) lostOut++;
        if ((f & RETRANS) != 0) retransOut++;
    }

    void mark(int i, byte flag) {
        int s = slot(i);
        if ((flags[s] & flag) != 0) return;
        if (flag == LOST) resendable(i);
        flags[s] |= flag;
        adjust(flag, 1);
    }

    void unmark(int i, byte flag) {
        int s = slot(i);
        if ((flags[s] & flag) == 0) return;
        flags[s] &= (byte) ~flag;
        if (flag == RETRANS && (flags[s] & LOST) != 0) resendable(i); // a lost retransmission
        adjust(flag, -1);
    }

    private void resendable(int i) {
        if (lostOut == 0 || Seq.lt(start(i), resendFrom)) resendFrom = start(i);
    }

    /** The first record the resend scan need look at. */
    int resendScanStart() {
        if (count == 0 || Seq.geq(resendFrom, end(count - 1))) return count;
        return Math.max(find(resendFrom), 0);
    }

    /** The scan stopped at record {@code i} (or ran past the last): nothing before it waits to be resent. */
    void resendScanStopped(int i) {
        resendFrom = i < count ? start(i) : end(count - 1);
    }

    /** A record was sent again now: its retransmission is in flight and it is no longer counted lost until judged again. */
    void retransmitted(int i, long now) {
        mark(i, RETRANS);
        mark(i, EVER_RETRANS);
        sentAt[slot(i)] = now;
    }

    /** A record went out again as a probe, which leaves its marks alone: only its send time moves. */
    void resent(int i, long now) {
        sentAt[slot(i)] = now;
    }

    /** Removes the records a cumulative ACK up to {@code ack} covers and returns how many went. */
    int removeUpTo(int ack) {
        int n = 0;
        while (count > 0 && Seq.leq(end(0), ack)) {
            int s = slot(0);
            byte f = flags[s];
            if ((f & SACKED) != 0) sackedOut--;
            if ((f & LOST) != 0) lostOut--;
            if ((f & RETRANS) != 0) retransOut--;
            head = (head + 1) & (start.length - 1);
            count--;
            n++;
        }
        if (count == 0) release();
        else if (Seq.gt(ack, start(0))) start[slot(0)] = ack; // a partly acknowledged head keeps its rest (tcp_trim_head)
        return n;
    }

    /** Forgets everything (a handshake resent from the start, a new incarnation). */
    void clear() {
        count = head = sackedOut = lostOut = retransOut = 0;
        release();
    }

    private void adjust(byte flag, int by) {
        if (flag == SACKED) sackedOut += by;
        else if (flag == LOST) lostOut += by;
        else if (flag == RETRANS) retransOut += by;
    }

    private int slot(int i) {
        return (head + i) & (start.length - 1);
    }

    private void copy(int from, int to) {
        int f = slot(from), t = slot(to);
        start[t] = start[f];
        end[t] = end[f];
        flags[t] = flags[f];
        sentAt[t] = sentAt[f];
    }

    private void grow() {
        int n = Math.max(INITIAL_CAPACITY, start.length * 2);
        int[] s = new int[n], e = new int[n];
        byte[] f = new byte[n];
        long[] t = new long[n];
        for (int i = 0; i < count; i++) {
            int from = slot(i);
            s[i] = start[from];
            e[i] = end[from];
            f[i] = flags[from];
            t[i] = sentAt[from];
        }
        start = s;
        end = e;
        flags = f;
        sentAt = t;
        head = 0;
    }

    private void release() {
        start = end = NO_INTS;
        flags = NO_BYTES;
        sentAt = NO_LONGS;
        head = 0;
    }
}
