package io.jtcp.wire;

/**
 * When a host must not answer a packet with an ICMP or ICMPv6 error: RFC 1122 §3.2.2 and
 * RFC 4443 §2.4 (e), as Linux's icmp_send (__icmp_send) and icmp6_send apply them. The one
 * home of these rules; every error the host sends asks here first.
 *
 * <p>Only IPv4 refuses non-first fragments: icmp6_send has no such rule, and Linux's IPv6
 * reassembly does answer a bad fragment of any offset with a parameter problem.
 * Anycast sources (which icmp6_send also refuses) do not arise: the host has no anycast addresses.
 */
public final class IcmpSendRules {
    private IcmpSendRules() {}

    private static final int V4_LIMITED_BROADCAST = 0xffffffff;

    /**
     * Whether the error {@code type, code} (numbers of the offending packet's family) may be
     * sent about {@code offending}. {@code toBroadcast} says the packet was addressed to a
     * broadcast address of ours or arrived as a link-layer broadcast or multicast (Linux's
     * RTCF_BROADCAST, or pkt_type other than PACKET_HOST), which the packet alone does not
     * tell. {@code pointer} matters only for ICMPv6 parameter problem code 2.
     */
    public static boolean mayAnswerWithError(IpPacket offending, int type, int code, int pointer, boolean toBroadcast) {
        return offending.isV6() ? mayAnswerV6(offending, type, code, pointer, toBroadcast) : mayAnswerV4(offending, toBroadcast);
    }

    private static boolean mayAnswerV4(IpPacket p, boolean toBroadcast) {
        // __icmp_send: no errors about packets to a broadcast or multicast destination.
        if (toBroadcast || p.dst.isMulticast() || p.dst.v4() == V4_LIMITED_BROADCAST) return false;
        // Only about fragment 0, which holds the transport header the receiver needs.
        if (p.fragmentOffset != 0) return false;
        // RFC 1122 §3.2.2: never to a source that names no single host. Linux's input path
        // drops such sources as martians before anything could answer them.
        int s = p.src.v4();
        if (s == 0 || p.src.isMulticast() || s == V4_LIMITED_BROADCAST) return false;
        // Never an error about an error; a type Linux does not know counts as one.
        if (p.protocol == Checksum.PROTO_ICMP) {
            if (p.payloadLength < 1) return false;
            int inner = Bytes.u8(p.buf, p.payloadOffset);
            if (inner > Icmp.V4_LAST_KNOWN_TYPE || Icmp.isError(4, inner)) return false;
        }
        return true;
    }

    private static boolean mayAnswerV6(IpPacket p, int type, int code, int pointer, boolean toBroadcast) {
        // icmp6_send: to a multicast destination only packet too big, and parameter problem
        // code 2 for an option whose type asks for it even then (its top bits 10, RFC 8200 §4.2).
        if (toBroadcast || p.dst.isMulticast()) {
            boolean allowed = type == Icmp.V6_PACKET_TOO_BIG
                    || type == Icmp.V6_PARAMETER_PROBLEM && code == Icmp.V6_UNRECOGNIZED_OPTION
                    && optionAsksForErrorEvenToMulticast(p, pointer);
            if (!allowed) return false;
        }
        // RFC 4443 §2.4 (e.3): the source must identify a single node.
        if (p.src.isAny() || p.src.isMulticast()) return false;
        // is_ineligible: never about an ICMPv6 error, nor about an ICMPv6 message too short to tell.
        if (p.protocol == Checksum.PROTO_ICMPV6) {
            if (p.payloadLength < 1) return false;
            if (Icmp.isError(6, Bytes.u8(p.buf, p.payloadOffset))) return false;
        }
        return true;
    }

    /** Linux's opt_unrec: the option type at {@code pointer} has its two high bits 10. */
    private static boolean optionAsksForErrorEvenToMulticast(IpPacket p, int pointer) {
        int at = p.headerOffset + pointer;
        if (pointer < 0 || at >= p.payloadOffset + p.payloadLength) return false;
        return (p.buf[at] & 0xc0) == 0x80;
    }
}
