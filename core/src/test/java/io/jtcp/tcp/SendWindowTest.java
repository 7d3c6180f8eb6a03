package io.jtcp.tcp;

import io.jtcp.wire.Segment;
import io.jtcp.wire.Seq;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jtcp.tcp.DataTransferTest.text;
import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peer's window as the sender obeys it: which ACKs set SND.WND (Linux's
 * tcp_may_update_window), and which sequence number our bare ACKs and resets carry
 * when that window has shrunk below what we already sent (tcp_acceptable_seq).
 */
class SendWindowTest {

    /** Ten full segments in flight: the initial congestion window (RFC 6928). */
    static final int FLIGHT = 10 * 1460;

    @Test
    void pshMarksEverySegmentThatEndsHalfTheWindowPastTheLastPsh() throws Exception {
        // Linux's forced_push: with a 300-byte window every window-sized segment carries PSH
        // (packetdrill/corpus/window/no-window-scale.pkt), not only the one that ends the write.
        Transcript t = new Transcript().synSent();
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460).win(300)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        t.write(text(1000, 'p')).expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload(text(300, 'p'))).expectNothing();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 301).win(300)).expect(out().psh().seq(ISS + 301).ack(PEER_ISS + 1).payload(text(300, 'p')));
    }

    @Test
    void aWindowSmallerThanASegmentWaitsForTheProbeTimer() throws Exception {
        // Linux's tcp_write_xmit sends nothing until a segment (at most half the largest window
        // offered, tcp_bound_to_half_wnd) fits; tcp_write_wakeup then sends what the window takes.
        // RFC 9293 §3.8.6.2.1 would send the 10 bytes at once (upstream tcp-info-rwnd-limited.pkt).
        Transcript t = new Transcript().synSent();
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460).win(5000)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).win(10));
        t.write(text(1000, 'w')).expectNothing();
        long probeAt = t.deadline();
        assertThat(probeAt).as("the probe timer is armed").isLessThan(Long.MAX_VALUE);
        t.advance(java.time.Duration.ofNanos(probeAt - t.now)).expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload(text(10, 'w')));
    }

    @Test
    void noPshInTheMiddleOfAWriteWithinHalfTheWindow() throws Exception {
        Transcript t = new Transcript().established();
        t.write(text(3000, 'q'));
        assertThat(t.drain()).extracting(s -> s.has(io.jtcp.wire.TcpFlags.PSH)).containsExactly(false, false, true);
    }

    @Test
    void anAckThatAdvancesSndUnaSetsTheWindowThoughItsSegmentIsOlder() throws Exception {
        Transcript t = new Transcript().established();
        t.write(text(40_000, 'x'));
        assertThat(dataBytes(t.drain())).isEqualTo(FLIGHT);
        // The peer's second segment overtakes its first: SND.WL1 moves to PEER_ISS + 101.
        t.send(in().seq(PEER_ISS + 101).ack(ISS + 1).payload(text(100, 'b')));
        t.drain();
        // Its first segment comes again, acknowledging all our data; the peer's buffer is nearly full now.
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1 + FLIGHT).win(2920).payload(text(100, 'a')));
        int rightEdge = ISS + 1 + FLIGHT + 2920;
        List<Segment> sent = t.drain();
        for (Segment s : sent) {
            if (s.payloadLength == 0) continue;
            assertThat(Seq.leq(s.seq + s.payloadLength, rightEdge))
                    .as("segment %d..%d stays within the window ending at %d",
                            Integer.toUnsignedLong(s.seq), Integer.toUnsignedLong(s.seq + s.payloadLength),
                            Integer.toUnsignedLong(rightEdge))
                    .isTrue();
        }
        assertThat(dataBytes(sent)).as("the window that is open is used").isEqualTo(2920);
    }

    @Test
    void aBareAckCarriesTheRightEdgeWhenTheWindowShrankBelowWhatWasSent() throws Exception {
        Transcript t = new Transcript().established();
        t.write(text(FLIGHT, 'x'));
        t.drain();
        // The peer takes one segment and closes its window: SND.UNA + SND.WND is ISS + 1461.
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1461).win(0));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1461).win(0).payload("hi"));
        t.advance(ms(40)).expect(out().seq(ISS + 1461).ack(PEER_ISS + 3).win(WIN - 2));
    }

    @Test
    void aBareAckCarriesTheHighestSequenceSentWhileTheWindowCoversIt() throws Exception {
        Transcript t = new Transcript().established();
        t.write(text(FLIGHT, 'x'));
        t.drain();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1461).payload("hi"));
        t.drain();
        t.send(in().seq(PEER_ISS + 3).ack(ISS + 1461).payload("!"));
        t.advance(ms(40)).expect(out().seq(ISS + 1 + FLIGHT).ack(PEER_ISS + 4).win(WIN - 3));
    }

    @Test
    void anAbortsResetCarriesTheRightEdgeWhenTheWindowShrank() throws Exception {
        Transcript t = new Transcript().established();
        t.write(text(FLIGHT, 'x'));
        t.drain();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2921).win(100));
        t.abort().expect(outRst().ack(PEER_ISS + 1).seq(ISS + 2921 + 100));
    }

    static int dataBytes(List<Segment> segments) {
        return segments.stream().mapToInt(s -> s.payloadLength).sum();
    }
}
