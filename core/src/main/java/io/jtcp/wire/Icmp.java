package io.jtcp.wire;

/**
 * ICMP (RFC 792, RFC 1122 §3.2.2) and ICMPv6 (RFC 4443): the type and code numbers and the
 * decoder. Both share one layout: type, code, checksum, four bytes whose meaning depends
 * on the type, then the body (echo data or the quoted packet). They differ in the checksum
 * (ICMPv6 covers the IPv6 pseudo header, RFC 4443 §2.3) and in the numbers.
 */
public final class Icmp {
    private Icmp() {}

    public static final int HEADER_LENGTH = 8;
    /** What a quote must hold beyond the quoted IP header: the transport's first 8 bytes (RFC 792, RFC 1812 §4.3.2.3). */
    public static final int QUOTED_TRANSPORT_BYTES = 8;

    // ICMP (RFC 792)
    public static final int V4_ECHO_REPLY = 0, V4_DEST_UNREACHABLE = 3, V4_SOURCE_QUENCH = 4, V4_REDIRECT = 5,
            V4_ECHO_REQUEST = 8, V4_TIME_EXCEEDED = 11, V4_PARAMETER_PROBLEM = 12;
    /** The highest ICMP type Linux knows (NR_ICMP_TYPES): a higher one counts as an error in icmp_send's check. */
    public static final int V4_LAST_KNOWN_TYPE = 18;
    public static final int V4_HOST_UNREACHABLE = 1, V4_PROTOCOL_UNREACHABLE = 2, V4_PORT_UNREACHABLE = 3,
            V4_FRAGMENTATION_NEEDED = 4, V4_ADMIN_PROHIBITED = 13;
    public static final int V4_REASSEMBLY_TIME_EXCEEDED = 1;

    // ICMPv6 (RFC 4443 §3, §4)
    public static final int V6_DEST_UNREACHABLE = 1, V6_PACKET_TOO_BIG = 2, V6_TIME_EXCEEDED = 3,
            V6_PARAMETER_PROBLEM = 4, V6_ECHO_REQUEST = 128, V6_ECHO_REPLY = 129;
    public static final int V6_NO_ROUTE = 0, V6_ADMIN_PROHIBITED = 1, V6_ADDRESS_UNREACHABLE = 3, V6_PORT_UNREACHABLE = 4;
    public static final int V6_REASSEMBLY_TIME_EXCEEDED = 1;
    public static final int V6_ERRONEOUS_HEADER_FIELD = 0, V6_UNRECOGNIZED_NEXT_HEADER = 1, V6_UNRECOGNIZED_OPTION = 2;

    /** RFC 4443 §2.1: types below 128 are errors. For ICMP, the types Linux's icmp_pointers mark as errors. */
    public static boolean isError(int version, int type) {
        if (version == 6) return type < 128;
        return type == V4_DEST_UNREACHABLE || type == V4_SOURCE_QUENCH || type == V4_REDIRECT
                || type == V4_TIME_EXCEEDED || type == V4_PARAMETER_PROBLEM;
    }

    /**
     * Decodes the ICMP or ICMPv6 message that is {@code packet}'s payload into {@code out}.
     * Returns null, or why the message must be dropped; never throws on hostile input.
     */
    public static DropReason parse(IpPacket packet, IcmpMessage out) {
        int expected = packet.isV6() ? Checksum.PROTO_ICMPV6 : Checksum.PROTO_ICMP;
        if (packet.protocol != expected) throw new IllegalArgumentException("protocol " + packet.protocol + " is not ICMP");
        byte[] b = packet.buf;
        int off = packet.payloadOffset, len = packet.payloadLength;
        if (len < HEADER_LENGTH) return DropReason.ICMP_TRUNCATED;
        int seed = packet.isV6() ? Checksum.pseudoHeader(packet.src, packet.dst, Checksum.PROTO_ICMPV6, len) : 0;
        if (Checksum.finish(Checksum.partial(b, off, len, seed)) != 0) return DropReason.ICMP_BAD_CHECKSUM;

        out.clear();
        out.version = packet.version;
        out.type = Bytes.u8(b, off);
        out.code = Bytes.u8(b, off + 1);
        out.buf = b;
        out.dataOffset = off + HEADER_LENGTH;
        out.dataLength = len - HEADER_LENGTH;
        int echoRequest = packet.isV6() ? V6_ECHO_REQUEST : V4_ECHO_REQUEST;
        int echoReply = packet.isV6() ? V6_ECHO_REPLY : V4_ECHO_REPLY;
        if (out.type == echoRequest || out.type == echoReply) {
            out.kind = out.type == echoRequest ? IcmpMessage.Kind.ECHO_REQUEST : IcmpMessage.Kind.ECHO_REPLY;
            out.id = Bytes.u16(b, off + 4);
            out.sequence = Bytes.u16(b, off + 6);
            return null;
        }
        if (!isError(packet.version, out.type)) return null;
        out.kind = IcmpMessage.Kind.ERROR;
        if (packet.isV6()) {
            if (out.type == V6_PACKET_TOO_BIG) out.mtu = Bytes.i32(b, off + 4);
            if (out.type == V6_PARAMETER_PROBLEM) out.pointer = Bytes.i32(b, off + 4);
        } else {
            if (out.type == V4_DEST_UNREACHABLE && out.code == V4_FRAGMENTATION_NEEDED) out.mtu = Bytes.u16(b, off + 6);
            if (out.type == V4_PARAMETER_PROBLEM) out.pointer = Bytes.u8(b, off + 4);
        }
        return packet.isV6() ? quotedIpv6(out) : quotedIpv4(out);
    }

