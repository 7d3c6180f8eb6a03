package io.jtcp.tun;

import io.jtcp.wire.Checksum;
import io.jtcp.wire.IpAddress;

/**
 * The one packet a SYN flood repeats: an IPv4 SYN from one (spoofed) address to one
 * listener, with an MSS option as every real client sends, rewritten in place for each
 * send with a new source port, sequence number and IP identification. Both checksums are
 * right, so the packet passes every check a real SYN passes: the flood costs the listener
 * what a real SYN would, the cookie or SYN queue entry included. No objects per packet.
 */
final class FloodSyn {
    static final int IP_LENGTH = 20, TCP_LENGTH = 24, LENGTH = IP_LENGTH + TCP_LENGTH;
    static final int MSS = 1460, WINDOW = 64240;

    final byte[] packet = new byte[LENGTH];
    /** The TCP checksum's partial sum over what never changes: the pseudo header, the destination port, the options. */
    private final int fixedTcpSum;

    FloodSyn(IpAddress src, IpAddress dst, int dstPort) {
        if (!src.isV4() || !dst.isV4()) throw new IllegalArgumentException("an IPv4 flood: " + src + " -> " + dst);
        byte[] p = packet;
        p[0] = 0x45;                        // version 4, 5 words of header
        put16(p, 2, LENGTH);
        put16(p, 6, 0x4000);                // DF, as Linux sets on TCP
        p[8] = 64;                          // TTL
        p[9] = (byte) Checksum.PROTO_TCP;
        put32(p, 12, src.v4());
        put32(p, 16, dst.v4());
        put16(p, IP_LENGTH + 2, dstPort);
        p[IP_LENGTH + 12] = (byte) ((TCP_LENGTH / 4) << 4);
        p[IP_LENGTH + 13] = 0x02;           // SYN
        put16(p, IP_LENGTH + 14, WINDOW);
        p[IP_LENGTH + 20] = 2;              // MSS option (RFC 9293 section 3.2)
        p[IP_LENGTH + 21] = 4;
        put16(p, IP_LENGTH + 22, MSS);
        fixedTcpSum = Checksum.partial(p, IP_LENGTH, TCP_LENGTH, Checksum.pseudoHeader(src, dst, Checksum.PROTO_TCP, TCP_LENGTH));
    }

    /** Rewrites the packet as the SYN from {@code srcPort} with {@code seq}, IP id {@code id}. */
    void next(int srcPort, int seq, int id) {
        byte[] p = packet;
        put16(p, 4, id);
        put16(p, 10, 0);
        put16(p, 10, Checksum.ipv4Header(p, 0, IP_LENGTH));
        put16(p, IP_LENGTH, srcPort);
        put32(p, IP_LENGTH + 4, seq);
        long sum = fixedTcpSum + (srcPort & 0xffff) + (seq >>> 16) + (seq & 0xffff);
        put16(p, IP_LENGTH + 16, ~Checksum.fold(sum) & 0xffff);
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void put32(byte[] b, int off, int v) {
        put16(b, off, v >>> 16);
        put16(b, off + 2, v);
    }
}
