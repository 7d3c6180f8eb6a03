package io.jtcp.wire;

/**
 * Writes the IP header in front of an upper-layer payload, for every protocol the host
 * sends (TCP, UDP, ICMP, ICMPv6). Allocation-free: the caller owns the buffer.
 */
public final class IpHeaders {
    private IpHeaders() {}

    public static final int IPV4_HEADER_LENGTH = Ip4Header.LENGTH, IPV6_HEADER_LENGTH = Ip6Header.LENGTH;

    /**
     * An IPv4 header without options (RFC 791 §3.1) at {@code b[off, off+20)}, its checksum
     * filled in. {@code df} sets Don't Fragment; {@code id} is the Identification field,
     * which the caller chooses (Linux's ip_select_ident). Returns 20.
     */
    public static int writeIpv4(byte[] b, int off, IpAddress src, IpAddress dst, int protocol, int payloadLength,
                                int ttl, int tos, boolean df, int id) {
        int total = IPV4_HEADER_LENGTH + payloadLength;
        if (total > 0xffff) throw new IllegalArgumentException("IPv4 packet of " + total + " bytes");
        b[off] = 0x45;
        b[off + 1] = (byte) tos;
        Bytes.put16(b, off + 2, total);
        Bytes.put16(b, off + 4, id);
        Bytes.put16(b, off + 6, df ? 0x4000 : 0);
        b[off + 8] = (byte) ttl;
        b[off + 9] = (byte) protocol;
        Bytes.put16(b, off + 10, 0);
        Bytes.put32(b, off + 12, src.v4());
        Bytes.put32(b, off + 16, dst.v4());
        Bytes.put16(b, off + 10, Checksum.ipv4Header(b, off, IPV4_HEADER_LENGTH));
        return IPV4_HEADER_LENGTH;
    }

    /**
     * An IPv6 header (RFC 8200 §3) at {@code b[off, off+40)}: no extension headers, so the
     * next header is the upper-layer protocol. Returns 40.
     */
    public static int writeIpv6(byte[] b, int off, IpAddress src, IpAddress dst, int nextHeader, int payloadLength,
                                int hopLimit, int trafficClass, int flowLabel) {
        if (payloadLength > 0xffff) throw new IllegalArgumentException("IPv6 payload of " + payloadLength + " bytes");
        return Ip6Header.write(b, off, trafficClass, flowLabel, payloadLength, nextHeader, hopLimit, src, dst);
    }

    /**
     * The header of {@code src}'s family: IPv4 with {@code tos, df, id}, or IPv6 with
     * {@code tos} as the traffic class and flow label 0. Returns the header's length.
     */
    public static int write(byte[] b, int off, IpAddress src, IpAddress dst, int protocol, int payloadLength,
                            int ttl, int tos, boolean df, int id) {
        if (src.isV4() != dst.isV4()) throw new IllegalArgumentException("mixed families: " + src + " -> " + dst);
        return src.isV4()
                ? writeIpv4(b, off, src, dst, protocol, payloadLength, ttl, tos, df, id)
                : writeIpv6(b, off, src, dst, protocol, payloadLength, ttl, tos, 0);
    }

    public static int headerLength(IpAddress address) {
        return address.isV4() ? IPV4_HEADER_LENGTH : IPV6_HEADER_LENGTH;
    }
}
