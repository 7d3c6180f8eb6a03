package io.jtcp.link.sim;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;

/**
 * Just enough IPv4/IPv6 and TCP header reading for routing and fault rules, over raw bytes.
 * Packets on a simulated wire may be malformed on purpose, so nothing here throws:
 * a field the packet is too short to hold reads as "absent" (0, or -1 for TCP fields).
 */
public final class RawPacket {
    private RawPacket() {}

    private static final int PROTO_TCP = 6;

    /** The source address (IPv4 bytes 12..15, IPv6 bytes 8..23), or 0.0.0.0 if the packet is too short to hold it. */
    public static IpAddress srcAddr(byte[] p, int off, int len) {
        return IpPacket.peekSource(p, off, len);
    }

    /** The destination address (IPv4 bytes 16..19, IPv6 bytes 24..39), or 0.0.0.0 if the packet is too short to hold it. */
    public static IpAddress dstAddr(byte[] p, int off, int len) {
        return IpPacket.peekDestination(p, off, len);
    }

    /** Offset of the TCP header from {@code off}, or -1 unless this is IPv4 carrying a whole TCP header. */
    public static int tcpOffset(byte[] p, int off, int len) {
        if (len < 20 || (p[off] & 0xf0) != 0x40 || (p[off + 9] & 0xff) != PROTO_TCP) return -1;
        int ihl = (p[off] & 0x0f) * 4;
        return ihl >= 20 && ihl + 20 <= len ? ihl : -1;
    }

    /** The TCP flags byte, or -1 if there is no TCP header. */
    public static int tcpFlags(byte[] p, int off, int len) {
        int t = tcpOffset(p, off, len);
        return t < 0 ? -1 : p[off + t + 13] & 0xff;
    }

    public static int srcPort(byte[] p, int off, int len) {
        int t = tcpOffset(p, off, len);
        return t < 0 ? -1 : uint16(p, off + t);
    }

    public static int dstPort(byte[] p, int off, int len) {
        int t = tcpOffset(p, off, len);
        return t < 0 ? -1 : uint16(p, off + t + 2);
    }

    /**
     * TCP payload octets: the IPv4 total length (capped by the bytes present) less both
     * headers; -1 if there is no TCP header, 0 if the header lengths do not add up.
     */
    public static int tcpPayloadLength(byte[] p, int off, int len) {
        int t = tcpOffset(p, off, len);
        if (t < 0) return -1;
        int total = Math.min(uint16(p, off + 2), len);
        int dataOffset = (p[off + t + 12] >>> 4 & 0x0f) * 4;
        return Math.max(0, total - t - dataOffset);
    }

    private static int int32(byte[] p, int i) {
        return (p[i] & 0xff) << 24 | (p[i + 1] & 0xff) << 16 | (p[i + 2] & 0xff) << 8 | p[i + 3] & 0xff;
    }

    private static int uint16(byte[] p, int i) {
        return (p[i] & 0xff) << 8 | p[i + 1] & 0xff;
    }
}
