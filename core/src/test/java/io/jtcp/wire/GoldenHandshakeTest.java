package io.jtcp.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static io.jtcp.wire.Seg.seg;
import static io.jtcp.wire.SegmentAssert.assertSameSegment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three-way handshake of a real Linux loopback capture (seed 001), rebuilt
 * segment by segment: encoded bytes must match Linux's layout exactly, and
 * decoding must give every field back.
 *
 * <pre>
 * IP localhost.48383 &gt; localhost.12000: Flags [S], seq 439289121, win 65495, options [mss 65495,sackOK,TS val 4017863386 ecr 0,nop,wscale 7], length 0
 * IP localhost.12000 &gt; localhost.48383: Flags [S.], seq 3569639229, ack 439289122, win 65483, options [mss 65495,sackOK,TS val 4017863386 ecr 4017863386,nop,wscale 7], length 0
 * IP localhost.48383 &gt; localhost.12000: Flags [.], ack 1, win 512, options [nop,nop,TS val 4017863386 ecr 4017863386], length 0
 * </pre>
 *
 * The expected checksums were computed independently (Linux leaves them
 * partial on loopback, so the capture itself cannot supply them).
 */
class GoldenHandshakeTest {
    private static final HexFormat HEX = HexFormat.of();
    static final long TS = 4017863386L;

    static Segment syn() {
        return seg().from("127.0.0.1", 48383).to("127.0.0.1", 12000).syn().seq(439289121L).win(65495)
                .mss(65495).sackOk().ts(TS, 0).wscale(7).build();
    }

    static Segment synAck() {
        return seg().from("127.0.0.1", 12000).to("127.0.0.1", 48383).syn().seq(3569639229L).ack(439289122L).win(65483)
                .mss(65495).sackOk().ts(TS, TS).wscale(7).build();
    }

    static Segment ack() {
        return seg().from("127.0.0.1", 48383).to("127.0.0.1", 12000).seq(439289122L).ack(3569639230L).win(512)
                .ts(TS, TS).build();
    }

    @Test
    void synCarriesLinuxOptionOrderInA40ByteHeader() {
        byte[] p = Seg.encode(syn());
        assertThat(HEX.formatHex(p, 0, 20)).as("IPv4: v4 IHL5, len 60, id 0, DF, TTL 64, TCP")
                .isEqualTo("4500003c0000400040063cba7f0000017f000001");
        assertThat(HEX.formatHex(p, 20, 40)).as("ports, seq, ack 0, doff 10, flags S, win, cksum, urg")
                .isEqualTo("bcff2ee0" + "1a2f0521" + "00000000" + "a002" + "ffd7" + "9a7b" + "0000");
        assertThat(HEX.formatHex(p, 40, 60)).as("mss 65495, sackOK, TS, nop, wscale 7")
                .isEqualTo("0204ffd7" + "0402" + "080a" + "ef7bbada" + "00000000" + "01" + "030307");
    }

    @Test
    void synAckMirrorsTheSynOptionsAndAcknowledgesItsSequenceNumber() {
        assertThat(HEX.formatHex(Seg.encode(synAck()))).isEqualTo(
                "4500003c0000400040063cba7f0000017f000001"
                + "2ee0bcff" + "d4c45f3d" + "1a2f0522" + "a012" + "ffcb" + "bc1d" + "0000"
                + "0204ffd7" + "0402080a" + "ef7bbada" + "ef7bbada" + "01030307");
    }

    @Test
    void finalAckAlignsTimestampsWithTwoNopsInA32ByteHeader() {
        assertThat(HEX.formatHex(Seg.encode(ack()))).isEqualTo(
                "450000340000400040063cc27f0000017f000001"
                + "bcff2ee0" + "1a2f0522" + "d4c45f3e" + "8010" + "0200" + "e2d9" + "0000"
                + "0101080a" + "ef7bbada" + "ef7bbada");
    }

    @Test
    void eachHandshakeSegmentDecodesBackToItself() {
        for (Segment original : new Segment[] {syn(), synAck(), ack()}) {
            byte[] p = Seg.encode(original);
            Segment decoded = new Segment();
            assertThat(PacketCodec.decode(p, 0, p.length, decoded)).as(original.toString()).isNull();
            assertSameSegment(decoded, original);
            assertThat(decoded.payload).as("zero-copy view").isSameAs(p);
        }
    }
}
