package io.jtcp.wire;

/** Test helpers that edit raw packets the way a hostile or broken sender would. */
public final class Packets {
    private Packets() {}

    static final int TCP = PacketCodec.IPV4_HEADER_LENGTH; // offset of the TCP header in our 20-byte-IP packets

    /** Recomputes both checksums after an edit, so the decoder looks past them. Tolerates any bytes. */
    public static void fixChecksums(byte[] p) {
        if (p.length < 20) return;
        int ihl = (p[0] & 0x0f) * 4;
        if (ihl < 20 || ihl > p.length) return;
        Bytes.put16(p, 10, 0);
        Bytes.put16(p, 10, Checksum.ipv4Header(p, 0, ihl));
        int total = Math.min(Bytes.u16(p, 2), p.length);
        int tcpLen = total - ihl;
        if (tcpLen < 20) return;
        Bytes.put16(p, ihl + 16, 0);
        Bytes.put16(p, ihl + 16, Checksum.finish(Checksum.partial(p, ihl, tcpLen,
                Checksum.pseudoHeader(IpAddress.read4(null, p, 12), IpAddress.read4(null, p, 16), Checksum.PROTO_TCP, tcpLen))));
    }

    static void setTotalLength(byte[] p, int total) { Bytes.put16(p, 2, total); }

    /** {@code s} (encoded without options) with {@code options} spliced in as its raw TCP option bytes. */
    public static byte[] withRawTcpOptions(Segment s, byte[] options) {
        Segment bare = s.copy().clearOptions();
        bare.sackCount = 0;
        byte[] plain = Seg.encode(bare);
        return insert(plain, TCP + 20, options, 20 + options.length, TCP + 12, true);
    }

    /** {@code p} with {@code options} inserted as IPv4 options (IHL grows accordingly). */
    public static byte[] withRawIpOptions(byte[] p, byte[] options) {
        return insert(p, 20, options, 20 + options.length, 0, false);
    }

    private static byte[] insert(byte[] p, int at, byte[] extra, int headerLength, int lengthByte, boolean tcp) {
        byte[] out = new byte[p.length + extra.length];
        System.arraycopy(p, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(p, at, out, at + extra.length, p.length - at);
        if (tcp) {
            out[lengthByte] = (byte) (headerLength / 4 << 4);
        } else {
            out[lengthByte] = (byte) (0x40 | headerLength / 4);
        }
        setTotalLength(out, out.length);
        fixChecksums(out);
        return out;
    }
}
