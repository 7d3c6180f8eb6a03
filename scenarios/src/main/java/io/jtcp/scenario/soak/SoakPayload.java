package io.jtcp.scenario.soak;

/**
 * A connection's payload as a function of position: byte {@code k} of stream {@code key}
 * is computed from (key, k) alone, so the sender produces and the receiver checks any
 * range without either keeping the stream. The first 4 bytes of every stream carry the
 * transfer's id, which is how a server learns which transfer a connection is.
 */
public final class SoakPayload {
    private SoakPayload() {}

    /** Fills {@code into[off, off+len)} with the stream's bytes from position {@code pos}. */
    public static void fill(int id, long key, long pos, byte[] into, int off, int len) {
        long word = 0;
        for (int i = 0; i < len; i++) {
            long p = pos + i;
            if (i == 0 || (p & 7) == 0) word = word(key, p);
            into[off + i] = byteAt(id, p, word);
        }
    }

    /** The index of the first byte of {@code got[off, off+len)} that differs from the stream at {@code pos}, or -1. */
    public static int firstMismatch(int id, long key, long pos, byte[] got, int off, int len) {
        long word = 0;
        for (int i = 0; i < len; i++) {
            long p = pos + i;
            if (i == 0 || (p & 7) == 0) word = word(key, p);
            if (got[off + i] != byteAt(id, p, word)) return i;
        }
        return -1;
    }

    /** Eight bytes of the stream come from one mixed word, the one for their position's 8-byte group. */
    private static long word(long key, long pos) {
        return mix(key * 0x9E3779B97F4A7C15L + (pos >>> 3));
    }

    private static byte byteAt(int id, long pos, long word) {
        return pos < 4 ? (byte) (id >>> (24 - 8 * pos)) : (byte) (word >>> ((pos & 7) << 3));
    }

    /** The id a stream carries in its first 4 bytes. */
    public static int idOf(byte[] head) {
        return (head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | head[3] & 0xff;
    }

    /** SplitMix64's finaliser: every input bit reaches every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
