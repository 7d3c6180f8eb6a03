package io.jtcp.bench;

import java.util.ArrayDeque;

/**
 * The queue of the benchmarks' in-memory links ({@link MemLink}, {@link ShardLink}): packets
 * copied into pooled buffers, each with its length and destination index, in a growable
 * ring. Nothing is allocated per packet once the pool has warmed up.
 *
 * <p>Not thread-safe: one thread owns a queue.
 */
final class PacketFifo {
    private static final int MAX_PACKET = 65535;
    private byte[][] bufs = new byte[64][];
    private int[] lens = new int[64], dsts = new int[64];
    private int head, count;
    private final ArrayDeque<byte[]> pool = new ArrayDeque<>();
    /** The packet {@link #poll} took last: its buffer, length and destination. */
    byte[] buf;
    int len, dst;

    /** Queues a copy of {@code packet[off, off + len)} for destination {@code dst}. */
    void offer(byte[] packet, int off, int len, int dst) {
        if (count == bufs.length) grow();
        byte[] b = pool.pollLast();
        if (b == null) b = new byte[MAX_PACKET];
        System.arraycopy(packet, off, b, 0, len);
        int at = (head + count++) & (bufs.length - 1);
        bufs[at] = b;
        lens[at] = len;
        dsts[at] = dst;
    }

    /** Takes the oldest packet into {@link #buf}, {@link #len} and {@link #dst}; false when empty. */
    boolean poll() {
        if (count == 0) return false;
        int at = head;
        buf = bufs[at];
        len = lens[at];
        dst = dsts[at];
        bufs[at] = null;
        head = (head + 1) & (bufs.length - 1);
        count--;
        return true;
    }

    /** Returns a buffer {@link #poll} gave out to the pool, once nothing holds it. */
    void recycle(byte[] b) { pool.addLast(b); }

    boolean isEmpty() { return count == 0; }

    private void grow() {
        int n = bufs.length * 2;
        byte[][] nb = new byte[n][];
        int[] nl = new int[n], nd = new int[n];
        for (int i = 0; i < count; i++) {
            int at = (head + i) & (bufs.length - 1);
            nb[i] = bufs[at];
            nl[i] = lens[at];
            nd[i] = dsts[at];
        }
        bufs = nb;
        lens = nl;
        dsts = nd;
        head = 0;
    }
}
