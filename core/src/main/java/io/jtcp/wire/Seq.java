package io.jtcp.wire;

/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4). Sequence numbers are
 * carried as Java {@code int}s; comparisons go through the signed difference so
 * they stay correct across the wrap.
 */
public final class Seq {
    private Seq() {}

    public static boolean lt(int a, int b) { return a - b < 0; }
    public static boolean leq(int a, int b) { return a - b <= 0; }
    public static boolean gt(int a, int b) { return a - b > 0; }
    public static boolean geq(int a, int b) { return a - b >= 0; }

    /** {@code start <= s < start + len}, modulo 2^32; an empty window holds nothing. */
    public static boolean inWindow(int s, int start, long len) {
        return len > 0 && Integer.toUnsignedLong(s - start) < len;
    }

    /** Distance from {@code from} forward to {@code to}, as an unsigned amount. */
    public static long distance(int from, int to) {
        return Integer.toUnsignedLong(to - from);
    }

    public static int max(int a, int b) { return gt(a, b) ? a : b; }
    public static int min(int a, int b) { return lt(a, b) ? a : b; }
}
