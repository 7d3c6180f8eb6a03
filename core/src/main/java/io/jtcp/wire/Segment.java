package io.jtcp.wire;

import java.util.Arrays;

/**
 * One TCP segment with its IP addresses (either family), as the engine sees it: header fields,
 * decoded options, and the payload as a view (array, offset, length) into
 * whatever buffer it arrived in or will be sent from.
 *
 * <p>Mutable on purpose: the stack decodes every arriving packet into one reused
 * instance and builds every outgoing segment in another, so the established
 * fast path allocates nothing. A segment handed to a callback is valid only
 * during that call; {@link #copy()} it to keep it.
 *
 * <p>Absent options are {@code -1} (MSS, window scale) or {@code false}.
 * {@link #window} is the raw 16-bit field, before any scaling.
 */
public final class Segment {
    public static final int MAX_SACK_BLOCKS = 4;
    /** The ECN codepoints of RFC 3168 §5, as the low two bits of the TOS byte / traffic class. */
    public static final int NOT_ECT = 0, ECT1 = 1, ECT0 = 2, CE = 3;
    private static final byte[] NO_BYTES = new byte[0];

    /** Never null: a fresh segment is between the IPv4 wildcards; the family of the addresses is the segment's. */
    public IpAddress srcAddr = IpAddress.ANY4, dstAddr = IpAddress.ANY4;
    public int srcPort, dstPort;
    public int seq, ack;
    public int flags;
    public int window;
    public int urgent;
    /**
     * The IP header's ECN field (RFC 3168 §5): {@link #NOT_ECT}, {@link #ECT1}, {@link #ECT0}
     * or {@link #CE}; decoded from the TOS byte or traffic class, written back into it on encode.
     */
    public int ecn;

    public int mss = -1;
    public int windowScale = -1;
    public boolean sackPermitted;
    public boolean hasTimestamps;
    public int tsVal, tsEcr;
    public int sackCount;
    /** SACK blocks as pairs: left edge at {@code 2i}, right edge at {@code 2i + 1}. */
    public final int[] sackBlocks = new int[2 * MAX_SACK_BLOCKS];
    /**
     * TCP Fast Open (RFC 7413): the cookie's length, -1 when the option is absent, 0 for
     * a cookie request; its bytes in {@link #fastOpenCookie}; whether it came (or goes)
     * in the experimental form (kind 254, magic 0xF989) rather than kind 34.
     */
    public int fastOpenLength = -1;
    public final byte[] fastOpenCookie = new byte[TcpOptions.FASTOPEN_COOKIE_MAX];
    public boolean fastOpenExp;

    public byte[] payload = NO_BYTES;
    public int payloadOffset;
    public int payloadLength;

    public Segment() {}

    /** Resets every field, as if newly constructed. */
    public Segment clear() {
        srcAddr = dstAddr = IpAddress.ANY4;
        srcPort = dstPort = seq = ack = flags = window = urgent = ecn = 0;
        clearOptions();
        payload = NO_BYTES;
        payloadOffset = payloadLength = 0;
        return this;
    }

    public Segment clearOptions() {
        mss = windowScale = -1;
        sackPermitted = hasTimestamps = false;
        tsVal = tsEcr = sackCount = 0;
        fastOpenLength = -1;
        fastOpenExp = false;
        return this;
    }

    public boolean isV6() { return !srcAddr.isV4(); }

    public boolean has(int flag) { return (flags & flag) != 0; }
    public boolean syn() { return has(TcpFlags.SYN); }
    public boolean fin() { return has(TcpFlags.FIN); }
    public boolean rst() { return has(TcpFlags.RST); }
    public boolean ackFlag() { return has(TcpFlags.ACK); }

    /** SEG.LEN: the octets of sequence space this segment occupies, SYN and FIN included (RFC 9293 §3.4). */
    public int seqLength() {
        return payloadLength + (syn() ? 1 : 0) + (fin() ? 1 : 0);
    }

