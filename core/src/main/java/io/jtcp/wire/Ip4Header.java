package io.jtcp.wire;

/**
 * The IPv4 header (RFC 791 §3.1), decoded into an {@link IpPacket} as Linux's ip_rcv_core
 * checks it ({@link IpHeaders} writes it).
 */
public final class Ip4Header {
    private Ip4Header() {}

    public static final int LENGTH = 20;
    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int FRAGMENT_OFFSET = 0x1fff;

    /**
     * Decodes the IPv4 packet at {@code buf[off, off+len)}: null on success, else why it must be
     * dropped. The total length bounds the packet (bytes past it are link padding); options are
     * checked ({@link Ip4Options}) and skipped. Never throws, whatever the bytes.
     */
    public static DropReason decode(byte[] buf, int off, int len, IpPacket into) {
        if (buf == null || off < 0 || len < LENGTH || off > buf.length - len) return DropReason.IP_TRUNCATED;
        int b0 = Bytes.u8(buf, off);
        if (b0 >>> 4 != 4) return DropReason.IP_BAD_VERSION;
        int ihl = (b0 & 0x0f) * 4;
        if (ihl < LENGTH || ihl > len) return DropReason.IP_BAD_HEADER_LENGTH;
        int total = Bytes.u16(buf, off + 2);
        if (total > len) return DropReason.IP_TRUNCATED;
        if (total < ihl) return DropReason.IP_BAD_HEADER_LENGTH;
        if (Checksum.partial(buf, off, ihl, 0) != 0xffff) return DropReason.IP_BAD_CHECKSUM;
        if (ihl > LENGTH) {
            DropReason options = Ip4Options.check(buf, off + LENGTH, off + ihl);
            if (options != null) return options;
        }
        int fragmentField = Bytes.u16(buf, off + 6);
        into.version = 4;
        into.tos = Bytes.u8(buf, off + 1);
        into.ttl = Bytes.u8(buf, off + 8);
        into.protocol = Bytes.u8(buf, off + 9);
        into.nextHeaderPointer = 9;
        into.src = IpAddress.read4(into.src, buf, off + 12);
        into.dst = IpAddress.read4(into.dst, buf, off + 16);
        into.buf = buf;
        into.headerOffset = off;
        into.payloadOffset = off + ihl;
        into.payloadLength = total - ihl;
        into.dontFragment = (fragmentField & FLAG_DF) != 0;
        into.moreFragments = (fragmentField & FLAG_MF) != 0;
        into.fragmentOffset = (fragmentField & FRAGMENT_OFFSET) * 8;
        into.fragment = into.moreFragments || into.fragmentOffset != 0;
        into.fragmentId = Bytes.u16(buf, off + 4);
        return null;
    }
}
