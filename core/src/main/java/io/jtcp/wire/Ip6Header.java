package io.jtcp.wire;

/** The IPv6 header (RFC 8200 §3): decoded into an {@link IpPacket}, and written for every packet sent over IPv6. */
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

    /** Writes a 40-byte IPv6 header for {@code payloadLength} bytes of {@code nextHeader}; returns {@link #LENGTH}. */
    public static int write(byte[] out, int off, IpAddress src, IpAddress dst, int nextHeader, int payloadLength,
                            int hopLimit, int trafficClass) {
        Bytes.put32(out, off, 6 << 28 | (trafficClass & 0xff) << 20);
        Bytes.put16(out, off + 4, payloadLength);
        out[off + 6] = (byte) nextHeader;
        out[off + 7] = (byte) hopLimit;
        src.write(out, off + 8);
        dst.write(out, off + 24);
        return LENGTH;
    }
}
