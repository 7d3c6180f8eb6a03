package io.jtcp.packetdrill;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Checksum;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw IPv4/TCP and IPv6/TCP bytes for the runner: scripted inbound segments are built with their
 * options in the script's order (jtcp's own encoder would reorder them), and outbound
 * packets are read with their options as a list, since packetdrill compares options
 * one by one in the order sent.
 */
final class WireFormat {
    private WireFormat() {}

    static final String FLAG_ORDER = "FSRP.UEW";

    /** One TCP option as it is on the wire: kind and the bytes after kind and length. */
    record RawOption(int kind, byte[] data) {
        int length() { return kind <= 1 ? 1 : data.length + 2; }
    }

    /**
     * An outbound packet as captured: header fields, raw options, payload length, send time.
     * {@code ipLength} is IPv4's total length, or IPv6's payload length (the fixed header not counted).
     */
    record Captured(long time, boolean ipv6, int tos, int ipLength, int srcPort, int dstPort, int seq, int ack, int flags,
                    int dataOffset, int window, int urgent, List<RawOption> options, int payloadLength) {
        boolean flag(char f) { return (flags & bit(f)) != 0; }
    }

    static int bit(char f) {
        int i = FLAG_ORDER.indexOf(f);
        if (i < 0) throw new IllegalArgumentException("TCP flag " + f);
        return 1 << i;
    }

    static int flagBits(String flags) {
        int bits = 0;
        for (char f : flags.toCharArray()) bits |= bit(f);
        return bits;
    }

    static byte[] encodeOptions(List<RawOption> options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (RawOption o : options) {
            out.write(o.kind());
            if (o.kind() > 1) {
                out.write(o.data().length + 2);
                out.writeBytes(o.data());
            }
        }
        return out.toByteArray();
    }

    /**
     * A complete packet with valid checksums, IPv4 or IPv6 as the addresses are; options
     * padded with EOL to a 4-byte boundary. The TCP checksum covers the family's pseudo
     * header (RFC 9293 §3.1, RFC 8200 §8.1). {@code tos} is IPv4's TOS or IPv6's traffic class.
     */
    static byte[] packet(IpAddress src, IpAddress dst, int srcPort, int dstPort, int seq, int ack, int flags, int window,
                         int urgent, byte[] options, int payloadLength, int tos) {
        int optLen = (options.length + 3) & ~3;
        int tcpLen = 20 + optLen + payloadLength;
        int t = src.isV6() ? 40 : 20;
        byte[] b = new byte[t + tcpLen];
        if (src.isV6()) {
            put32(b, 0, 6 << 28 | (tos & 0xff) << 20);
            put16(b, 4, tcpLen);
            b[6] = Checksum.PROTO_TCP;
            b[7] = 64;
            src.write(b, 8);
            dst.write(b, 24);
        } else {
            b[0] = 0x45;
            b[1] = (byte) tos;
            put16(b, 2, b.length);
            put16(b, 6, 0x4000);
            b[8] = 64;
            b[9] = Checksum.PROTO_TCP;
            put32(b, 12, src.v4());
            put32(b, 16, dst.v4());
            put16(b, 10, Checksum.ipv4Header(b, 0, 20));
        }
        put16(b, t, srcPort);
        put16(b, t + 2, dstPort);
        put32(b, t + 4, seq);
        put32(b, t + 8, ack);
        b[t + 12] = (byte) ((20 + optLen) / 4 << 4);
        b[t + 13] = (byte) flags;
        put16(b, t + 14, window);
        put16(b, t + 18, urgent);
        System.arraycopy(options, 0, b, t + 20, options.length);
        put16(b, t + 16, Checksum.finish(Checksum.partial(b, t, tcpLen,
                Checksum.pseudoHeader(src, dst, Checksum.PROTO_TCP, tcpLen))));
        return b;
    }

    /**
     * Reads a packet jtcp sent: IPv4 without IP options or IPv6 without extension headers,
     * as jtcp's encoder writes TCP segments.
     */
    static Captured read(byte[] b, long time) {
        boolean v6 = (b[0] & 0xF0) == 0x60;
        int t = v6 ? 40 : (b[0] & 0x0F) * 4;
        int ipLength = v6 ? u16(b, 4) : u16(b, 2);
        int tcpLength = v6 ? ipLength : ipLength - t;
        int tos = v6 ? (u16(b, 0) >> 4) & 0xff : u8(b, 1);
        int doff = (u8(b, t + 12) >> 4) * 4;
        List<RawOption> options = new ArrayList<>();
        for (int i = t + 20; i < t + doff; ) {
            int kind = u8(b, i);
            if (kind <= 1) {
                options.add(new RawOption(kind, new byte[0]));
                if (kind == 0) break;
                i++;
                continue;
            }
            int len = Math.max(2, u8(b, i + 1));
            byte[] data = new byte[Math.max(0, Math.min(len, t + doff - i) - 2)];
            System.arraycopy(b, i + 2, data, 0, data.length);
            options.add(new RawOption(kind, data));
            i += len;
        }
        return new Captured(time, v6, tos, ipLength, u16(b, t), u16(b, t + 2), i32(b, t + 4),
                i32(b, t + 8), u8(b, t + 13), doff / 4, u16(b, t + 14), u16(b, t + 18), options,
                tcpLength - doff);
    }

    private static int u8(byte[] b, int i) { return b[i] & 0xff; }

    private static int u16(byte[] b, int i) { return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff); }

    private static int i32(byte[] b, int i) { return u16(b, i) << 16 | u16(b, i + 2); }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void put32(byte[] b, int i, int v) {
        put16(b, i, v >>> 16);
        put16(b, i + 2, v);
    }
}
