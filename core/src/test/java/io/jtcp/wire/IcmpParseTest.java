package io.jtcp.wire;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Decoding ICMP errors down to the quoted transport header, and every way hostile input is dropped by name. */
class IcmpParseTest {
    private static final IpAddress A = IpAddress.parse("10.0.0.1"), B = IpAddress.parse("10.0.0.2");
    private static final IpAddress A6 = IpAddress.parse("fd00::1"), B6 = IpAddress.parse("fd00::2");

    private static byte[] hex(String s) { return HexFormat.of().parseHex(s.replace(" ", "")); }

    /** An ICMP(v6) packet from B to A whose message is {@code message} with a correct checksum. */
    private static IpPacket icmp(boolean v6, byte[] message) {
        IpAddress src = v6 ? B6 : B, dst = v6 ? A6 : A;
        int seed = v6 ? Checksum.pseudoHeader(src, dst, Checksum.PROTO_ICMPV6, message.length) : 0;
        Bytes.put16(message, 2, 0);
        Bytes.put16(message, 2, Checksum.finish(Checksum.partial(message, 0, message.length, seed)));
        return IpPackets.carrying(src, dst, v6 ? Checksum.PROTO_ICMPV6 : Checksum.PROTO_ICMP, message);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** The IP header and 8 TCP bytes (ports 40000 -> 80, sequence 0xdeadbeef) of a segment A -> B. */
    private static byte[] quotedTcp(boolean v6, int extraHeaderBytes) {
        IpAddress src = v6 ? A6 : A, dst = v6 ? B6 : B;
        int header = IpHeaders.headerLength(src);
        byte[] q = new byte[header + 8];
        IpHeaders.write(q, 0, src, dst, Checksum.PROTO_TCP, 20 + extraHeaderBytes, 64, 0, true, 5);
        System.arraycopy(hex("9c40 0050 deadbeef"), 0, q, header, 8);
        return q;
    }

    private static DropReason parse(IpPacket p, IcmpMessage m) { return Icmp.parse(p, m); }

    @Test
    void quotedTcpSegmentIsDecodedForRfc5927Checks() {
        for (boolean v6 : new boolean[] {false, true}) {
            byte[] header = v6 ? hex("01 04 0000 00000000") : hex("03 03 0000 00000000");
            IcmpMessage m = new IcmpMessage();
            assertThat(parse(icmp(v6, concat(header, quotedTcp(v6, 0))), m)).isNull();
            assertThat(m.kind).isEqualTo(IcmpMessage.Kind.ERROR);
            assertThat(m.quotedVersion).isEqualTo(v6 ? 6 : 4);
            assertThat(m.quotedSrc).isEqualTo(v6 ? A6 : A);
            assertThat(m.quotedDst).isEqualTo(v6 ? B6 : B);
            assertThat(m.quotedProtocol).isEqualTo(Checksum.PROTO_TCP);
            assertThat(m.quotedSrcPort()).isEqualTo(40000);
            assertThat(m.quotedDstPort()).isEqualTo(80);
            assertThat(m.quotedTcpSequence()).isEqualTo(0xdeadbeef);
        }
    }

    @Test
    void fragmentationNeededCarriesTheNextHopMtuInBytes6And7() {
        IcmpMessage m = new IcmpMessage();
        assertThat(parse(icmp(false, concat(hex("03 04 0000 abcd 0578"), quotedTcp(false, 0))), m)).isNull();
        assertThat(m.mtu).isEqualTo(1400);
        // Another unreachable code carries no MTU even with bytes there.
        assertThat(parse(icmp(false, concat(hex("03 01 0000 abcd 0578"), quotedTcp(false, 0))), m)).isNull();
        assertThat(m.mtu).isZero();
    }

    @Test
    void ipv6QuoteIsWalkedPastExtensionHeaders() {
        byte[] q = quotedTcp(true, 0);
        q[6] = 60; // destination options, 8 bytes, then TCP
        byte[] withOptions = new byte[q.length + 8];
        System.arraycopy(q, 0, withOptions, 0, 40);
        withOptions[40] = (byte) Checksum.PROTO_TCP;
        System.arraycopy(q, 40, withOptions, 48, 8);
        IcmpMessage m = new IcmpMessage();
        assertThat(parse(icmp(true, concat(hex("02 00 0000 000004d0"), withOptions)), m)).isNull();
        assertThat(m.mtu).isEqualTo(1232);
        assertThat(m.quotedProtocol).isEqualTo(Checksum.PROTO_TCP);
        assertThat(m.quotedDstPort()).isEqualTo(80);
    }

    @Test
    void echoRequestKeepsItsDataView() {
        IcmpMessage m = new IcmpMessage();
        assertThat(parse(icmp(true, hex("80 00 0000 0007 0009 010203")), m)).isNull();
        assertThat(m.kind).isEqualTo(IcmpMessage.Kind.ECHO_REQUEST);
        assertThat(m.id).isEqualTo(7);
        assertThat(m.sequence).isEqualTo(9);
        assertThat(m.dataLength).isEqualTo(3);
        assertThat(m.buf[m.dataOffset + 2]).isEqualTo((byte) 3);
    }

    @Test
    void informationalTypesParseWithoutAQuote() {
        IcmpMessage m = new IcmpMessage();
        assertThat(parse(icmp(true, hex("87 00 0000 00000000")), m)).isNull(); // neighbour solicitation
        assertThat(m.kind).isEqualTo(IcmpMessage.Kind.OTHER);
        assertThat(m.type).isEqualTo(135);
    }

    @Test
    void badChecksumIsDropped() {
        for (boolean v6 : new boolean[] {false, true}) {
            IpPacket p = icmp(v6, hex("08 00 0000 0001 0001"));
            p.buf[p.payloadOffset + 7] ^= 1;
            assertThat(parse(p, new IcmpMessage())).isEqualTo(DropReason.ICMP_BAD_CHECKSUM);
        }
    }

    @Test
    void ipv6ChecksumCoversThePseudoHeader() {
        IpPacket p = icmp(true, hex("80 00 0000 0001 0001"));
        p.src = IpAddress.parse("fd00::3"); // as if the source had been rewritten: only the pseudo header catches it
        assertThat(parse(p, new IcmpMessage())).isEqualTo(DropReason.ICMP_BAD_CHECKSUM);
    }

    @Test
    void truncatedMessageIsDropped() {
        IpPacket p = IpPackets.carrying(B, A, Checksum.PROTO_ICMP, hex("0800 f7ff 0000"));
        assertThat(parse(p, new IcmpMessage())).isEqualTo(DropReason.ICMP_TRUNCATED);
    }

    @Test
    void hostileQuotesAreDroppedByName() {
        IcmpMessage m = new IcmpMessage();
        byte[] unreachable = hex("03 03 0000 00000000");
        // Only the IP header, no transport bytes.
        byte[] headerOnly = new byte[20];
        System.arraycopy(quotedTcp(false, 0), 0, headerOnly, 0, 20);
        assertThat(parse(icmp(false, concat(unreachable, headerOnly)), m)).isEqualTo(DropReason.ICMP_QUOTE_TRUNCATED);
        // IHL 15 claims 60 bytes of header, more than the 28 quoted.
        byte[] longIhl = quotedTcp(false, 0);
        longIhl[0] = 0x4f;
        assertThat(parse(icmp(false, concat(unreachable, longIhl)), m)).isEqualTo(DropReason.ICMP_QUOTE_TRUNCATED);
        byte[] shortIhl = quotedTcp(false, 0);
        shortIhl[0] = 0x44;
        assertThat(parse(icmp(false, concat(unreachable, shortIhl)), m)).isEqualTo(DropReason.ICMP_QUOTE_BAD_HEADER_LENGTH);
        // An ICMP error quoting an IPv6 packet, and an ICMPv6 error quoting an IPv4 one.
        assertThat(parse(icmp(false, concat(unreachable, quotedTcp(true, 0))), m)).isEqualTo(DropReason.ICMP_QUOTE_BAD_VERSION);
        byte[] v4InV6 = concat(quotedTcp(false, 0), new byte[40]);
        assertThat(parse(icmp(true, concat(hex("01 04 0000 00000000"), v4InV6)), m)).isEqualTo(DropReason.ICMP_QUOTE_BAD_VERSION);
        assertThat(parse(icmp(false, unreachable.clone()), m)).isEqualTo(DropReason.ICMP_QUOTE_TRUNCATED);
    }

    @Test
    void hostileIpv6QuotesAreDroppedByName() {
        IcmpMessage m = new IcmpMessage();
        byte[] unreachable = hex("01 04 0000 00000000");
        // A hop-by-hop header claiming 2 KB, past the quote.
        byte[] longOptions = quotedTcp(true, 0);
        longOptions[6] = 0;
        longOptions[41] = (byte) 255;
        assertThat(parse(icmp(true, concat(unreachable, longOptions)), m)).isEqualTo(DropReason.ICMP_QUOTE_NO_TRANSPORT);
        // A non-first fragment: no transport header in it.
        byte[] fragment = concat(quotedTcp(true, 0), new byte[8]);
        fragment[6] = 44;
        fragment[40] = (byte) Checksum.PROTO_TCP;
        Bytes.put16(fragment, 42, 1448);
        assertThat(parse(icmp(true, concat(unreachable, fragment)), m)).isEqualTo(DropReason.ICMP_QUOTE_NO_TRANSPORT);
        // The first fragment does have it.
        Bytes.put16(fragment, 42, 1);
        assertThat(parse(icmp(true, concat(unreachable, fragment)), m)).isNull();
        assertThat(m.quotedProtocol).isEqualTo(Checksum.PROTO_TCP);
        // No next header.
        byte[] none = quotedTcp(true, 0);
        none[6] = 59;
        assertThat(parse(icmp(true, concat(unreachable, none)), m)).isEqualTo(DropReason.ICMP_QUOTE_NO_TRANSPORT);
    }

    @Property(tries = 2000)
    void arbitraryErrorBodiesNeverThrow(@ForAll boolean v6, @ForAll @IntRange(min = 0, max = 255) int type,
                                        @ForAll @Size(max = 120) List<Byte> body) {
        byte[] message = new byte[8 + body.size()];
        message[0] = (byte) type;
        for (int i = 0; i < body.size(); i++) message[8 + i] = body.get(i);
        // Make the quote look like an IP packet of the right family often enough to reach the deep checks.
        if (body.size() > 0 && type % 2 == 0) message[8] = (byte) (v6 ? 0x60 : 0x45);
        DropReason r = Icmp.parse(icmp(v6, message), new IcmpMessage());
        assertThat(r == null || r.name().startsWith("ICMP_")).isTrue();
    }
}
