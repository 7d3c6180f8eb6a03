package io.jtcp.wire;

/**
 * The type-length-value options of an IPv6 hop-by-hop or destination options header
 * (RFC 8200 §4.2), checked as Linux's ip6_parse_tlv does on receive. jtcp keeps none of
 * them; what matters is which ones drop the packet and which ask for a parameter problem.
 */
final class Ip6Options {
    private Ip6Options() {}

    static final int PAD1 = 0, PADN = 1;
    static final int ROUTER_ALERT = 0x05, CALIPSO = 0x07, IOAM = 0x31, JUMBO = 0xc2, HOME_ADDRESS = 0xc9;
    /** RFC 8200 pads a header to a multiple of 8 bytes, so 7 bytes of padding in a row is the most that makes sense (RFC 4942 §2.1.9.5). */
    private static final int MAX_PADDING = 7;
    private static final int MAX_PAYLOAD_LENGTH = 0xffff;

    /**
     * Why the options header at {@code b[at, at+length)} drops the packet, or null. On entry
     * {@code into.payloadLength} is how many bytes follow the IPv6 header; a jumbo payload
     * option (hop-by-hop only, RFC 2675) trims it to the jumbogram's length.
     *
     * @param maxCount the most non-padding options; negative: also drop unknown ones silently
     */
    static DropReason check(boolean hopByHop, byte[] b, int at, int length, int maxCount, IpPacket into) {
        boolean silentOnUnknown = maxCount < 0;
        int limit = Math.abs(maxCount);
        int options = 0, padding = 0;
        int i = at + 2, end = at + length;
        while (i < end) {
            int type = Bytes.u8(b, i);
            if (type == PAD1) {
                if (++padding > MAX_PADDING) return DropReason.IP6_BAD_OPTION;
                i++;
                continue;
            }
            if (end - i < 2) return DropReason.IP6_BAD_OPTION;
            int optionLength = Bytes.u8(b, i + 1) + 2;
            if (optionLength > end - i) return DropReason.IP6_BAD_OPTION;
            if (type == PADN) {
                padding += optionLength;
                if (padding > MAX_PADDING) return DropReason.IP6_BAD_OPTION;
                // RFC 4942 §2.1.9.5: PadN carries zeros; anything else is a covert channel.
                for (int k = i + 2; k < i + optionLength; k++) if (b[k] != 0) return DropReason.IP6_BAD_OPTION;
            } else {
                if (++options > limit) return DropReason.IP6_BAD_OPTION;
                // Mobile IPv6's home address option (ipv6_dest_hao) needs a binding (an xfrm state) a plain host never has.
                DropReason r = hopByHop ? hopByHopOption(type, b, i, into)
                        : type == HOME_ADDRESS ? DropReason.IP6_BAD_OPTION : null;
                if (r == null && !known(hopByHop, type)) r = unknown(type, silentOnUnknown, i, into);
                if (r != null) return r;
                padding = 0;
            }
            i += optionLength;
        }
        return null;
    }

    private static boolean known(boolean hopByHop, int type) {
        return hopByHop ? type == ROUTER_ALERT || type == CALIPSO || type == IOAM || type == JUMBO
                : type == HOME_ADDRESS;
    }

    private static DropReason hopByHopOption(int type, byte[] b, int i, IpPacket into) {
        int optionOffset = i - into.headerOffset;
        switch (type) {
            case ROUTER_ALERT:
                // RFC 2711: a 2-byte value (ipv6_hop_ra); jtcp is no router, so the alert needs nothing more.
                return Bytes.u8(b, i + 1) == 2 ? null : DropReason.IP6_BAD_OPTION;
            case IOAM:
                // ipv6_hop_ioam: must sit at a multiple of 4; with ioam6_enabled=0 (the default) it is skipped.
                return (optionOffset & 3) == 0 ? null : DropReason.IP6_BAD_OPTION;
            case CALIPSO:
                // ipv6_hop_calipso: valid only against a configured CALIPSO DOI, and a host has none by default.
                return DropReason.IP6_BAD_OPTION;
            case JUMBO:
                return jumbo(b, i, optionOffset, into);
            default:
                return null;
        }
    }

    /** RFC 2675, checked as ipv6_hop_jumbo does: 4 bytes at 4n+2, more than 65535, and the header's own length 0. */
    private static DropReason jumbo(byte[] b, int i, int optionOffset, IpPacket into) {
        if (Bytes.u8(b, i + 1) != 4 || (optionOffset & 3) != 2) return DropReason.IP6_BAD_OPTION;
        long jumboLength = Bytes.i32(b, i + 2) & 0xffffffffL;
        if (jumboLength <= MAX_PAYLOAD_LENGTH) {
            return Ip6Header.problem(into, Ip6Header.ERRONEOUS_FIELD, optionOffset + 2, DropReason.IP6_BAD_OPTION);
        }
        if (Bytes.u16(b, into.headerOffset + Ip6Header.PAYLOAD_LENGTH_FIELD) != 0) {
            return Ip6Header.problem(into, Ip6Header.ERRONEOUS_FIELD, optionOffset, DropReason.IP6_BAD_OPTION);
        }
        // Longer than what arrived (or than an earlier jumbo option already trimmed it to).
        if (jumboLength > into.payloadLength) return DropReason.IP6_BAD_OPTION;
        into.payloadLength = (int) jumboLength;
        return null;
    }

    /** ip6_tlvopt_unknown: the option type's top two bits say what to do with an option the receiver does not know (RFC 8200 §4.2). */
    private static DropReason unknown(int type, boolean silent, int i, IpPacket into) {
        if (silent) return DropReason.IP6_UNKNOWN_OPTION;
        switch (type >>> 6) {
            case 0:
                return null;
            case 1:
                return DropReason.IP6_UNKNOWN_OPTION;
            case 3:
                // RFC 8200: no parameter problem to a multicast destination for these.
                if (Ip6Header.isMulticast(into.dst)) return DropReason.IP6_UNKNOWN_OPTION;
                // fall through: to a unicast destination, type 11 is answered as type 10 is
            default:
                return Ip6Header.problem(into, Ip6Header.UNRECOGNIZED_OPTION, i - into.headerOffset, DropReason.IP6_UNKNOWN_OPTION);
        }
    }
}
