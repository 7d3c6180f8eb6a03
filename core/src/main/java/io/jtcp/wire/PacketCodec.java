package io.jtcp.wire;

/**
 * IPv4 + TCP on the wire (RFC 791 §3.1, RFC 9293 §3.1): the one entry point
 * between bytes and {@link Segment}s.
 *
 * <p>Decoding treats every byte as hostile: it never throws, whatever the
 * buffer holds, and names a {@link DropReason} for anything it refuses. It is
 * zero-copy: the decoded payload is a view into the caller's buffer. Encoding
 * writes a complete IPv4 packet and allocates nothing.
 */
public final class PacketCodec {
    private PacketCodec() {}

    public static final int IPV4_HEADER_LENGTH = 20;
    public static final int TCP_HEADER_LENGTH = 20;
    public static final int MAX_PACKET_LENGTH = 0xffff;

    private static final int IP_FLAG_DF = 0x4000;
    private static final int IP_FLAG_MF = 0x2000;
    private static final int IP_FRAGMENT_OFFSET = 0x1fff;
    private static final int TTL = 64;

    /**
     * Parses the IPv4 packet at {@code buf[off, off+len)} into {@code into}.
     * Returns null on success, else why the packet must be dropped; on failure
     * {@code into} may be partly filled and must not be used.
     *
     * <p>The IP total length bounds the segment: bytes past it (link padding)
     * are ignored. IP options are checked ({@link Ip4Options}), then skipped.
     */
    public static DropReason decode(byte[] buf, int off, int len, Segment into) {
        return decode(buf, off, len, into, true);
    }

    /**
     * As {@link #decode(byte[], int, int, Segment)}, but with {@code verifyTcpChecksum}
     * false the TCP checksum is taken on trust: for a link that guarantees integrity,
     * as Linux's loopback marks its packets CHECKSUM_UNNECESSARY.
     */
    public static DropReason decode(byte[] buf, int off, int len, Segment into, boolean verifyTcpChecksum) {
        if (buf == null || off < 0 || len < IPV4_HEADER_LENGTH || off > buf.length - len) {
            return DropReason.IP_TRUNCATED;
        }
        int b0 = Bytes.u8(buf, off);
        if (b0 >>> 4 != 4) return DropReason.IP_BAD_VERSION;
        int ihl = (b0 & 0x0f) * 4;
        if (ihl < IPV4_HEADER_LENGTH || ihl > len) return DropReason.IP_BAD_HEADER_LENGTH;
        int total = Bytes.u16(buf, off + 2);
        if (total > len) return DropReason.IP_TRUNCATED;
        if (total < ihl) return DropReason.IP_BAD_HEADER_LENGTH;
        if (Checksum.partial(buf, off, ihl, 0) != 0xffff) return DropReason.IP_BAD_CHECKSUM;
        if (ihl > IPV4_HEADER_LENGTH) {
            DropReason options = Ip4Options.check(buf, off + IPV4_HEADER_LENGTH, off + ihl);
            if (options != null) return options;
        }
        if ((Bytes.u16(buf, off + 6) & (IP_FLAG_MF | IP_FRAGMENT_OFFSET)) != 0) return DropReason.IP_FRAGMENT;
        if (Bytes.u8(buf, off + 9) != Checksum.PROTO_TCP) return DropReason.IP_NOT_TCP;
        int src = Bytes.i32(buf, off + 12);
        int dst = Bytes.i32(buf, off + 16);

        int t = off + ihl;
        int tcpLen = total - ihl;
        if (tcpLen < TCP_HEADER_LENGTH) return DropReason.TCP_TRUNCATED;
        int dataOffset = (Bytes.u8(buf, t + 12) >>> 4) * 4;
        if (dataOffset < TCP_HEADER_LENGTH || dataOffset > tcpLen) return DropReason.TCP_BAD_DATA_OFFSET;
        if (verifyTcpChecksum && Checksum.partial(buf, t, tcpLen, Checksum.pseudoHeader(src, dst, tcpLen)) != 0xffff) {
            return DropReason.TCP_BAD_CHECKSUM;
        }
        // No flag combination is refused here: Linux decides SYN+FIN and SYN+RST by state
        // (a closed port answers them as any segment, a listener drops SYN+FIN).
        int flags = Bytes.u8(buf, t + 13);

        into.srcAddr = src;
        into.dstAddr = dst;
        into.srcPort = Bytes.u16(buf, t);
        into.dstPort = Bytes.u16(buf, t + 2);
        into.seq = Bytes.i32(buf, t + 4);
        into.ack = Bytes.i32(buf, t + 8);
        into.flags = flags;
        into.window = Bytes.u16(buf, t + 14);
        into.urgent = Bytes.u16(buf, t + 18);
        into.clearOptions();
        TcpOptions.parse(buf, t + TCP_HEADER_LENGTH, t + dataOffset, into);
        into.payload(buf, t + dataOffset, tcpLen - dataOffset);
        return null;
    }

