package io.jtcp.wire;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Every builder against bytes computed by hand, then parsed back (which verifies the checksum). */
class IcmpWriterTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final IpAddress A = IpAddress.parse("10.0.0.1"), B = IpAddress.parse("10.0.0.2");
    private static final IpAddress A6 = IpAddress.parse("2001:db8::1"), B6 = IpAddress.parse("2001:db8::2");

    private static String hexOf(byte[] b, int off, int len) { return HEX.formatHex(b, off, off + len); }

    private static byte[] hex(String s) { return HEX.parseHex(s.replace(" ", "")); }

    private static IcmpMessage parse(byte[] b, int len) {
        IpPacket p = IpPackets.of(b, 0, len);
        IcmpMessage m = new IcmpMessage();
        assertThat(Icmp.parse(p, m)).isNull();
        return m;
    }

    @Test
    void ipv4HeaderMatchesHandComputedBytes() {
        byte[] b = new byte[20];
        assertThat(IpHeaders.writeIpv4(b, 0, A, B, Checksum.PROTO_ICMP, 8, 64, 0, false, 0x1234)).isEqualTo(20);
        // Sum of the 16-bit words with the checksum zero is 0xab54; its complement is 0x54ab.
        assertThat(HEX.formatHex(b)).isEqualTo("4500001c123400004001" + "54ab" + "0a0000010a000002");
    }

    @Test
    void ipv4HeaderSetsDontFragmentAndTos() {
        byte[] b = new byte[20];
        IpHeaders.writeIpv4(b, 0, A, B, Checksum.PROTO_TCP, 0, 255, 0x10, true, 0);
        assertThat(hexOf(b, 0, 12)).startsWith("451000140000" + "4000" + "ff06");
        assertThat(Checksum.ipv4Header(b, 0, 20)).isZero();
    }

    @Test
    void ipv6HeaderMatchesHandComputedBytes() {
        byte[] b = new byte[40];
        assertThat(IpHeaders.writeIpv6(b, 0, A6, B6, Checksum.PROTO_TCP, 0x0102, 63, 0xb8, 0x12345)).isEqualTo(40);
        assertThat(HEX.formatHex(b)).isEqualTo("6b812345" + "0102" + "06" + "3f"
                + "20010db8000000000000000000000001" + "20010db8000000000000000000000002");
    }

    @Test
    void echoReplyV4MatchesHandComputedBytes() {
        // Request 10.0.0.2 -> 10.0.0.1, id 0x0102, seq 3, data "ab"; its checksum by hand: ~(0x0800+0x0102+0x0003+0x6162) = 0x9598.
        IpPacket request = IpPackets.carrying(B, A, Checksum.PROTO_ICMP, hex("0800 9598 0102 0003 6162"));
        IcmpMessage echo = new IcmpMessage();
        assertThat(Icmp.parse(request, echo)).isNull();
        assertThat(echo.kind).isEqualTo(IcmpMessage.Kind.ECHO_REQUEST);
        assertThat(echo.id).isEqualTo(0x0102);
        assertThat(echo.sequence).isEqualTo(3);

        byte[] out = new byte[100];
        int n = IcmpWriter.echoReply(request, echo, A, 64, 7, out, 0);
        assertThat(n).isEqualTo(30);
        // IP: total 0x1e, id 7, no DF, TTL 64; checksum ~0x9929 = 0x66d6. ICMP: ~(0x0102+0x0003+0x6162) = 0x9d98.
        assertThat(hexOf(out, 0, n)).isEqualTo("4500001e00070000400166d60a0000010a000002" + "00009d98010200036162");
        IcmpMessage reply = parse(out, n);
        assertThat(reply.kind).isEqualTo(IcmpMessage.Kind.ECHO_REPLY);
        assertThat(reply.id).isEqualTo(0x0102);
    }

    @Test
    void echoReplyV6MatchesHandComputedChecksumOverThePseudoHeader() {
        byte[] request = new byte[50];
        IpHeaders.writeIpv6(request, 0, B6, A6, Checksum.PROTO_ICMPV6, 10, 64, 0x20, 0);
        System.arraycopy(hex("8000 0000 0102 0003 6162"), 0, request, 40, 10);
        Bytes.put16(request, 42, Checksum.finish(Checksum.partial(request, 40, 10,
                Checksum.pseudoHeader(B6, A6, Checksum.PROTO_ICMPV6, 10))));
        IcmpMessage echo = parse(request, 50);

        byte[] out = new byte[100];
        int n = IcmpWriter.echoReply(IpPackets.of(request, 0, 50), echo, A6, 64, 0, out, 0);
        assertThat(n).isEqualTo(50);
        // Pseudo header 2001:db8::1 -> 2001:db8::2, length 10, next header 58 sums to 0x5bb9; the
        // message 8100 0102 0003 6162 to 0xe367; 0x5bb9 + 0xe367 folds to 0x3f21, complement 0xc0de.
        // The traffic class 0x20 of the request is kept.
        assertThat(hexOf(out, 0, 8)).isEqualTo("62000000000a3a40");
        assertThat(hexOf(out, 40, 10)).isEqualTo("8100c0de010200036162");
        assertThat(parse(out, n).kind).isEqualTo(IcmpMessage.Kind.ECHO_REPLY);
    }

    /** A UDP packet 10.0.0.2:0x1234 -> 10.0.0.1:53 with TOS 0x10, no data. */
    private static IpPacket udpV4() {
        return IpPackets.carrying(B, A, Checksum.PROTO_UDP, hex("1234 0035 0008 0000"));
    }

    @Test
    void fragmentationNeededMatchesHandComputedBytes() {
        IpPacket offending = udpV4();
        offending.buf[1] = 0x10; // TOS; the quoted header's checksum is refreshed below
        Bytes.put16(offending.buf, 10, 0);
        Bytes.put16(offending.buf, 10, Checksum.ipv4Header(offending.buf, 0, 20));
        offending.tos = 0x10;
        byte[] out = new byte[600];
        int n = IcmpWriter.fragmentationNeeded(offending, 1500, A, 64, 9, out, 0);
        assertThat(n).isEqualTo(20 + 8 + 28);
        // The quoted header sums to 0xffff, which adds nothing; 0x0304 + 0x05dc + 0x1271 (UDP) = 0x1b51, complement 0xe4ae.
        assertThat(hexOf(out, 20, 8)).isEqualTo("0304e4ae000005dc");
        assertThat(Arrays.equals(out, 28, 56, offending.buf, 0, 28)).isTrue();
        // icmp_send: TOS bits kept, precedence internetwork control; no DF.
        assertThat(out[1] & 0xff).isEqualTo(0xd0);
        assertThat(Bytes.u16(out, 6)).isZero();
        IcmpMessage m = parse(out, n);
        assertThat(m.kind).isEqualTo(IcmpMessage.Kind.ERROR);
        assertThat(m.mtu).isEqualTo(1500);
        assertThat(m.quotedSrc).isEqualTo(B);
        assertThat(m.quotedDst).isEqualTo(A);
        assertThat(m.quotedProtocol).isEqualTo(Checksum.PROTO_UDP);
        assertThat(m.quotedSrcPort()).isEqualTo(0x1234);
        assertThat(m.quotedDstPort()).isEqualTo(53);
    }

    @Test
    void ipv4ErrorQuotesAsMuchAsFitsIn576Bytes() {
        byte[] payload = new byte[1480];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) i;
        IpPacket offending = IpPackets.carrying(B, A, Checksum.PROTO_TCP, payload);
        byte[] out = new byte[1500];
        int n = IcmpWriter.destinationUnreachable(offending, Icmp.V4_ADMIN_PROHIBITED, A, 64, 1, out, 0);
        assertThat(n).isEqualTo(576);
        assertThat(Bytes.u16(out, 2)).isEqualTo(576);
        assertThat(Arrays.equals(out, 28, 576, offending.buf, 0, 548)).isTrue();
        IcmpMessage m = parse(out, n);
        assertThat(m.type).isEqualTo(3);
        assertThat(m.code).isEqualTo(13);
        assertThat(m.dataLength).isEqualTo(548);
    }

    @Test
    void ipv6ErrorQuotesAsMuchAsFitsInTheMinimumMtu() {
        IpPacket offending = IpPackets.carrying(B6, A6, Checksum.PROTO_TCP, new byte[1400]);
        byte[] out = new byte[1500];
        int n = IcmpWriter.packetTooBig(offending, 1280, A6, 64, out, 0);
        assertThat(n).isEqualTo(1280);
        assertThat(Bytes.u16(out, 4)).isEqualTo(1240);
        assertThat(hexOf(out, 40, 2)).isEqualTo("0200");
        assertThat(Bytes.i32(out, 44)).isEqualTo(1280);
        assertThat(Arrays.equals(out, 48, 1280, offending.buf, 0, 1232)).isTrue();
        IcmpMessage m = parse(out, n);
        assertThat(m.mtu).isEqualTo(1280);
        assertThat(m.quotedVersion).isEqualTo(6);
        assertThat(m.quotedSrc).isEqualTo(B6);
    }

    @Test
    void shortOffendingPacketsAreQuotedWhole() {
        IpPacket offending = IpPackets.carrying(B6, A6, Checksum.PROTO_UDP, hex("1234 0035 0008 0000"));
        byte[] out = new byte[1500];
        int n = IcmpWriter.portUnreachable(offending, A6, 64, 0, out, 0);
        assertThat(n).isEqualTo(40 + 8 + 48);
        IcmpMessage m = parse(out, n);
        assertThat(m.type).isEqualTo(Icmp.V6_DEST_UNREACHABLE);
        assertThat(m.code).isEqualTo(Icmp.V6_PORT_UNREACHABLE);
        assertThat(m.quotedDstPort()).isEqualTo(53);
    }

    @Test
    void eachFamilyGetsItsOwnNumbers() {
        byte[] out = new byte[1500];
        IpPacket v4 = udpV4();
        IpPacket v6 = IpPackets.carrying(B6, A6, Checksum.PROTO_UDP, hex("1234 0035 0008 0000"));

        assertThat(typeAndCode(out, IcmpWriter.portUnreachable(v4, A, 64, 0, out, 0))).containsExactly(3, 3);
        assertThat(typeAndCode(out, IcmpWriter.destinationUnreachable(v4, Icmp.V4_HOST_UNREACHABLE, A, 64, 0, out, 0))).containsExactly(3, 1);
        assertThat(typeAndCode(out, IcmpWriter.destinationUnreachable(v4, Icmp.V4_PROTOCOL_UNREACHABLE, A, 64, 0, out, 0))).containsExactly(3, 2);
        assertThat(typeAndCode(out, IcmpWriter.timeExceeded(v4, Icmp.V4_REASSEMBLY_TIME_EXCEEDED, A, 64, 0, out, 0))).containsExactly(11, 1);
        assertThat(typeAndCode(out, IcmpWriter.timeExceeded(v6, Icmp.V6_REASSEMBLY_TIME_EXCEEDED, A6, 64, 0, out, 0))).containsExactly(3, 1);
        assertThat(typeAndCode(out, IcmpWriter.destinationUnreachable(v6, Icmp.V6_NO_ROUTE, A6, 64, 0, out, 0))).containsExactly(1, 0);
        assertThat(typeAndCode(out, IcmpWriter.destinationUnreachable(v6, Icmp.V6_ADMIN_PROHIBITED, A6, 64, 0, out, 0))).containsExactly(1, 1);
        assertThat(typeAndCode(out, IcmpWriter.destinationUnreachable(v6, Icmp.V6_ADDRESS_UNREACHABLE, A6, 64, 0, out, 0))).containsExactly(1, 3);
    }

    private static int[] typeAndCode(byte[] out, int n) {
        IcmpMessage m = parse(out, n);
        assertThat(m.kind).isEqualTo(IcmpMessage.Kind.ERROR);
        return new int[] {m.type, m.code};
    }

    @Test
    void parameterProblemCarriesItsPointer() {
        byte[] out = new byte[1500];
        IpPacket v6 = IpPackets.carrying(B6, A6, Checksum.PROTO_UDP, hex("1234 0035 0008 0000"));
        for (int code = 0; code <= 2; code++) {
            int n = IcmpWriter.parameterProblem(v6, code, 40 + 2, A6, 64, 0, out, 0);
            assertThat(hexOf(out, 40, 8)).startsWith("040" + code).endsWith("0000002a");
            IcmpMessage m = parse(out, n);
            assertThat(m.code).isEqualTo(code);
            assertThat(m.pointer).isEqualTo(42);
        }
        int n = IcmpWriter.parameterProblem(udpV4(), 0, 9, A, 64, 0, out, 0);
        assertThat(hexOf(out, 20, 8)).startsWith("0c00").endsWith("09000000");
        assertThat(parse(out, n).pointer).isEqualTo(9);
    }

    @Test
    void ttlAndSourceComeFromTheCaller() {
        byte[] out = new byte[1500];
        int n = IcmpWriter.portUnreachable(udpV4(), A, 33, 0, out, 0);
        IpPacket sent = IpPackets.of(out, 0, n);
        assertThat(sent.ttl).isEqualTo(33);
        assertThat(sent.src).isEqualTo(A);
        assertThat(sent.dst).isEqualTo(B);
        assertThat(Checksum.ipv4Header(out, 0, 20)).isZero();
    }
}
