package io.jtcp.wire;

/**
 * Builds complete ICMP and ICMPv6 packets (IP header included) into a caller's buffer and
 * returns their length. Whether an error may be sent at all is {@link IcmpSendRules}'
 * question, and whether the rate limits allow it is the IP layer's; these only write.
 *
 * <p>Every builder takes the source address ({@code src}: normally the offending packet's
 * destination, the address that was addressed), the TTL or hop limit (ip_default_ttl,
 * ipv6.conf.default.hop_limit) and, for IPv4, the Identification field. Like Linux's ICMP
 * sockets (pmtudisc IP_PMTUDISC_DONT), IPv4 ICMP goes without Don't Fragment.
 */
public final class IcmpWriter {
    private IcmpWriter() {}

    /**
     * The largest ICMPv4 error packet: RFC 1812 §4.3.2.3 quotes as much as fits in 576
     * bytes, as Linux's icmp_send does (room = 576 less the headers).
     */
    public static final int V4_MAX_ERROR_PACKET = 576;
    /** The largest ICMPv6 error packet: the IPv6 minimum MTU (RFC 4443 §2.4 (c), icmp6_send). */
    public static final int V6_MAX_ERROR_PACKET = 1280;

    /** IPTOS_PREC_INTERNETCONTROL: icmp_send marks its errors with precedence 6. */
    private static final int V4_ERROR_PRECEDENCE = 0xc0;
    /** RT_TOS: the TOS bits of the offending packet an ICMP error keeps (its precedence is replaced). */
    private static final int V4_TOS_BITS = 0x1e;

    /**
     * The echo reply to {@code echo}, an echo request that arrived in {@code request}: the
     * same identifier, sequence number and data (RFC 792; RFC 4443 §4.2), type 0 or 129. The
     * reply keeps the request's TOS or traffic class, as icmp_reply and icmpv6_echo_reply do.
     */
    public static int echoReply(IpPacket request, IcmpMessage echo, IpAddress src, int ttl, int ipId, byte[] out, int off) {
        if (echo.kind != IcmpMessage.Kind.ECHO_REQUEST) throw new IllegalArgumentException("not an echo request: " + echo.kind);
        int type = request.isV6() ? Icmp.V6_ECHO_REPLY : Icmp.V4_ECHO_REPLY;
        int icmpLength = Icmp.HEADER_LENGTH + echo.dataLength;
        int ip = IpHeaders.write(out, off, src, request.src, protocol(src), icmpLength, ttl, request.tos, false, ipId);
        int at = off + ip;
        // Identifier, sequence number and data travel back unchanged.
        System.arraycopy(echo.buf, echo.dataOffset - 4, out, at + 4, 4 + echo.dataLength);
        return ip + finishIcmp(out, at, type, 0, icmpLength, src, request.src);
    }

    /** Destination unreachable with {@code code} of the offending packet's family (ICMP type 3, ICMPv6 type 1). */
    public static int destinationUnreachable(IpPacket offending, int code, IpAddress src, int ttl, int ipId, byte[] out, int off) {
        int type = offending.isV6() ? Icmp.V6_DEST_UNREACHABLE : Icmp.V4_DEST_UNREACHABLE;
        return error(offending, type, code, 0, src, ttl, ipId, out, off);
    }

    /** Port unreachable (ICMP 3/3, ICMPv6 1/4): what a closed UDP port answers. */
    public static int portUnreachable(IpPacket offending, IpAddress src, int ttl, int ipId, byte[] out, int off) {
        int code = offending.isV6() ? Icmp.V6_PORT_UNREACHABLE : Icmp.V4_PORT_UNREACHABLE;
        return destinationUnreachable(offending, code, src, ttl, ipId, out, off);
    }

    /** ICMP 3/4, fragmentation needed and DF set, with the next-hop MTU in bytes 6-7 (RFC 1191 §4). */
    public static int fragmentationNeeded(IpPacket offending, int mtu, IpAddress src, int ttl, int ipId, byte[] out, int off) {
        if (offending.isV6()) throw new IllegalArgumentException("fragmentation needed is ICMP's; IPv6 has packet too big");
        return error(offending, Icmp.V4_DEST_UNREACHABLE, Icmp.V4_FRAGMENTATION_NEEDED, mtu & 0xffff, src, ttl, ipId, out, off);
    }