    /** Bytes {@link #encode} will write for {@code s}: IPv4 header, TCP header with options, payload. */
    public static int encodedLength(Segment s) {
        return IPV4_HEADER_LENGTH + TCP_HEADER_LENGTH + OptionLayout.length(s) + s.payloadLength;
    }

    /**
     * Writes {@code s} as a complete IPv4 packet at {@code out[off]} and returns its
     * length ({@link #encodedLength}). IPv4: IHL 5, TOS 0, id 0, DF, TTL 64. Options
     * follow {@link OptionLayout}. The caller sizes {@code out}; a packet over
     * 65535 bytes is a caller bug and throws.
     */
    public static int encode(Segment s, byte[] out, int off) {
        return encode(s, out, off, true);
    }

    /**
     * As {@link #encode(Segment, byte[], int)}; with {@code tcpChecksum} false the TCP
     * checksum field is left 0 for a link that guarantees integrity (Linux's loopback
     * leaves it to an offload that never runs). The IPv4 header checksum is always set.
     */
    public static int encode(Segment s, byte[] out, int off, boolean tcpChecksum) {
        int optLen = OptionLayout.length(s);
        int tcpHeader = TCP_HEADER_LENGTH + optLen;
        int tcpLen = tcpHeader + s.payloadLength;
        int total = IPV4_HEADER_LENGTH + tcpLen;
        if (total > MAX_PACKET_LENGTH) throw new IllegalArgumentException("packet of " + total + " bytes exceeds 65535");

        out[off] = 0x45; // version 4, IHL 5 words
        out[off + 1] = 0;
        Bytes.put16(out, off + 2, total);
        Bytes.put16(out, off + 4, 0);
        Bytes.put16(out, off + 6, IP_FLAG_DF);
        out[off + 8] = TTL;
        out[off + 9] = Checksum.PROTO_TCP;
        Bytes.put16(out, off + 10, 0);
        Bytes.put32(out, off + 12, s.srcAddr);
        Bytes.put32(out, off + 16, s.dstAddr);
        Bytes.put16(out, off + 10, Checksum.ipv4Header(out, off, IPV4_HEADER_LENGTH));

        int t = off + IPV4_HEADER_LENGTH;
        Bytes.put16(out, t, s.srcPort);
        Bytes.put16(out, t + 2, s.dstPort);
        Bytes.put32(out, t + 4, s.seq);
        Bytes.put32(out, t + 8, s.ack);
        out[t + 12] = (byte) (tcpHeader / 4 << 4);
        out[t + 13] = (byte) s.flags;
        Bytes.put16(out, t + 14, s.window);
        Bytes.put16(out, t + 16, 0);
        Bytes.put16(out, t + 18, s.urgent);
        OptionLayout.write(s, out, t + TCP_HEADER_LENGTH);
        System.arraycopy(s.payload, s.payloadOffset, out, t + tcpHeader, s.payloadLength);
        if (tcpChecksum) Bytes.put16(out, t + 16, Checksum.tcp(out, t, tcpLen, s.srcAddr, s.dstAddr));
        return total;
    }
}
