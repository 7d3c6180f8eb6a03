package io.jtcp.wire;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

import static io.jtcp.wire.Packets.withRawTcpOptions;
import static io.jtcp.wire.Seg.seg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed TCP options never cost the segment (Linux's tcp_parse_options): the walk
 * stops at a length below 2 or running past the header, keeping what it read; an
 * option of the wrong length for its kind is skipped as if absent.
 */
class DecodeMalformedOptionsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static Segment syn() {
        return seg().from("10.0.0.1", 49152).to("10.0.0.2", 80).syn().seq(1000).win(64240).build();
    }

    /** Decodes {@link #syn()} carrying {@code options} as raw bytes; the decode must succeed. */
    private static Segment decodeWith(String options) {
        byte[] p = withRawTcpOptions(syn(), HEX.parseHex(options));
        Segment s = new Segment();
        assertThat(PacketCodec.decode(p, 0, p.length, s)).as(options).isNull();
        return s;
    }

    @Test
    void mssOfLength0Or1EndsTheWalkButTheSegmentStands() {
        for (String mss : new String[] {"0200", "0201"}) {
            Segment s = decodeWith("01030307" + mss + "0101" + "01010402"); // wscale 7, the bad MSS, SACK-permitted
            assertThat(s.windowScale).as("read before the bad option").isEqualTo(7);
            assertThat(s.mss).isEqualTo(-1);
            assertThat(s.sackPermitted).as("after the bad option: not read").isFalse();
        }
    }

    @Test
    void mssOfLength3IsSkippedAndTheWalkGoesOn() {
        Segment s = decodeWith("0203ff" + "01" + "0402" + "0101");
        assertThat(s.mss).isEqualTo(-1);
        assertThat(s.sackPermitted).isTrue();
    }

    @Test
    void mssOfLength5IsSkipped() {
        Segment s = decodeWith("020505b4ff" + "030308");
        assertThat(s.mss).isEqualTo(-1);
        assertThat(s.windowScale).isEqualTo(8);
    }

    @Test
    void mssOfZeroIsIgnored() {
        assertThat(decodeWith("02040000").mss).isEqualTo(-1);
    }

    @Test
    void windowScaleOfLength2IsSkipped() {
        Segment s = decodeWith("0302" + "0101" + "020405b4");
        assertThat(s.windowScale).isEqualTo(-1);
        assertThat(s.mss).isEqualTo(1460);
    }

    @Test
    void windowScaleAbove14IsClampedTo14() {
        assertThat(decodeWith("01030315").windowScale).isEqualTo(14);
        assertThat(decodeWith("010303ff").windowScale).isEqualTo(14);
    }

    @Test
    void anOptionRunningPastTheHeaderEndsTheWalk() {
        Segment s = decodeWith("020405b4" + "1e0a0000");
        assertThat(s.mss).isEqualTo(1460);
        Segment t = decodeWith("020405b4" + "0101" + "080a" + "0000");
        assertThat(t.mss).isEqualTo(1460);
        assertThat(t.hasTimestamps).isFalse();
    }

    @Test
    void aKindInTheLastByteWithNoRoomForItsLengthEndsTheWalk() {
        Segment s = decodeWith("020405b4" + "010101" + "02");
        assertThat(s.mss).isEqualTo(1460);
    }

    @Test
    void wrongLengthsForTheirKindAreSkipped() {
        Segment s = decodeWith("010101" + "040300" + "0808" + "000000000000" + "0101" + "020405b4");
        assertThat(s.sackPermitted).as("SACK-permitted of length 3").isFalse();
        assertThat(s.hasTimestamps).as("timestamps of length 8").isFalse();
        assertThat(s.mss).as("read after both").isEqualTo(1460);
    }

    @Test
    void malformedSackBlocksAreSkipped() {
        Segment empty = decodeWith("01010502");
        assertThat(empty.sackCount).as("SACK with no blocks").isZero();
        Segment odd = decodeWith("0101050b" + "0000000100000002ff" + "010101" + "01010402");
        assertThat(odd.sackCount).as("SACK length not 2 + 8n").isZero();
        assertThat(odd.sackPermitted).isTrue();
        Segment good = decodeWith("0101050a" + "0000000100000002");
        assertThat(good.sackCount).isEqualTo(1);
        assertThat(good.sackRight(0)).isEqualTo(2);
    }
}
