package io.jtcp.wire;

/**
 * TCP on the wire (RFC 9293 §3.1) over either IP: the TCP layer's decoder takes the
 * {@link IpPacket} the IP layer decoded (its addresses feed the pseudo header), and the
 * encoder writes a whole packet, IPv4 or IPv6 by the segment's addresses.
 *
 * <p>Decoding treats every byte as hostile: it never throws, whatever the buffer holds,
 * and names a {@link DropReason} for anything it refuses. It is zero-copy: the decoded
 * payload is a view into the caller's buffer. Encoding allocates nothing.
 */
public final class PacketCodec {
    private PacketCodec() {}

    public static final int IPV4_HEADER_LENGTH = Ip4Header.LENGTH;
    public static final int IPV6_HEADER_LENGTH = Ip6Header.LENGTH;
    public static final int TCP_HEADER_LENGTH = 20;
    public static final int MAX_PACKET_LENGTH = 0xffff + IPV6_HEADER_LENGTH;
    private static final int TTL = 64;

    /**
     * Decodes a whole IP packet holding TCP: the IP layer then the TCP layer, for tools and
     * tests that hold single packets (the stack dispatches by protocol itself). Fragments and
     * other protocols are refused.
     */
    public static DropReason decode(byte[] buf, int off, int len, Segment into) {
        return decode(buf, off, len, into, true);
    }

    /** As {@link #decode(byte[], int, int, Segment)}, optionally taking the TCP checksum on trust. */
    public static DropReason decode(byte[] buf, int off, int len, Segment into, boolean verifyTcpChecksum) {
        IpPacket ip = new IpPacket();
        DropReason bad = decodeIp(buf, off, len, ip);
        if (bad != null) return bad;
        if (ip.fragment) return DropReason.IP_FRAGMENT;
        if (ip.protocol != Checksum.PROTO_TCP) return DropReason.IP_NOT_TCP;
        return decode(ip, into, verifyTcpChecksum);
    }

    /** The IP layer's decoder for either family, chosen by the version nibble, with Linux's default IPv6 option limits. */
    public static DropReason decodeIp(byte[] buf, int off, int len, IpPacket into) {
        return decodeIp(buf, off, len, into, Ip6OptionLimits.LINUX);
    }

    /**
     * The IP layer's decoder for either family, chosen by the version nibble. A refused IPv6
     * packet may ask for a parameter problem ({@link IpPacket#hasProblem()}); an IPv4 one never does.
     */
    public static DropReason decodeIp(byte[] buf, int off, int len, IpPacket into, Ip6OptionLimits limits) {
        into.problemCode = -1;
        // Shorter than the smallest header of either family: truncated before any field is read (ip_rcv_core's pull).
        if (buf == null || off < 0 || len < Ip4Header.LENGTH || off > buf.length - len) return DropReason.IP_TRUNCATED;
        return switch (buf[off] >>> 4 & 0xf) {
            case 4 -> Ip4Header.decode(buf, off, len, into);
            case 6 -> Ip6Header.decode(buf, off, len, into, limits);
            default -> DropReason.IP_BAD_VERSION;
        };
    }

    /**
     * Parses the TCP segment that is {@code ip}'s payload into {@code into}. With
     * {@code verifyTcpChecksum} false the checksum is taken on trust: for a link that
     * guarantees integrity, as Linux's loopback marks its packets CHECKSUM_UNNECESSARY.
     */
    public static DropReason decode(IpPacket ip, Segment into, boolean verifyTcpChecksum) {
        byte[] buf = ip.buf;
        int t = ip.payloadOffset;
        int tcpLen = ip.payloadLength;
        if (tcpLen < TCP_HEADER_LENGTH) return DropReason.TCP_TRUNCATED;
        int dataOffset = (Bytes.u8(buf, t + 12) >>> 4) * 4;
        if (dataOffset < TCP_HEADER_LENGTH || dataOffset > tcpLen) return DropReason.TCP_BAD_DATA_OFFSET;
        if (verifyTcpChecksum
                && Checksum.partial(buf, t, tcpLen, Checksum.pseudoHeader(ip.src, ip.dst, Checksum.PROTO_TCP, tcpLen)) != 0xffff) {
            return DropReason.TCP_BAD_CHECKSUM;
        }
        // No flag combination is refused here: Linux decides SYN+FIN and SYN+RST by state
        // (a closed port answers them as any segment, a listener drops SYN+FIN).
        into.srcAddr = ip.src;
        into.dstAddr = ip.dst;
        into.srcPort = Bytes.u16(buf, t);
        into.dstPort = Bytes.u16(buf, t + 2);
        into.seq = Bytes.i32(buf, t + 4);
        into.ack = Bytes.i32(buf, t + 8);
        into.flags = Bytes.u8(buf, t + 13);
        into.window = Bytes.u16(buf, t + 14);
        into.urgent = Bytes.u16(buf, t + 18);
        into.ecn = ip.tos & 3;
        into.clearOptions();
        TcpOptions.parse(buf, t + TCP_HEADER_LENGTH, t + dataOffset, into);
        into.payload(buf, t + dataOffset, tcpLen - dataOffset);
        return null;
    }

    /** Bytes {@link #encode} will write for {@code s}: IP header, TCP header with options, payload. */
    public static int encodedLength(Segment s) {
        return ipHeaderLength(s) + TCP_HEADER_LENGTH + OptionLayout.length(s) + s.payloadLength;
    }

    private static int ipHeaderLength(Segment s) {
        return s.isV6() ? IPV6_HEADER_LENGTH : IPV4_HEADER_LENGTH;
    }

    /** Writes {@code s} as a complete packet at {@code out[off]}, with DF, and returns its length. */
    public static int encode(Segment s, byte[] out, int off) {
        return encode(s, out, off, true, true);
    }

    /**
     * Writes {@code s} as a complete IPv4 (IHL 5, id 0, TTL 64) or IPv6 (hop limit 64)
     * packet at {@code out[off]} and returns its length ({@link #encodedLength}). Options
     * follow {@link OptionLayout}. With {@code tcpChecksum} false the TCP checksum is left 0
     * for a link that guarantees integrity (Linux's loopback leaves it to an offload that
     * never runs). {@code dontFragment} is IPv4's DF: clear only where path MTU discovery is
     * off for the destination. A TCP payload over 65535 bytes is a caller bug and throws.
     */
    public static int encode(Segment s, byte[] out, int off, boolean tcpChecksum, boolean dontFragment) {
        int optLen = OptionLayout.length(s);
        int tcpHeader = TCP_HEADER_LENGTH + optLen;
        int tcpLen = tcpHeader + s.payloadLength;
        int ipHeader = ipHeaderLength(s);
        if (tcpLen + (s.isV6() ? 0 : ipHeader) > 0xffff) {
            throw new IllegalArgumentException("packet of " + (ipHeader + tcpLen) + " bytes exceeds the IP length field");
        }
        // The ECN field is the only part of the TOS byte / traffic class jtcp sets (DSCP stays 0).
        IpHeaders.write(out, off, s.srcAddr, s.dstAddr, Checksum.PROTO_TCP, tcpLen, TTL, s.ecn & 3, dontFragment, 0);

        int t = off + ipHeader;
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
        if (tcpChecksum) {
            int sum = Checksum.partial(out, t, tcpLen, Checksum.pseudoHeader(s.srcAddr, s.dstAddr, Checksum.PROTO_TCP, tcpLen));
            Bytes.put16(out, t + 16, Checksum.finish(sum));
        }
        return ipHeader + tcpLen;
    }
}
