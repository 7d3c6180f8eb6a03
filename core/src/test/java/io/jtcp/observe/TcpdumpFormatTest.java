package io.jtcp.observe;

import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Seg;
import io.jtcp.wire.Segment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.jtcp.wire.Seg.seg;
import static org.assertj.core.api.Assertions.assertThat;

/** Lines must match what {@code tcpdump -n -tt} prints, relative sequence numbers included. */
class TcpdumpFormatTest {
    private static final long TS = 4017863386L;
    private static final long MS = 1_000_000L;

    private TcpdumpFormat tcpdump;

    @BeforeEach
    void freshTrace() {
        tcpdump = new TcpdumpFormat();
    }

    /** Formats the segment after a trip through the wire, so the line shows what the encoder sent. */
    private String line(long nanos, Seg seg) {
        byte[] p = seg.encode();
        Segment decoded = new Segment();
        assertThat(PacketCodec.decode(p, 0, p.length, decoded)).isNull();
        return tcpdump.format(nanos, decoded);
    }

    @Test
    void linuxLoopbackHandshakeFromSeed001() {
        assertThat(line(0, seg().from("127.0.0.1", 48383).to("127.0.0.1", 12000).syn().seq(439289121L).win(65495)
                .mss(65495).sackOk().ts(TS, 0).wscale(7)))
                .isEqualTo("0.000000 IP 127.0.0.1.48383 > 127.0.0.1.12000: Flags [S], seq 439289121, win 65495, "
                        + "options [mss 65495,sackOK,TS val 4017863386 ecr 0,nop,wscale 7], length 0");
        assertThat(line(12_000, seg().from("127.0.0.1", 12000).to("127.0.0.1", 48383).syn().seq(3569639229L)
                .ack(439289122L).win(65483).mss(65495).sackOk().ts(TS, TS).wscale(7)))
                .isEqualTo("0.000012 IP 127.0.0.1.12000 > 127.0.0.1.48383: Flags [S.], seq 3569639229, ack 439289122, "
                        + "win 65483, options [mss 65495,sackOK,TS val 4017863386 ecr 4017863386,nop,wscale 7], length 0");
        assertThat(line(23_000, seg().from("127.0.0.1", 48383).to("127.0.0.1", 12000).seq(439289122L)
                .ack(3569639230L).win(512).ts(TS, TS)))
                .isEqualTo("0.000023 IP 127.0.0.1.48383 > 127.0.0.1.12000: Flags [.], ack 1, win 512, "
                        + "options [nop,nop,TS val 4017863386 ecr 4017863386], length 0");
    }

    @Test
    void dataAndFinUseRelativeNumbersInBothDirections() {
        tcpdump.format(0, seg().from("10.0.0.1", 49152).to("10.0.0.2", 80).syn().seq(1000).win(65535).build());
        tcpdump.format(1, seg().from("10.0.0.2", 80).to("10.0.0.1", 49152).syn().seq(5000).ack(1001).win(65535).build());
        assertThat(tcpdump.format(2 * MS, seg().from("10.0.0.1", 49152).to("10.0.0.2", 80).psh().seq(1001).ack(5001)
                .win(512).payload("hello world").build()))
                .isEqualTo("0.002000 IP 10.0.0.1.49152 > 10.0.0.2.80: Flags [P.], seq 1:12, ack 1, win 512, length 11");
        assertThat(tcpdump.format(1_000_040_000L, seg().from("10.0.0.2", 80).to("10.0.0.1", 49152).psh().seq(5001)
                .ack(1012).win(512).ts(4018453340L, 4018450643L).payload("HTTP/1.").build()))
                .isEqualTo("1.000040 IP 10.0.0.2.80 > 10.0.0.1.49152: Flags [P.], seq 1:8, ack 12, win 512, "
                        + "options [nop,nop,TS val 4018453340 ecr 4018450643], length 7");
        assertThat(tcpdump.format(2_000_000_000L, seg().from("10.0.0.2", 80).to("10.0.0.1", 49152).fin().seq(5008)
                .ack(1012).win(512).build()))
                .isEqualTo("2.000000 IP 10.0.0.2.80 > 10.0.0.1.49152: Flags [F.], seq 8, ack 12, win 512, length 0");
    }

