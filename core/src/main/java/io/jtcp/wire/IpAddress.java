package io.jtcp.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address, immutable, as 128 bits in two {@code long}s. An IPv4
 * address is held in its IPv4-mapped form ({@code ::ffff:a.b.c.d}, RFC 4291
 * §2.5.5.2), which is how a dual-stack socket sees it too; no IPv6 packet may carry a
 * mapped address (Linux's ipv6_rcv drops them), so the two families never collide.
 *
 * <p>Decoders keep the fast path allocation-free with {@link #reuse}: a packet from
 * the same address as the last one keeps the last one's object.
 */
public final class IpAddress implements Comparable<IpAddress> {
    private static final long MAPPED_PREFIX = 0x0000_ffffL << 32;

    public static final IpAddress ANY4 = v4(0);
    public static final IpAddress ANY6 = new IpAddress(0, 0);
    public static final IpAddress LOOPBACK4 = v4(0x7f000001);
    public static final IpAddress LOOPBACK6 = new IpAddress(0, 1);

    private final long hi, lo;

    private IpAddress(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
    }

    public static IpAddress v4(int address) {
        return new IpAddress(0, MAPPED_PREFIX | address & 0xffffffffL);
    }

    public static IpAddress v6(long hi, long lo) {
        return new IpAddress(hi, lo);
    }

    /** {@code current} if it already holds {@code hi, lo}, else a new address: decoding without garbage in steady state. */
    public static IpAddress reuse(IpAddress current, long hi, long lo) {
        return current != null && current.hi == hi && current.lo == lo ? current : new IpAddress(hi, lo);
    }

    /** The IPv4 address at {@code b[off, off+4)}, as {@link #reuse} does. */
    public static IpAddress read4(IpAddress current, byte[] b, int off) {
        return reuse(current, 0, MAPPED_PREFIX | Bytes.i32(b, off) & 0xffffffffL);
    }

    /** The IPv6 address at {@code b[off, off+16)}, as {@link #reuse} does. */
    public static IpAddress read16(IpAddress current, byte[] b, int off) {
        return reuse(current, Bytes.i64(b, off), Bytes.i64(b, off + 8));
    }

    /** Writes the address as it goes on the wire, 4 bytes for IPv4 and 16 for IPv6; returns the count. */
    public int write(byte[] b, int off) {
        if (isV4()) {
            Bytes.put32(b, off, v4());
            return 4;
        }
        Bytes.put64(b, off, hi);
        Bytes.put64(b, off + 8, lo);
        return 16;
    }

    public boolean isV6() { return !isV4(); }

    public boolean isV4() { return hi == 0 && (lo & 0xffff_ffff_0000_0000L) == MAPPED_PREFIX; }

    /** The IPv4 address; only for {@link #isV4()}. */
    public int v4() { return (int) lo; }

    public long hi() { return hi; }

    public long lo() { return lo; }

    /** 0.0.0.0 or ::, the wildcard a socket binds to. */
    public boolean isAny() { return isV4() ? v4() == 0 : hi == 0 && lo == 0; }

    public boolean isLoopback() { return isV4() ? v4() >>> 24 == 127 : hi == 0 && lo == 1; }

    public boolean isMulticast() { return isV4() ? v4() >>> 28 == 0xe : hi >>> 56 == 0xff; }

    /**
     * Whether a packet arriving from a link may not come from this address. IPv4: Linux's
     * martian sources of ip_route_input_slow ({@link Ip4#isMartianSource}). IPv6: a multicast
     * source (RFC 4291 §2.7, ipv6_rcv), loopback (handled by the caller's loopback check),
     * and a mapped address in an IPv6 header, which ipv6_rcv drops as well.
     */
    public boolean isMartianSource() {
        if (isV4()) return Ip4.isMartianSource(v4());
        return isMulticast() || isLoopback();
    }

    /** Whether the first {@code prefixLength} bits of this address and {@code network} agree. */
    public boolean inPrefix(IpAddress network, int prefixLength) {
        if (isV4() != network.isV4()) return false;
        int bits = isV4() ? prefixLength + 96 : prefixLength;
        if (bits <= 0) return true;
        if (bits <= 64) return ((hi ^ network.hi) & -1L << (64 - bits)) == 0;
        return hi == network.hi && (bits == 128 || ((lo ^ network.lo) & -1L << (128 - bits)) == 0);
    }

    public static IpAddress of(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 ? read4(null, b, 0) : read16(null, b, 0);
    }

    public InetAddress toInetAddress() {
        byte[] b = new byte[isV4() ? 4 : 16];
        write(b, 0);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Parses dotted IPv4 ({@code 10.0.0.1}) or IPv6 text ({@code fd00::2}, {@code ::ffff:10.0.0.1},
     * optionally in brackets). Only literal addresses: no name is ever looked up.
     */
    public static IpAddress parse(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
        if (t.indexOf(':') < 0) return v4(Ip4.parse(t));
        if (t.indexOf('%') >= 0) throw new IllegalArgumentException("scoped IPv6 address not supported: " + text);
        InetAddress a;
        try {
            // With a colon in it, getByName takes the text as an IPv6 literal; it never resolves.
            a = InetAddress.getByName("[" + t + "]");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
        if (!(a instanceof Inet6Address) && !(a instanceof Inet4Address)) throw new IllegalArgumentException(text);
        // ::ffff:a.b.c.d comes back as an Inet4Address, which is the same address here.
        return of(a);
    }

    /** Linux's spelling: dotted quad for IPv4, RFC 5952's compressed form for IPv6 (inet_ntop). */
    @Override
    public String toString() {
        if (isV4()) return Ip4.format(v4());
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) w[i] = (int) ((i < 4 ? hi >>> (48 - 16 * i) : lo >>> (48 - 16 * (i - 4))) & 0xffff);
        // The longest run of two or more zero words becomes "::" (the first such run on a tie).
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && w[j] == 0) j++;
            if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
            i = j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLength - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') b.append(':');
            b.append(Integer.toHexString(w[i]));
        }
        return b.toString();
    }

    /** {@code addr:port} as ss prints it: {@code 10.0.0.1:80}, {@code [fd00::1]:80}. */
    public String withPort(int port) {
        return isV4() ? this + ":" + port : "[" + this + "]:" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && a.hi == hi && a.lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi * 0x9E3779B97F4A7C15L ^ lo);
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }
}
