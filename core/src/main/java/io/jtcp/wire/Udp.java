package io.jtcp.wire;

/**
 * The UDP header (RFC 768): source port, destination port, length (header and data),
 * checksum over the pseudo header, the header and the data. Decoding is Linux's
 * udp_rcv / __udp4_lib_rcv / __udp6_lib_rcv: a length field below 8 or past the IP
 * payload drops the datagram, a shorter one trims the payload to it (pskb_trim_rcsum),
 * and the checksum is verified with the family's pseudo header. An IPv4 checksum of 0
 * means the sender computed none (RFC 768); an IPv6 checksum of 0 is invalid (RFC 8200
 * §8.1), which Linux's udp6_csum_init enforces unless UDP_NO_CHECK6_RX is set.
 *
 * <p>A decoder is mutable and reused, as {@link Segment} is: its fields describe the last
 * datagram decoded, whose data stays in the {@link IpPacket}'s buffer.
 */
public final class Udp {
    public static final int HEADER_LENGTH = 8;
    /** The most data one IPv4 datagram can carry: 65535 less the IPv4 and UDP headers (ip_append_data's EMSGSIZE bound). */
    public static final int MAX_DATA_V4 = 65535 - 20 - HEADER_LENGTH;
    /** The most data one IPv6 datagram can carry without a jumbogram: the payload length field less the UDP header. */
    public static final int MAX_DATA_V6 = 65535 - HEADER_LENGTH;

    public int srcPort, dstPort;
    /** Where the data starts in the packet's buffer and how long it is, after trimming to the length field. */
    public int dataOffset, dataLength;

    /**
     * Decodes the UDP datagram that is {@code p}'s payload into this object; null when it
     * is well formed, else why it must be dropped. Never throws for any input, allocates nothing.
     * {@code verifyChecksum} false is for a link that guarantees integrity (checksum offload).
     */
    public DropReason decode(IpPacket p, boolean verifyChecksum) {
        byte[] b = p.buf;
        int off = p.payloadOffset;
        if (p.payloadLength < HEADER_LENGTH) return DropReason.UDP_TRUNCATED;
        int length = Bytes.u16(b, off + 4);
        // Linux: "ulen > skb->len" → short_packet, and "ulen < sizeof(*uh)" the same.
        if (length < HEADER_LENGTH || length > p.payloadLength) return DropReason.UDP_BAD_LENGTH;
        int checksum = Bytes.u16(b, off + 6);
        if (checksum == 0) {
            if (p.isV6()) return DropReason.UDP_ZERO_CHECKSUM_V6;
        } else if (verifyChecksum) {
            int sum = Checksum.partial(b, off, length, Checksum.pseudoHeader(p.src, p.dst, Checksum.PROTO_UDP, length));
            if (sum != 0xffff) return DropReason.UDP_BAD_CHECKSUM;
        }
        srcPort = Bytes.u16(b, off);
        dstPort = Bytes.u16(b, off + 2);
        dataOffset = off + HEADER_LENGTH;
        dataLength = length - HEADER_LENGTH;
        return null;
    }

    /**
     * Writes the header and {@code data[dataOff, dataOff+dataLength)} at {@code out[outOff]},
     * with the checksum for {@code src, dst} (both of one family); returns the datagram's
     * length. A computed checksum of 0 goes out as 0xffff, its other one's-complement form,
     * since 0 would mean "no checksum" (RFC 768; RFC 8200 §8.1).
     */
    public static int encode(IpAddress src, int srcPort, IpAddress dst, int dstPort,
                             byte[] data, int dataOff, int dataLength, byte[] out, int outOff) {
        int length = HEADER_LENGTH + dataLength;
        if (length > 65535) throw new IllegalArgumentException("UDP datagram of " + length + " bytes");
        Bytes.put16(out, outOff, srcPort);
        Bytes.put16(out, outOff + 2, dstPort);
        Bytes.put16(out, outOff + 4, length);
        Bytes.put16(out, outOff + 6, 0);
        System.arraycopy(data, dataOff, out, outOff + HEADER_LENGTH, dataLength);
        int sum = Checksum.finish(Checksum.partial(out, outOff, length, Checksum.pseudoHeader(src, dst, Checksum.PROTO_UDP, length)));
        Bytes.put16(out, outOff + 6, sum == 0 ? 0xffff : sum);
        return length;
    }
}
