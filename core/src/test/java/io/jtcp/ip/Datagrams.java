package io.jtcp.ip;

import io.jtcp.wire.Bytes;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Builds IPv4 and IPv6 datagrams and decodes (fragments of) them into IpPackets, as the stack's IP decoder will. */
final class Datagrams {
    private Datagrams() {}

    static final IpAddress SRC4 = IpAddress.parse("192.0.2.1"), DST4 = IpAddress.parse("192.0.2.2");
    static final IpAddress SRC6 = IpAddress.parse("2001:db8::1"), DST6 = IpAddress.parse("2001:db8::2");

    static byte[] payload(int length, long seed) {
        byte[] p = new byte[length];
        new Random(seed).nextBytes(p);
        return p;
    }

    /** An IPv4 datagram with {@code options} (a multiple of 4 bytes) after the fixed header. */
    static byte[] v4(int id, int protocol, int tos, boolean df, byte[] options, byte[] payload) {
        int headerLength = 20 + options.length;
        byte[] b = new byte[headerLength + payload.length];
        b[0] = (byte) (0x40 | headerLength / 4);
        b[1] = (byte) tos;
        Bytes.put16(b, 2, b.length);
        Bytes.put16(b, 4, id);
        Bytes.put16(b, 6, df ? 0x4000 : 0);
        b[8] = 64;
        b[9] = (byte) protocol;
        SRC4.write(b, 12);
        DST4.write(b, 16);
        System.arraycopy(options, 0, b, 20, options.length);
        Bytes.put16(b, 10, Checksum.ipv4Header(b, 0, headerLength));
        System.arraycopy(payload, 0, b, headerLength, payload.length);
        return b;
    }

    static byte[] v4(int id, byte[] payload) { return v4(id, Checksum.PROTO_UDP, 0, false, new byte[0], payload); }

    /** An IPv6 packet, with a hop-by-hop header (8 bytes of padding options) ahead of the payload if asked. */
    static byte[] v6(int protocol, int trafficClass, boolean hopByHop, byte[] payload) {
        int ext = hopByHop ? 8 : 0;
        byte[] b = new byte[40 + ext + payload.length];
        b[0] = (byte) (0x60 | trafficClass >>> 4);
        b[1] = (byte) (trafficClass << 4);
        Bytes.put16(b, 4, ext + payload.length);
        b[6] = (byte) (hopByHop ? 0 : protocol);
        b[7] = 64;
        SRC6.write(b, 8);
        DST6.write(b, 24);
        if (hopByHop) {
            b[40] = (byte) protocol;
            b[41] = 0;
            b[42] = 1; // PadN, 4 bytes of padding
            b[43] = 4;
        }
        System.arraycopy(payload, 0, b, 40 + ext, payload.length);
        return b;
    }

    static byte[] v6(byte[] payload) { return v6(Checksum.PROTO_UDP, 0, false, payload); }

    /** The fragments {@link Fragmenter} makes, each in its own array. */
    static List<byte[]> fragments(byte[] datagram, int mtu, int id) {
        List<byte[]> out = new ArrayList<>();
        Fragmenter.Sink sink = (buf, off, len) -> out.add(Arrays.copyOfRange(buf, off, off + len));
        if ((datagram[0] & 0xf0) == 0x60) Fragmenter.fragment6(datagram, 0, mtu, id, sink);
        else Fragmenter.fragment4(datagram, 0, mtu, sink);
        return out;
    }

    /** Decodes one packet into a fresh IpPacket: the IPv4 header, or the IPv6 header and extension headers through a fragment header. */
    static IpPacket decode(byte[] b) {
        IpPacket p = new IpPacket();
        p.buf = b;
        p.headerOffset = 0;
        if ((b[0] & 0xf0) == 0x40) {
            int headerLength = (b[0] & 0x0f) * 4;
            int flags = Bytes.u16(b, 6);
            p.version = 4;
            p.tos = b[1] & 0xff;
            p.ttl = b[8] & 0xff;
            p.protocol = b[9] & 0xff;
            p.src = IpAddress.read4(null, b, 12);
            p.dst = IpAddress.read4(null, b, 16);
            p.payloadOffset = headerLength;
            p.payloadLength = Bytes.u16(b, 2) - headerLength;
            p.dontFragment = (flags & 0x4000) != 0;
            p.moreFragments = (flags & 0x2000) != 0;
            p.fragmentOffset = (flags & 0x1fff) * 8;
            p.fragment = p.moreFragments || p.fragmentOffset != 0;
            p.fragmentId = Bytes.u16(b, 4);
            return p;
        }
        p.version = 6;
        p.tos = (b[0] & 0x0f) << 4 | (b[1] & 0xff) >>> 4;
        p.ttl = b[7] & 0xff;
        p.src = IpAddress.read16(null, b, 8);
        p.dst = IpAddress.read16(null, b, 24);
        int end = 40 + Bytes.u16(b, 4);
        int next = b[6] & 0xff, off = 40;
        while (next == 0 || next == 43 || next == 60) {
            next = b[off] & 0xff;
            off += ((b[off + 1] & 0xff) + 1) * 8;
        }
        if (next == 44) {
            int field = Bytes.u16(b, off + 2);
            p.fragment = true;
            p.fragmentOffset = field & 0xfff8;
            p.moreFragments = (field & 1) != 0;
            p.fragmentId = Bytes.i32(b, off + 4);
            next = b[off] & 0xff;
            off += 8;
        }
        p.protocol = next;
        p.payloadOffset = off;
        p.payloadLength = end - off;
        return p;
    }

    /** A hand-made fragment: {@code length} bytes of {@code datagram}'s payload from {@code offset}, with MF as given. */
    static IpPacket fragment4(int id, int protocol, int offset, boolean more, byte[] bytes) {
        byte[] b = v4(id, protocol, 0, false, new byte[0], bytes);
        Bytes.put16(b, 6, offset / 8 | (more ? 0x2000 : 0));
        return decode(b);
    }

    static IpPacket fragment4(int id, int offset, boolean more, byte[] bytes) {
        return fragment4(id, Checksum.PROTO_UDP, offset, more, bytes);
    }

    /** A hand-made IPv6 fragment: the fixed header, a fragment header naming {@code protocol}, then {@code bytes}. */
    static IpPacket fragment6(int id, int protocol, int offset, boolean more, byte[] bytes) {
        byte[] b = new byte[48 + bytes.length];
        b[0] = 0x60;
        Bytes.put16(b, 4, 8 + bytes.length);
        b[6] = 44;
        b[7] = 64;
        SRC6.write(b, 8);
        DST6.write(b, 24);
        b[40] = (byte) protocol;
        Bytes.put16(b, 42, offset | (more ? 1 : 0));
        Bytes.put32(b, 44, id);
        System.arraycopy(bytes, 0, b, 48, bytes.length);
        return decode(b);
    }

    static IpPacket fragment6(int id, int offset, boolean more, byte[] bytes) {
        return fragment6(id, Checksum.PROTO_UDP, offset, more, bytes);
    }

    static byte[] upperBytes(IpPacket p) {
        return Arrays.copyOfRange(p.buf, p.payloadOffset, p.payloadOffset + p.payloadLength);
    }
}