    private static DropReason quotedIpv4(IcmpMessage out) {
        byte[] b = out.buf;
        int q = out.dataOffset, n = out.dataLength;
        if (n < 1) return DropReason.ICMP_QUOTE_TRUNCATED;
        if ((b[q] & 0xff) >>> 4 != 4) return DropReason.ICMP_QUOTE_BAD_VERSION;
        int ihl = (b[q] & 0xf) * 4;
        if (ihl < IpHeaders.IPV4_HEADER_LENGTH) return DropReason.ICMP_QUOTE_BAD_HEADER_LENGTH;
        if (n < ihl + QUOTED_TRANSPORT_BYTES) return DropReason.ICMP_QUOTE_TRUNCATED;
        out.quotedVersion = 4;
        out.quotedProtocol = Bytes.u8(b, q + 9);
        out.quotedSrc = IpAddress.read4(out.quotedSrc, b, q + 12);
        out.quotedDst = IpAddress.read4(out.quotedDst, b, q + 16);
        out.quotedTransportOffset = q + ihl;
        return null;
    }

    private static DropReason quotedIpv6(IcmpMessage out) {
        byte[] b = out.buf;
        int q = out.dataOffset, end = q + out.dataLength;
        if (out.dataLength < 1) return DropReason.ICMP_QUOTE_TRUNCATED;
        if ((b[q] & 0xff) >>> 4 != 6) return DropReason.ICMP_QUOTE_BAD_VERSION;
        if (out.dataLength < IpHeaders.IPV6_HEADER_LENGTH + QUOTED_TRANSPORT_BYTES) return DropReason.ICMP_QUOTE_TRUNCATED;
        int next = Bytes.u8(b, q + 6);
        int at = q + IpHeaders.IPV6_HEADER_LENGTH;
        // Walk the extension headers to the transport header, as ipv6_skip_exthdr does. Each
        // is at least 8 bytes long, so the walk ends within the quote.
        while (isExtensionHeader(next)) {
            if (at + 8 > end) return DropReason.ICMP_QUOTE_NO_TRANSPORT;
            int length;
            if (next == 44) {
                if ((Bytes.u16(b, at + 2) & 0xfff8) != 0) return DropReason.ICMP_QUOTE_NO_TRANSPORT;
                length = 8;
            } else if (next == 51) {
                length = (Bytes.u8(b, at + 1) + 2) * 4;
            } else {
                length = (Bytes.u8(b, at + 1) + 1) * 8;
            }
            next = Bytes.u8(b, at);
            at += length;
        }
        if (next == 59 || at + QUOTED_TRANSPORT_BYTES > end) return DropReason.ICMP_QUOTE_NO_TRANSPORT;
        out.quotedVersion = 6;
        out.quotedProtocol = next;
        out.quotedSrc = IpAddress.read16(out.quotedSrc, b, q + 8);
        out.quotedDst = IpAddress.read16(out.quotedDst, b, q + 24);
        out.quotedTransportOffset = at;
        return null;
    }

    /** Hop-by-hop options, routing, fragment, AH, destination options (RFC 8200 §4, RFC 4302). */
    static boolean isExtensionHeader(int next) {
        return next == 0 || next == 43 || next == 44 || next == 51 || next == 60;
    }
}
