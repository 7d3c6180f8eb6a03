package io.jtcp.wire;

import java.io.ByteArrayOutputStream;

/** Builds raw IPv6 packets byte by byte for the decoder's tests: a fixed header, then a chain of headers as given. */
final class Ip6Packets {
    private Ip6Packets() {}

    static final IpAddress SRC = IpAddress.parse("fd00::1"), DST = IpAddress.parse("fd00::2");
    static final int TCP = 6, UDP = 17;

    /** A fixed header naming {@code nextHeader}, with the given addresses, followed by {@code parts} (payload length = their sum). */
    static byte[] packet(int nextHeader, IpAddress src, IpAddress dst, byte[]... parts) {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        for (byte[] p : parts) rest.writeBytes(p);
        byte[] body = rest.toByteArray();
        byte[] out = new byte[Ip6Header.LENGTH + body.length];
        Ip6Header.write(out, 0, 0, 0, body.length, nextHeader, 64, src, dst);
        System.arraycopy(body, 0, out, Ip6Header.LENGTH, body.length);
        return out;
    }

    static byte[] packet(int nextHeader, byte[]... parts) { return packet(nextHeader, SRC, DST, parts); }

    /** A hop-by-hop or destination options header: next header, length, then {@code options} (2 + their count must be a multiple of 8). */
    static byte[] options(int nextHeader, int... options) {
        if ((2 + options.length) % 8 != 0) throw new IllegalArgumentException("options header must be a multiple of 8 bytes");
        byte[] h = new byte[2 + options.length];
        h[0] = (byte) nextHeader;
        h[1] = (byte) ((h.length >> 3) - 1);
        for (int i = 0; i < options.length; i++) h[2 + i] = (byte) options[i];
        return h;
    }

    /** A routing header of {@code type} with one address (fd00::9) and {@code segmentsLeft}. */
    static byte[] routing(int nextHeader, int type, int segmentsLeft) {
        byte[] h = new byte[24];
        h[0] = (byte) nextHeader;
        h[1] = 2;
        h[2] = (byte) type;
        h[3] = (byte) segmentsLeft;
        IpAddress.parse("fd00::9").write(h, 8);
        return h;
    }

    static byte[] fragment(int nextHeader, int offsetBytes, boolean more, int id) {
        byte[] h = new byte[8];
        h[0] = (byte) nextHeader;
        Bytes.put16(h, 2, offsetBytes | (more ? 1 : 0));
        Bytes.put32(h, 4, id);
        return h;
    }

    /** {@code n} bytes counting up from 1: an upper-layer payload whose bytes can be told apart. */
    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i + 1);
        return b;
    }
}
