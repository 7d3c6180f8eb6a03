package io.jtcp.wire;

import java.nio.charset.StandardCharsets;

/**
 * Test fixture: builds a {@link Segment} so a test reads like a packet trace,
 * e.g. {@code seg().from("10.0.0.1", 49152).to("10.0.0.2", 80).syn().seq(1000).mss(1460)}.
 */
public final class Seg {
    private final Segment s = new Segment();

    private Seg() {}

    public static Seg seg() { return new Seg(); }

    public Seg from(String addr, int port) { s.srcAddr = IpAddress.parse(addr); s.srcPort = port; return this; }
    public Seg to(String addr, int port) { s.dstAddr = IpAddress.parse(addr); s.dstPort = port; return this; }
    public Seg seq(long seq) { s.seq = (int) seq; return this; }
    /** Sets the ACK flag and the acknowledgment number. */
    public Seg ack(long ack) { s.flags |= TcpFlags.ACK; s.ack = (int) ack; return this; }
    public Seg syn() { s.flags |= TcpFlags.SYN; return this; }
    public Seg fin() { s.flags |= TcpFlags.FIN; return this; }
    public Seg rst() { s.flags |= TcpFlags.RST; return this; }
    public Seg psh() { s.flags |= TcpFlags.PSH; return this; }
    public Seg ece() { s.flags |= TcpFlags.ECE; return this; }
    public Seg cwr() { s.flags |= TcpFlags.CWR; return this; }
    /** The IP header's ECN codepoint: {@link Segment#ECT0}, {@link Segment#CE}, ... */
    public Seg ecn(int codepoint) { s.ecn = codepoint; return this; }
    public Seg flags(int flags) { s.flags = flags; return this; }
    public Seg urg(int pointer) { s.flags |= TcpFlags.URG; s.urgent = pointer; return this; }
    public Seg win(int window) { s.window = window; return this; }
    public Seg mss(int mss) { s.mss = mss; return this; }
    public Seg wscale(int shift) { s.windowScale = shift; return this; }
    public Seg sackOk() { s.sackPermitted = true; return this; }
    public Seg ts(long val, long ecr) { s.hasTimestamps = true; s.tsVal = (int) val; s.tsEcr = (int) ecr; return this; }
    public Seg sack(long left, long right) { s.addSack((int) left, (int) right); return this; }
    public Seg fastOpen(byte[] cookie) { s.fastOpen(cookie, false); return this; }
    public Seg payload(byte[] data) { s.payload(data, 0, data.length); return this; }
    public Seg payload(String text) { return payload(text.getBytes(StandardCharsets.US_ASCII)); }

    public Segment build() { return s; }

    /** Encodes to a fresh array of exactly the packet's length. */
    public byte[] encode() { return encode(s); }

    public static byte[] encode(Segment s) {
        byte[] out = new byte[PacketCodec.encodedLength(s)];
        int n = PacketCodec.encode(s, out, 0);
        if (n != out.length) throw new AssertionError("encode wrote " + n + " bytes, encodedLength said " + out.length);
        return out;
    }
}
