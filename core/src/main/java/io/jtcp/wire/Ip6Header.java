package io.jtcp.wire;

/** The IPv6 header (RFC 8200 §3), decoded into an {@link IpPacket} ({@link IpHeaders} writes it). */
public final class Ip6Header {
    private Ip6Header() {}

    public static final int LENGTH = 40;

    /** Decodes the IPv6 packet at {@code buf[off, off+len)}: null on success, else why it must be dropped. */
    public static DropReason decode(byte[] buf, int off, int len, IpPacket into) {
        if (buf == null || off < 0 || len < LENGTH || off > buf.length - len) return DropReason.IP_TRUNCATED;
        if (Bytes.u8(buf, off) >>> 4 != 6) return DropReason.IP_BAD_VERSION;
        int payload = Bytes.u16(buf, off + 4);
        if (LENGTH + payload > len) return DropReason.IP_TRUNCATED;
        into.version = 6;
        into.tos = Bytes.u16(buf, off) >>> 4 & 0xff;
        into.protocol = Bytes.u8(buf, off + 6);
        into.nextHeaderField = 6;
        into.ttl = Bytes.u8(buf, off + 7);
        into.src = IpAddress.read16(into.src, buf, off + 8);
        into.dst = IpAddress.read16(into.dst, buf, off + 24);
        into.buf = buf;
        into.headerOffset = off;
        into.payloadOffset = off + LENGTH;
        into.payloadLength = payload;
        into.dontFragment = true;
        into.clearFragment();
        return null;
    }
}
