package io.jtcp.wire;

/**
 * Big-endian (network order) reads and writes on byte arrays. Package-private:
 * the codec and the option layout are its only users, and both stay allocation-free.
 */
final class Bytes {
    private Bytes() {}

    static int u8(byte[] b, int i) { return b[i] & 0xff; }

    static int u16(byte[] b, int i) { return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff); }

    static int i32(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
