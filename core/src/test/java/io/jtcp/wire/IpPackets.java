package io.jtcp.wire;

/**
 * Test helper: fills an {@link IpPacket} from a packet written with {@link IpHeaders}, the
 * way the IP layer's decoder will (the decoder itself is the integrator's). IPv6 packets here
 * carry no extension headers.
 */
final class IpPackets {
    private IpPackets() {}

    static IpPacket of(byte[] b, int off, int len) {
        IpPacket p = new IpPacket();
        p.buf = b;
        p.headerOffset = off;
        p.version = (b[off] & 0xff) >>> 4;
        if (p.version == 4) {
            int ihl = (b[off] & 0xf) * 4;
            p.tos = Bytes.u8(b, off + 1);
            int flags = Bytes.u16(b, off + 6);
            p.dontFragment = (flags & 0x4000) != 0;
            p.moreFragments = (flags & 0x2000) != 0;
            p.fragmentOffset = (flags & 0x1fff) * 8;
            p.fragment = p.moreFragments || p.fragmentOffset != 0;
            p.ttl = Bytes.u8(b, off + 8);
            p.protocol = Bytes.u8(b, off + 9);
            p.src = IpAddress.read4(null, b, off + 12);
            p.dst = IpAddress.read4(null, b, off + 16);
            p.payloadOffset = off + ihl;
            p.payloadLength = Bytes.u16(b, off + 2) - ihl;
        } else {
            p.tos = Bytes.u16(b, off) >>> 4 & 0xff;
            p.payloadLength = Bytes.u16(b, off + 4);
            p.protocol = Bytes.u8(b, off + 6);
            p.ttl = Bytes.u8(b, off + 7);
            p.src = IpAddress.read16(null, b, off + 8);
            p.dst = IpAddress.read16(null, b, off + 24);
            p.payloadOffset = off + 40;
        }
        if (p.payloadOffset + p.payloadLength > off + len) throw new IllegalArgumentException("packet longer than its bytes");
        return p;
    }

    /** A packet of {@code src}'s family carrying {@code payload} as protocol {@code protocol}. */
    static IpPacket carrying(IpAddress src, IpAddress dst, int protocol, byte[] payload) {
        int header = IpHeaders.headerLength(src);
        byte[] b = new byte[header + payload.length];
        IpHeaders.write(b, 0, src, dst, protocol, payload.length, 64, 0, true, 1);
        System.arraycopy(payload, 0, b, header, payload.length);
        return of(b, 0, b.length);
    }
}