    @Test
    void aSynWithoutAckAndABareRstPrintAbsoluteNumbers() {
        assertThat(tcpdump.format(0, seg().from("10.0.0.1", 49152).to("10.0.0.2", 80).syn().seq(1000).win(65535)
                .mss(1460).sackOk().ts(1, 0).wscale(7).build()))
                .isEqualTo("0.000000 IP 10.0.0.1.49152 > 10.0.0.2.80: Flags [S], seq 1000, win 65535, "
                        + "options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0");
        tcpdump.format(1, seg().from("10.0.0.2", 80).to("10.0.0.1", 49152).syn().seq(5000).ack(1001).build());
        assertThat(tcpdump.format(2, seg().from("10.0.0.2", 80).to("10.0.0.1", 49152).rst().seq(5001).build()))
                .isEqualTo("0.000000 IP 10.0.0.2.80 > 10.0.0.1.49152: Flags [R], seq 5001, win 0, length 0");
    }

    @Test
    void aNewSynAckRestartsTheConversationsBases() {
        tcpdump.format(0, seg().from("10.0.0.2", 80).to("10.0.0.1", 49152).syn().seq(5000).ack(1001).build());
        tcpdump.format(0, seg().from("10.0.0.2", 80).to("10.0.0.1", 49152).syn().seq(9000).ack(2001).build());
        assertThat(tcpdump.format(0, seg().from("10.0.0.1", 49152).to("10.0.0.2", 80).seq(2001).ack(9001).build()))
                .contains("Flags [.], ack 1, win 0");
    }

    @Test
    void sackEdgesAreRelativeToThePeersInitialSequenceNumber() {
        tcpdump.format(0, seg().from("10.0.0.2", 80).to("10.0.0.1", 49152).syn().seq(5000).ack(1001).build());
        assertThat(tcpdump.format(0, seg().from("10.0.0.1", 49152).to("10.0.0.2", 80).seq(1001).ack(5001).win(512)
                .ts(3, 2).sack(6001, 7001).sack(8001, 9001).build()))
                .isEqualTo("0.000000 IP 10.0.0.1.49152 > 10.0.0.2.80: Flags [.], ack 1, win 512, "
                        + "options [nop,nop,TS val 3 ecr 2,nop,nop,sack 2 {1001:2001}{3001:4001}], length 0");
    }

    @Test
    void urgentPointerIsShownAfterTheWindow() {
        assertThat(tcpdump.format(0, seg().from("10.0.0.1", 1).to("10.0.0.2", 2).seq(7).ack(9).urg(1).win(10)
                .payload("!").build()))
                .isEqualTo("0.000000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [U.], seq 7:8, ack 9, win 10, urg 1, length 1");
    }

    @Test
    void resetForgetsEveryConversation() {
        tcpdump.format(0, seg().from("10.0.0.2", 80).to("10.0.0.1", 49152).syn().seq(5000).ack(1001).build());
        tcpdump.reset();
        assertThat(tcpdump.format(0, seg().from("10.0.0.1", 49152).to("10.0.0.2", 80).seq(1001).ack(5001).build()))
                .as("first ACK after reset is absolute again").contains("ack 5001");
    }

    @Test
    void timestampHasSixDecimals() {
        assertThat(TraceTime.seconds(0)).isEqualTo("0.000000");
        assertThat(TraceTime.seconds(1_000_040_999L)).isEqualTo("1.000040");
        assertThat(TraceTime.seconds(1_700_000_000_123_456_000L)).isEqualTo("1700000000.123456");
    }

    @Test
    void sequenceNumbersArePrintedUnsigned() {
        assertThat(tcpdump.format(0, seg().from("10.0.0.1", 1).to("10.0.0.2", 2).syn().seq(0xFFFFFFFFL).build()))
                .contains("seq 4294967295,");
    }

    @Test
    void lineFromAnEncodedSegmentMatchesTheLineFromTheSegmentItself() {
        Segment s = seg().from("10.0.0.1", 1).to("10.0.0.2", 2).seq(7).ack(9).ts(1, 2).sack(20, 30).build();
        String direct = new TcpdumpFormat().format(0, s);
        assertThat(line(0, seg().from("10.0.0.1", 1).to("10.0.0.2", 2).seq(7).ack(9).ts(1, 2).sack(20, 30)))
                .isEqualTo(direct);
        assertThat(Seg.encode(s)).hasSize(20 + 20 + 12 + 12);
    }
}
