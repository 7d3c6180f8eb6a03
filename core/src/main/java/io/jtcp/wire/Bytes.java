package io.jtcp.wire;

/** Big-endian (network order) reads and writes on byte arrays, for the codecs of every layer; allocation-free. */
public final class Bytes {
    private Bytes() {}

    public static int u8(byte[] b, int i) { return b[i] & 0xff; }

    public static int u16(byte[] b, int i) { return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff); }

    public static int i32(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    public static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    public static void put32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    public static long i64(byte[] b, int i) {
        return (long) i32(b, i) << 32 | i32(b, i + 4) & 0xffffffffL;
    }

    public static void put64(byte[] b, int i, long v) {
        put32(b, i, (int) (v >>> 32));
        put32(b, i + 4, (int) v);
    }
}
