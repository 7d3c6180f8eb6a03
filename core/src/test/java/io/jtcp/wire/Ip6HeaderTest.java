package io.jtcp.wire;

import org.junit.jupiter.api.Test;

import static io.jtcp.wire.Ip6Packets.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The fixed IPv6 header on receive (ip6_rcv_core's checks) and the header writer. */
class Ip6HeaderTest {
    private final IpPacket p = new IpPacket();

    @Test
    void decodesTheFixedHeaderAndTheUpperLayerSpan() {
        byte[] b = packet(TCP, bytes(20));
        b[0] = 0x6a; // traffic class 0xab across the first two bytes
        b[1] = (byte) 0xb0;
        b[7] = 7;
        assertThat(Ip6Header.decode(b, 0, b.length, p)).isNull();
        assertThat(p.version).isEqualTo(6);
        assertThat(p.tos).isEqualTo(0xab);
        assertThat(p.ttl).isEqualTo(7);
        assertThat(p.src).isEqualTo(SRC);
        assertThat(p.dst).isEqualTo(DST);
        assertThat(p.protocol).isEqualTo(TCP);
        assertThat(p.payloadOffset).isEqualTo(40);
        assertThat(p.payloadLength).isEqualTo(20);
        assertThat(p.nextHeaderPointer).isEqualTo(6);
        assertThat(p.fragment).isFalse();
        assertThat(p.hasProblem()).isFalse();
    }

    @Test
    void decodesAtAnOffsetAndIgnoresLinkPaddingPastThePayloadLength() {
        byte[] inner = packet(UDP, bytes(8));
        byte[] b = new byte[10 + inner.length + 6];
        System.arraycopy(inner, 0, b, 10, inner.length);
        assertThat(Ip6Header.decode(b, 10, inner.length + 6, p)).isNull();
        assertThat(p.headerOffset).isEqualTo(10);
        assertThat(p.payloadOffset).isEqualTo(50);
        assertThat(p.payloadLength).isEqualTo(8);
        assertThat(p.packetLength()).isEqualTo(48);
    }

    @Test
    void reusesTheAddressObjectsOfThePreviousPacket() {
        byte[] b = packet(TCP, bytes(20));
        Ip6Header.decode(b, 0, b.length, p);
        IpAddress src = p.src, dst = p.dst;
        Ip6Header.decode(b.clone(), 0, b.length, p);
        assertThat(p.src).isSameAs(src);
        assertThat(p.dst).isSameAs(dst);
    }

    @Test
    void shortTruncatedAndWrongVersionPacketsAreDropped() {
        byte[] b = packet(TCP, bytes(20));
        assertThat(Ip6Header.decode(b, 0, 39, p)).isEqualTo(DropReason.IP6_SHORT_HEADER);
        assertThat(Ip6Header.decode(b, 0, b.length - 1, p)).isEqualTo(DropReason.IP6_TRUNCATED);
        assertThat(Ip6Header.decode(b, 5, b.length, p)).isEqualTo(DropReason.IP6_SHORT_HEADER);
        b[0] = 0x45;
        assertThat(Ip6Header.decode(b, 0, b.length, p)).isEqualTo(DropReason.IP6_BAD_VERSION);
    }

    @Test
    void sourcesAndDestinationsLinuxRefusesAreDropped() {
        assertThat(decode(packet(TCP, IpAddress.parse("ff02::1"), DST, bytes(20)))).isEqualTo(DropReason.IP6_MULTICAST_SOURCE);
        assertThat(decode(packet(TCP, SRC, IpAddress.parse("ff00::1"), bytes(20)))).isEqualTo(DropReason.IP6_BAD_MULTICAST_SCOPE);
        assertThat(decode(packet(TCP, IpAddress.parse("::ffff:10.0.0.1"), DST, bytes(20)))).isEqualTo(DropReason.IP6_MAPPED_ADDRESS);
        assertThat(decode(packet(TCP, SRC, IpAddress.parse("::ffff:10.0.0.2"), bytes(20)))).isEqualTo(DropReason.IP6_MAPPED_ADDRESS);
        assertThat(decode(packet(TCP, SRC, IpAddress.ANY6, bytes(20)))).isEqualTo(DropReason.IP6_UNSPECIFIED_DESTINATION);
        // An unspecified source is legal (duplicate address detection sends from ::), and so is a link-scope group.
        assertThat(decode(packet(UDP, IpAddress.ANY6, IpAddress.parse("ff02::1:ff00:2"), bytes(8)))).isNull();
    }

    @Test
    void theDeviceChecksAreLeftToTheCallerWithTheirRule() {
        assertThat(decode(packet(TCP, IpAddress.LOOPBACK6, IpAddress.LOOPBACK6, bytes(20)))).isNull();
        assertThat(Ip6Header.checkArrivedFromLink(p)).isEqualTo(DropReason.IP6_LOOPBACK_ON_LINK);
        assertThat(decode(packet(UDP, SRC, IpAddress.parse("ff01::1"), bytes(8)))).isNull();
        assertThat(Ip6Header.checkArrivedFromLink(p)).isEqualTo(DropReason.IP6_BAD_MULTICAST_SCOPE);
        assertThat(decode(packet(UDP, SRC, IpAddress.parse("ff02::1"), bytes(8)))).isNull();
        assertThat(Ip6Header.checkArrivedFromLink(p)).isNull();
    }

    @Test
    void noNextHeaderDeliversNothing() {
        assertThat(decode(packet(Ip6Header.NO_NEXT_HEADER, bytes(8)))).isEqualTo(DropReason.IP6_NO_NEXT_HEADER);
        assertThat(p.hasProblem()).isFalse();
    }

    @Test
    void writeLaysOutEveryField() {
        byte[] b = new byte[44];
        assertThat(Ip6Header.write(b, 4, 0xb8, 0xfedcba, 1234, TCP, 255, SRC, DST)).isEqualTo(40);
        assertThat(Bytes.i32(b, 4)).isEqualTo(0x6b8edcba); // version 6, class 0xb8, the label's low 20 bits
        assertThat(Bytes.u16(b, 8)).isEqualTo(1234);
        assertThat(Bytes.u8(b, 10)).isEqualTo(TCP);
        assertThat(Bytes.u8(b, 11)).isEqualTo(255);
        assertThat(IpAddress.read16(null, b, 12)).isEqualTo(SRC);
        assertThat(IpAddress.read16(null, b, 28)).isEqualTo(DST);
    }

    @Test
    void flowLabelKeepsTwentyBitsOfTheRotatedHash() {
        assertThat(Ip6Header.flowLabel(0)).isZero();
        assertThat(Ip6Header.flowLabel(0x1234_5678)).isEqualTo(0x81234);
        assertThat(Ip6Header.flowLabel(-1)).isEqualTo(0xfffff);
    }

    private DropReason decode(byte[] b) { return Ip6Header.decode(b, 0, b.length, p); }
}
