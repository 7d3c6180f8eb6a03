package io.jtcp.tcp;

/**
 * Byte-ring arithmetic shared by {@link SendBuffer} and {@link ReceiveBuffer}.
 *
 * <p>A ring here is a plain {@code byte[]} of any length (not a power of two:
 * the capacity is whatever SO_SNDBUF / SO_RCVBUF says) plus a head index.
 * Logical position {@code x} (0 = head) lives at {@link #index}. Every helper
 * copies in at most two pieces, so nothing allocates except {@link #resized}.
 */
final class Ring {
    /** First allocation: small enough that a quiet connection stays cheap. */
    static final int INITIAL_SIZE = 4096;
    /**
     * The first array is the smallest power of two that holds the first write, from
     * this size up: a 1-byte request costs a 64-byte ring, not a 4 KiB one that churn
     * would allocate and zero twice per connection. Bulk data doubles its way up.
     */
    static final int MIN_SIZE = 64;

    private Ring() {}

    /** Array index of logical position {@code x} ({@code 0 <= x < ring.length}); never overflows. */
    static int index(byte[] ring, int head, int x) {
        int room = ring.length - head;
        return x < room ? head + x : x - room;
    }

    /** Copies {@code len} bytes into the ring starting at logical position {@code x}. */
    static void copyIn(byte[] ring, int head, int x, byte[] src, int off, int len) {
        if (len == 0) return;
        int at = index(ring, head, x);
        int first = Math.min(len, ring.length - at);
        System.arraycopy(src, off, ring, at, first);
        System.arraycopy(src, off + first, ring, 0, len - first);
    }

    /** Copies {@code len} bytes out of the ring starting at logical position {@code x}. */
    static void copyOut(byte[] ring, int head, int x, byte[] dst, int off, int len) {
        if (len == 0) return;
        int at = index(ring, head, x);
        int first = Math.min(len, ring.length - at);
        System.arraycopy(ring, at, dst, off, first);
        System.arraycopy(ring, 0, dst, off + first, len - first);
    }

    /**
     * The length of the ring that replaces one of {@code length} bytes (0: none yet) when
     * {@code need} bytes must fit: sizes double from {@link #MIN_SIZE} so a bulk transfer
     * reallocates only log2(capacity / 64) times; never beyond {@code max(limit, need)}.
     */
    static int grownSize(int length, int need, int limit) {
        long size = length == 0 ? MIN_SIZE : length;
        while (size < need) size *= 2;
        size = Math.min(size, Math.max(limit, need));
        return (int) Math.min(size, Integer.MAX_VALUE - 8);
    }

    /**
     * A ring of exactly {@code size} bytes holding the first {@code keep} logical bytes of
     * the old one (which may be null) at positions 0.., so the new head is 0.
     */
    static byte[] resized(byte[] ring, int head, int keep, int size) {
        byte[] next = new byte[size];
        if (ring != null) copyOut(ring, head, 0, next, 0, keep);
        return next;
    }
}
