package io.jtcp.host;

/**
 * SipHash-2-4 (Aumasson and Bernstein) over a few 64-bit words: the keyed hash
 * behind initial sequence numbers and timestamp offsets (RFC 6528), so an
 * off-path attacker cannot predict them from the 4-tuple, and Fast Open cookies.
 */
final class SipHash {
    private final long k0, k1;

    SipHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** The hash of 16 bytes: {@code m0} then {@code m1}, each read little-endian. */
    long hash(long m0, long m1) {
        return digest(m0, m1, 0, 0, 0, 2, 16);
    }

    /**
     * The hash of an address pair and one more word: for IPv4, the two addresses packed in one
     * word then {@code m}, as jtcp always hashed IPv4 tuples; for IPv6, all 256 bits of the
     * addresses then {@code m}, so no two IPv6 pairs share a message.
     */
    long hash(io.jtcp.wire.IpAddress a, io.jtcp.wire.IpAddress b, long m) {
        if (a.isV4()) return hash((long) a.v4() << 32 | (b.v4() & 0xFFFFFFFFL), m);
        return digest(a.hi(), a.lo(), b.hi(), b.lo(), m, 5, 40);
    }

    /** The hash of 32 bytes: four words, each read little-endian (Linux's siphash() over an IPv6 address pair). */
    long hash(long m0, long m1, long m2, long m3) {
        return digest(m0, m1, m2, m3, 0, 4, 32);
    }

    /** The hash of 8 bytes read little-endian (Linux's siphash() over an IPv4 address pair). */
    long hash(long m0) {
        return digest(m0, 0, 0, 0, 0, 1, 8);
    }

    /**
     * SipHash-2-4 of the first {@code words} of {@code m0..m4}, then the length word. The words
     * are arguments rather than an array so that a hash allocates nothing: SYN cookies and
     * initial sequence numbers hash on every SYN, a flood's included.
     */
    private long digest(long m0, long m1, long m2, long m3, long m4, int words, int byteLength) {
        long v0 = k0 ^ 0x736f6d6570736575L, v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L, v3 = k1 ^ 0x7465646279746573L;
        for (int i = 0; i <= words; i++) {
            long m = i == words ? (long) byteLength << 56 : i == 0 ? m0 : i == 1 ? m1 : i == 2 ? m2 : i == 3 ? m3 : m4;
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
