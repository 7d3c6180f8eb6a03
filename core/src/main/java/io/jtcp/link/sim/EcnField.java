package io.jtcp.link.sim;

import io.jtcp.wire.Checksum;
import io.jtcp.wire.Segment;

/**
 * The ECN field of a raw IP packet (RFC 3168 §5) as a router sees it: the low two bits of
 * the IPv4 TOS byte, or of the IPv6 traffic class (bits 4 and 5 of the second byte).
 * Nothing here throws: a packet too short for its header, or of neither version, has no
 * field and is never marked.
 */
final class EcnField {
    private EcnField() {}

    private static final int IPV4_HEADER = 20, IPV6_HEADER = 40;

    /** The codepoint ({@link Segment#NOT_ECT} .. {@link Segment#CE}), or -1 if the packet has no IP header to hold one. */
    static int codepoint(byte[] p) {
        return switch (version(p)) {
            case 4 -> p[1] & 0x03;
            case 6 -> p[1] >>> 4 & 0x03;
            default -> -1;
        };
    }

    /**
     * Sets CE on an ECT(0) or ECT(1) packet, as a congested router does instead of dropping
     * it (RFC 3168 §5), and returns whether it did; Not-ECT and CE packets are left as they
     * are. The IPv4 header checksum is updated incrementally (RFC 1624 eqn. 3) rather than
     * recomputed, so a header that was already damaged stays detectably damaged. IPv6 has no
     * header checksum, and TCP's pseudo header does not cover either field.
     */
    static boolean markCe(byte[] p) {
        int ecn = codepoint(p);
        if (ecn != Segment.ECT0 && ecn != Segment.ECT1) return false;
        if (version(p) == 6) {
            p[1] |= (byte) (Segment.CE << 4);
            return true;
        }
        int before = u16(p, 0);
        int after = before | Segment.CE;
        int sum = (~u16(p, 10) & 0xffff) + (~before & 0xffff) + after;
        int checksum = ~Checksum.fold(sum) & 0xffff;
        p[1] = (byte) after;
        p[10] = (byte) (checksum >>> 8);
        p[11] = (byte) checksum;
        return true;
    }

    private static int version(byte[] p) {
        if (p.length < IPV4_HEADER) return 0;
        int v = (p[0] & 0xff) >>> 4;
        return v == 4 || v == 6 && p.length >= IPV6_HEADER ? v : 0;
    }

    private static int u16(byte[] p, int i) {
        return (p[i] & 0xff) << 8 | p[i + 1] & 0xff;
    }
}
