package io.jtcp.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's
 * complement sum of 16-bit words, used by both the IPv4 header and TCP.
 *
 * <p>Sums are kept "partial" (folded to 16 bits, not yet complemented) so they
 * can be chained: the TCP pseudo-header sum seeds the sum over the segment.
 * Verification is then "the partial sum over data that includes its own
 * checksum field is 0xffff".
 *
 * <p>The loop reads 32-bit words into a {@code long}: since 2^16 = 1 (mod 0xffff),
 * adding 32-bit words and folding at the end gives the same result as adding
 * 16-bit words (RFC 1071 §2, "deferred carries"), with half the iterations.
 */
public final class Checksum {
    private Checksum() {}

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    public static final int PROTO_ICMP = 1, PROTO_TCP = 6, PROTO_UDP = 17, PROTO_ICMPV6 = 58;

    /** Adds {@code b[off, off+len)} to the partial sum {@code initial}; an odd last byte is padded with zero. */
    public static int partial(byte[] b, int off, int len, int initial) {
        long acc = initial & 0xffffffffL;
        int i = off;
        int end = off + len;
        // Eight bytes a step, summed as two 32-bit words: each step adds under 2^33, so a
        // 64 KiB packet cannot overflow the long (the ones' complement fold comes last).
        for (; i + 8 <= end; i += 8) {
            long v = (long) LONG_BE.get(b, i);
            acc += (v >>> 32) + (v & 0xffffffffL);
        }
        for (; i + 4 <= end; i += 4) {
            acc += (int) INT_BE.get(b, i) & 0xffffffffL;
        }
        if (i + 2 <= end) {
            acc += Bytes.u16(b, i);
            i += 2;
        }
        if (i < end) {
            acc += (b[i] & 0xff) << 8;
        }
        return fold(acc);
    }

    /** End-around carry until 16 bits remain; a non-zero input never folds to zero. */
    public static int fold(long acc) {
        while (acc >>> 16 != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) acc;
    }

    /** The value to put in a checksum field, given the partial sum over everything it covers. */
    public static int finish(int partial) {
        return ~fold(partial & 0xffffffffL) & 0xffff;
    }

    /**
     * Partial sum of the pseudo header of an upper-layer protocol: IPv4's (RFC 9293 §3.1,
     * RFC 768) or IPv6's (RFC 8200 §8.1: 128-bit addresses, a 32-bit length, the next header).
     */
    public static int pseudoHeader(IpAddress src, IpAddress dst, int protocol, int length) {
        if (src.isV4()) {
            int s = src.v4(), d = dst.v4();
            return fold((s >>> 16) + (s & 0xffff) + (d >>> 16) + (d & 0xffff) + protocol + (long) length);
        }
        return fold(words(src.hi()) + words(src.lo()) + words(dst.hi()) + words(dst.lo()) + protocol + (length & 0xffffffffL));
    }

    private static long words(long v) {
        return (v >>> 48) + (v >>> 32 & 0xffff) + (v >>> 16 & 0xffff) + (v & 0xffff);
    }

    /** Checksum of an IPv4 header whose checksum field is zero (or, for verification, 0 if it is correct). */
    public static int ipv4Header(byte[] b, int off, int headerLength) {
        return finish(partial(b, off, headerLength, 0));
    }
}
