package io.jtcp.wire;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static io.jtcp.wire.Seg.seg;
import static io.jtcp.wire.SegmentAssert.assertSameSegment;
import static org.assertj.core.api.Assertions.assertThat;

/** encode then decode gives the segment back; options are laid out as Linux lays them out. */
class RoundTripTest {
    private static final HexFormat HEX = HexFormat.of();

    @Provide
    Arbitrary<Segment> segments() { return SegmentArbitraries.segments(); }

    @Property(tries = 500)
    void anyValidSegmentSurvivesEncodeThenDecode(@ForAll("segments") Segment original) {
        byte[] p = new byte[PacketCodec.encodedLength(original) + 8];
        int n = PacketCodec.encode(original, p, 3);
        assertThat(n).isEqualTo(PacketCodec.encodedLength(original));

        Segment decoded = new Segment();
        assertThat(PacketCodec.decode(p, 3, n, decoded)).isNull();

        Segment expected = original.copy();
        expected.sackCount = OptionLayout.sackBlocksThatFit(original); // blocks beyond 40 bytes are not sent
        assertSameSegment(decoded, expected);
        int dataOffset = (p[3 + 20 + 12] & 0xff) >>> 4;
        assertThat(dataOffset * 4).isEqualTo(20 + OptionLayout.length(original)).isLessThanOrEqualTo(60);
    }

    @Test
    void theEcnCodepointTravelsInTheTosByteAndTheTrafficClass() {
        byte[] v4 = seg().from("10.0.0.1", 1).to("10.0.0.2", 2).seq(1).ecn(Segment.CE).encode();
        assertThat(v4[1] & 0xff).isEqualTo(Segment.CE);
        Segment d4 = new Segment();
        assertThat(PacketCodec.decode(v4, 0, v4.length, d4)).isNull();
        assertThat(d4.ecn).isEqualTo(Segment.CE);
        byte[] v6 = seg().from("2001:db8::1", 1).to("2001:db8::2", 2).seq(1).ecn(Segment.ECT0).encode();
        assertThat((v6[1] & 0xff) >>> 4).as("low nibble of the traffic class").isEqualTo(Segment.ECT0);
        Segment d6 = new Segment();
        assertThat(PacketCodec.decode(v6, 0, v6.length, d6)).isNull();
        assertThat(d6.ecn).isEqualTo(Segment.ECT0);
    }

    @Test
    void synWithoutTimestampsPutsSackPermittedAfterTwoNops() {
        byte[] p = seg().from("10.0.0.1", 1).to("10.0.0.2", 2).syn().seq(1).mss(1460).sackOk().wscale(7).encode();
        assertThat(HEX.formatHex(p, 40, p.length)).isEqualTo("020405b4" + "01010402" + "01030307");
    }

    @Test
    void synWithTimestampsButNoSackAlignsThemWithTwoNops() {
        byte[] p = seg().from("10.0.0.1", 1).to("10.0.0.2", 2).syn().seq(1).mss(1460).ts(7, 0).encode();
        assertThat(HEX.formatHex(p, 40, p.length)).isEqualTo("020405b4" + "0101080a" + "00000007" + "00000000");
    }

    @Test
    void dataSegmentCarriesTimestampsThenSackBlocks() {
        byte[] p = seg().from("10.0.0.1", 1).to("10.0.0.2", 2).seq(1).ack(1).ts(9, 8).sack(100, 200).encode();
        assertThat(HEX.formatHex(p, 40, p.length))
                .isEqualTo("0101080a" + "00000009" + "00000008" + "0101050a" + "00000064" + "000000c8");
    }

    @Test
    void withTimestampsOnlyThreeSackBlocksFitInFortyBytesLikeLinux() {
        Segment s = seg().from("10.0.0.1", 1).to("10.0.0.2", 2).seq(1).ack(1).ts(9, 8)
                .sack(10, 20).sack(30, 40).sack(50, 60).sack(70, 80).build();
        assertThat(OptionLayout.sackBlocksThatFit(s)).isEqualTo(3);
        assertThat(OptionLayout.length(s)).isEqualTo(40);
        s.hasTimestamps = false;
        assertThat(OptionLayout.sackBlocksThatFit(s)).isEqualTo(4);
        assertThat(OptionLayout.length(s)).isEqualTo(36);
    }

    @Test
    void aSegmentWithoutOptionsHasAFixed20ByteHeader() {
        Segment s = seg().from("10.0.0.1", 1).to("10.0.0.2", 2).rst().seq(5).build();
        assertThat(OptionLayout.length(s)).isZero();
        assertThat(PacketCodec.encodedLength(s)).isEqualTo(40);
    }

    @Test
    void ecnAndUrgentBitsAndThePointerGoOnTheWire() {
        byte[] p = seg().from("10.0.0.1", 1).to("10.0.0.2", 2).seq(1).ack(1).urg(3)
                .flags(TcpFlags.ACK | TcpFlags.URG | TcpFlags.ECE | TcpFlags.CWR).payload("abc").encode();
        assertThat(p[20 + 13] & 0xff).isEqualTo(0xf0);
        assertThat(HEX.formatHex(p, 20 + 18, 20 + 20)).isEqualTo("0003");
    }
}
