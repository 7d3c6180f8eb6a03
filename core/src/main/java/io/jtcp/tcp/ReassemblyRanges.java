package io.jtcp.tcp;

/**
 * The out-of-order ranges a {@link ReceiveBuffer} holds: a sorted list of
 * disjoint, non-adjacent {@code [start, end)} offsets from RCV.NXT, in
 * primitive arrays so that adding, merging and shifting allocate nothing.
 *
 * <p>Each range carries a recency stamp (the newest arrival that touched it)
 * because RFC 2018 §4 wants SACK blocks reported newest first.
 *
 * <p>The list is bounded: a peer can otherwise make us hold one range per byte
 * of window (a "SACK/reassembly bomb"). Linux bounds the same queue by memory
 * alone; jtcp bounds the memory too ({@link TcpMemory}, which charges this table's
 * arrays and the ring the ranges live in), and the count keeps every operation O(max).
 */
final class ReassemblyRanges {
    // The ReceiveBuffer creates an instance at the first out-of-order segment and drops it
    // when idle: three arrays of 32 are 560 bytes of an idle connection's budget.
    private final int maxRanges;
    private final int[] starts;
    private final int[] ends;
    private final long[] stamps;
    private int count;
    private long clock;

    ReassemblyRanges(int maxRanges) {
        this.maxRanges = maxRanges;
        this.starts = new int[maxRanges];
        this.ends = new int[maxRanges];
        this.stamps = new long[maxRanges];
    }

    /** Bytes of the three arrays a table of {@code maxRanges} holds: what the socket is charged for it ({@link TcpMemory}). */
    static int arrayBytes(int maxRanges) {
        return maxRanges * (Integer.BYTES + Integer.BYTES + Long.BYTES);
    }

    int count() { return count; }
    int max() { return maxRanges; }
    int start(int i) { return starts[i]; }
    int end(int i) { return ends[i]; }

    /** One past the last held offset; 0 when empty. */
    int extent() { return count == 0 ? 0 : ends[count - 1]; }

    int bytes() {
        int total = 0;
        for (int i = 0; i < count; i++) total += ends[i] - starts[i];
        return total;
    }

    /** Whether {@link #add} of {@code [s, e)} would need a slot the list does not have. */
    boolean wouldOverflow(int s, int e) {
        if (count < maxRanges) return false;
        int i = firstTouching(s);
        return i == count || starts[i] > e;
    }

    /**
     * Adds {@code [s, e)}, merging it with every range it overlaps or abuts.
     * The caller checked {@link #wouldOverflow} first.
     */
    void add(int s, int e) {
        long stamp = ++clock;
        int i = firstTouching(s);
        int j = i;
        while (j < count && starts[j] <= e) j++;   // ranges i..j-1 touch [s, e)
        if (i == j) {                               // a new island: open a slot at i
            shift(i, count, i + 1);
            count++;
            starts[i] = s;
            ends[i] = e;
        } else {                                    // absorb i..j-1 into slot i
            starts[i] = Math.min(s, starts[i]);
            ends[i] = Math.max(e, ends[j - 1]);
            shift(j, count, i + 1);
            count -= j - i - 1;
        }
        stamps[i] = stamp;
    }

    /** Forgets the highest range (tcp_prune_ofo_queue drops from the highest sequence down). */
    void dropLast() {
        count--;
    }

    /**
     * RCV.NXT moved to offset {@code to}, which the caller has filled: removes
     * every range now reached (returning how far in-order data extends, at
     * least {@code to}) and rebases the rest so offsets count from the new RCV.NXT.
     */
    int advance(int to) {
        int reach = to;
        int gone = 0;
        while (gone < count && starts[gone] <= reach) {
            reach = Math.max(reach, ends[gone]);
            gone++;
        }
        shift(gone, count, 0);
        count -= gone;
        for (int i = 0; i < count; i++) {
            starts[i] -= reach;
            ends[i] -= reach;
        }
        return reach;
    }

    /**
     * Writes up to {@code max} {@code [start, end)} pairs into {@code out},
     * newest first (RFC 2018 §4: the block holding the latest segment leads,
     * the rest follow by recency so each block is repeated in several ACKs).
     */
    int newestFirst(int[] out, int max) {
        int n = Math.min(Math.min(max, count), out.length / 2);
        long below = Long.MAX_VALUE;                 // stamps are unique: select by descending stamp
        for (int k = 0; k < n; k++) {
            int best = -1;
            for (int i = 0; i < count; i++) {
                if (stamps[i] < below && (best < 0 || stamps[i] > stamps[best])) best = i;
            }
            out[2 * k] = starts[best];
            out[2 * k + 1] = ends[best];
            below = stamps[best];
        }
        return n;
    }

    /**
     * Of {@code [s, e)}, the part the first held range it overlaps already has, packed as
     * {@code start << 32 | end}; -1 when it overlaps none.
     */
    long firstOverlap(int s, int e) {
        for (int i = 0; i < count && starts[i] < e; i++) {
            if (ends[i] > s) return (long) Math.max(s, starts[i]) << 32 | Math.min(e, ends[i]);
        }
        return -1;
    }

    /** Index of the first range whose end reaches {@code s} (overlap or adjacency), or count. */
    private int firstTouching(int s) {
        int i = 0;
        while (i < count && ends[i] < s) i++;
        return i;
    }

    /** Moves ranges {@code [from, to)} so the first lands at {@code dest}. */
    private void shift(int from, int to, int dest) {
        int n = to - from;
        if (n <= 0 || from == dest) return;
        System.arraycopy(starts, from, starts, dest, n);
        System.arraycopy(ends, from, ends, dest, n);
        System.arraycopy(stamps, from, stamps, dest, n);
    }
}