    public int sackLeft(int i) { return sackBlocks[2 * i]; }
    public int sackRight(int i) { return sackBlocks[2 * i + 1]; }

    public void addSack(int left, int right) {
        if (sackCount == MAX_SACK_BLOCKS) throw new IllegalStateException("at most 4 SACK blocks");
        sackBlocks[2 * sackCount] = left;
        sackBlocks[2 * sackCount + 1] = right;
        sackCount++;
    }

    public Segment payload(byte[] data, int offset, int length) {
        payload = data;
        payloadOffset = offset;
        payloadLength = length;
        return this;
    }

    /** A deep copy whose payload no longer shares the original buffer. */
    public Segment copy() {
        Segment c = new Segment();
        c.copyHeaderFrom(this);
        c.payload = Arrays.copyOfRange(payload, payloadOffset, payloadOffset + payloadLength);
        c.payloadOffset = 0;
        c.payloadLength = payloadLength;
        return c;
    }

    /** Copies every field except the payload view. */
    public void copyHeaderFrom(Segment o) {
        srcAddr = o.srcAddr; dstAddr = o.dstAddr; srcPort = o.srcPort; dstPort = o.dstPort;
        seq = o.seq; ack = o.ack; flags = o.flags; window = o.window; urgent = o.urgent; ecn = o.ecn;
        mss = o.mss; windowScale = o.windowScale; sackPermitted = o.sackPermitted;
        hasTimestamps = o.hasTimestamps; tsVal = o.tsVal; tsEcr = o.tsEcr;
        sackCount = o.sackCount;
        System.arraycopy(o.sackBlocks, 0, sackBlocks, 0, sackBlocks.length);
        fastOpenLength = o.fastOpenLength;
        fastOpenExp = o.fastOpenExp;
        System.arraycopy(o.fastOpenCookie, 0, fastOpenCookie, 0, fastOpenCookie.length);
    }

    /** Sets the Fast Open option: {@code cookie} null or empty asks for a cookie. */
    public void fastOpen(byte[] cookie, boolean exp) {
        fastOpenLength = cookie == null ? 0 : cookie.length;
        if (cookie != null) System.arraycopy(cookie, 0, fastOpenCookie, 0, cookie.length);
        fastOpenExp = exp;
    }

    /** The Fast Open cookie carried, or null when there is none (absent option or a request). */
    public byte[] fastOpenCookieBytes() {
        return fastOpenLength <= 0 ? null : Arrays.copyOf(fastOpenCookie, fastOpenLength);
    }

    /** A compact, tcpdump-like rendering with absolute numbers, for assertions and debugging. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(srcAddr).append('.').append(srcPort).append(" > ")
         .append(dstAddr).append('.').append(dstPort)
         .append(": [").append(TcpFlags.tcpdump(flags)).append("] seq ").append(Integer.toUnsignedString(seq));
        if (ackFlag()) b.append(" ack ").append(Integer.toUnsignedString(ack));
        b.append(" win ").append(window);
        if (mss >= 0) b.append(" mss ").append(mss);
        if (windowScale >= 0) b.append(" wscale ").append(windowScale);
        if (sackPermitted) b.append(" sackOK");
        if (hasTimestamps) b.append(" TS ").append(Integer.toUnsignedString(tsVal)).append('/').append(Integer.toUnsignedString(tsEcr));
        for (int i = 0; i < sackCount; i++) {
            b.append(" sack ").append(Integer.toUnsignedString(sackLeft(i))).append(':').append(Integer.toUnsignedString(sackRight(i)));
        }
        if (fastOpenLength >= 0) {
            b.append(fastOpenExp ? " FOEXP" : " FO");
            for (int i = 0; i < fastOpenLength; i++) b.append(String.format("%s%02x", i == 0 ? " " : "", fastOpenCookie[i] & 0xff));
        }
        b.append(" len ").append(payloadLength);
        if (ecn != NOT_ECT) b.append(ecn == CE ? " CE" : ecn == ECT0 ? " ECT(0)" : " ECT(1)");
        return b.toString();
    }
}