    /** ICMPv6 packet too big with the MTU as 32 bits (RFC 4443 §3.2). */
    public static int packetTooBig(IpPacket offending, int mtu, IpAddress src, int hopLimit, byte[] out, int off) {
        if (!offending.isV6()) throw new IllegalArgumentException("packet too big is ICMPv6's; IPv4 has fragmentation needed");
        return error(offending, Icmp.V6_PACKET_TOO_BIG, 0, mtu, src, hopLimit, 0, out, off);
    }

    /** Time exceeded (ICMP 11, ICMPv6 3); code 1 is "fragment reassembly time exceeded" in both. */
    public static int timeExceeded(IpPacket offending, int code, IpAddress src, int ttl, int ipId, byte[] out, int off) {
        int type = offending.isV6() ? Icmp.V6_TIME_EXCEEDED : Icmp.V4_TIME_EXCEEDED;
        return error(offending, type, code, 0, src, ttl, ipId, out, off);
    }

    /**
     * Parameter problem pointing at the offending octet: ICMP type 12 with the pointer in
     * byte 4 (RFC 792), ICMPv6 type 4 with a 32-bit pointer (RFC 4443 §3.4).
     */
    public static int parameterProblem(IpPacket offending, int code, int pointer, IpAddress src, int ttl, int ipId,
                                       byte[] out, int off) {
        return offending.isV6()
                ? error(offending, Icmp.V6_PARAMETER_PROBLEM, code, pointer, src, ttl, 0, out, off)
                : error(offending, Icmp.V4_PARAMETER_PROBLEM, code, (pointer & 0xff) << 24, src, ttl, ipId, out, off);
    }

    /**
     * An error of {@code type, code} about {@code offending}, sent back to its source, with
     * {@code info} as bytes 4-7 and as much of the offending packet (from its IP header) as
     * fits in 576 (ICMP) or 1280 (ICMPv6) bytes. The caller has checked
     * {@link IcmpSendRules#mayAnswerWithError}.
     */
    public static int error(IpPacket offending, int type, int code, int info, IpAddress src, int ttl, int ipId,
                            byte[] out, int off) {
        boolean v6 = offending.isV6();
        int ipLength = v6 ? IpHeaders.IPV6_HEADER_LENGTH : IpHeaders.IPV4_HEADER_LENGTH;
        int quoted = Math.min(offending.packetLength(), quoteRoom(v6));
        int icmpLength = Icmp.HEADER_LENGTH + quoted;
        int tos = v6 ? 0 : offending.tos & V4_TOS_BITS | V4_ERROR_PRECEDENCE;
        IpHeaders.write(out, off, src, offending.src, protocol(src), icmpLength, ttl, tos, false, ipId);
        int at = off + ipLength;
        Bytes.put32(out, at + 4, info);
        System.arraycopy(offending.buf, offending.headerOffset, out, at + Icmp.HEADER_LENGTH, quoted);
        return ipLength + finishIcmp(out, at, type, code, icmpLength, src, offending.src);
    }

    /** How many bytes of the offending packet an error quotes at most. */
    public static int quoteRoom(boolean v6) {
        return v6
                ? V6_MAX_ERROR_PACKET - IpHeaders.IPV6_HEADER_LENGTH - Icmp.HEADER_LENGTH
                : V4_MAX_ERROR_PACKET - IpHeaders.IPV4_HEADER_LENGTH - Icmp.HEADER_LENGTH;
    }

    private static int protocol(IpAddress src) {
        return src.isV4() ? Checksum.PROTO_ICMP : Checksum.PROTO_ICMPV6;
    }

    /** Type, code and checksum of the message at {@code b[at, at+length)} whose bytes 4.. are written; returns its length. */
    private static int finishIcmp(byte[] b, int at, int type, int code, int length, IpAddress src, IpAddress dst) {
        b[at] = (byte) type;
        b[at + 1] = (byte) code;
        Bytes.put16(b, at + 2, 0);
        int seed = src.isV4() ? 0 : Checksum.pseudoHeader(src, dst, Checksum.PROTO_ICMPV6, length);
        Bytes.put16(b, at + 2, Checksum.finish(Checksum.partial(b, at, length, seed)));
        return length;
    }
}
