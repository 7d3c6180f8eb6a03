package io.jtcp.tcp;

import io.jtcp.api.Errno;

import io.jtcp.config.Sysctls;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Data transfer (RFC 9293 §3.8, RFC 5681 §4.2, RFC 7323, RFC 2018): segmentation, ACK policy, windows, options. */
class DataTransferTest {

    static String text(int n, char c) {
        char[] a = new char[n];
        Arrays.fill(a, c);
        return new String(a);
    }

    @Test
    void writeIsCutIntoMssSegmentsWithPshOnTheLast() throws Exception {
        Transcript t = new Transcript().established();
        String data = text(1460, 'a') + text(1460, 'b') + text(80, 'c');
        t.write(data);
        t.expect(out().seq(ISS + 1).ack(PEER_ISS + 1).payload(text(1460, 'a')));
        t.expect(out().seq(ISS + 1461).ack(PEER_ISS + 1).payload(text(1460, 'b')));
        // The tail of a write goes out at once: no earlier small segment is unacknowledged (Minshall, Linux).
        t.expect(out().psh().seq(ISS + 2921).ack(PEER_ISS + 1).payload(text(80, 'c'))).expectNothing();
    }

    @Test
    void nagleHoldsASecondSmallWriteUntilTheAck() throws Exception {
        Transcript t = new Transcript().established();
        t.write("a").expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("a"));
        t.write("b").expectNothing();
        t.write("c").expectNothing();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2)).expect(out().psh().seq(ISS + 2).ack(PEER_ISS + 1).payload("bc"));
    }

    @Test
    void noDelaySendsEverySmallWriteAtOnce() throws Exception {
        Transcript t = withOptions(o -> o.noDelay = true).established();
        t.write("a").expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("a"));
        t.write("b").expect(out().psh().seq(ISS + 2).ack(PEER_ISS + 1).payload("b"));
    }

    @Test
    void finRidesOnTheLastDataSegment() throws Exception {
        Transcript t = new Transcript().established();
        t.write("a").expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("a"));
        t.write("bc").expectNothing();
        t.close().expect(out().psh().fin().seq(ISS + 2).ack(PEER_ISS + 1).payload("bc")).assertState(State.FIN_WAIT_1);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 5)).assertState(State.FIN_WAIT_2);
    }

    @Test
    void delayedAckFiresAfter40ms() throws Exception {
        Transcript t = new Transcript().established();
        t.c.setQuickAck(false, t.now); // out of quick-ACK mode, as data/delayed-ack.pkt does with TCP_QUICKACK 0
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("hello")).expectNothing();
        t.advance(ms(39)).expectNothing();
        t.advance(ms(1)).expect(out().seq(ISS + 1).ack(PEER_ISS + 6).win(WIN - 5));
    }

    @Test
    void everySecondFullSizedSegmentIsAckedAtOnce() throws Exception {
        Transcript t = new Transcript().established();
        t.c.setQuickAck(false, t.now);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload(text(1460, 'x'))).expectNothing();
        // The right edge stays where it was (RFC 9293 §3.8.6.2.2): the unread bytes come off the window.
        t.send(in().seq(PEER_ISS + 1461).ack(ISS + 1).payload(text(1460, 'y'))).expect(out().seq(ISS + 1).ack(PEER_ISS + 2921).win(WIN - 2920));
        t.send(in().seq(PEER_ISS + 2921).ack(ISS + 1).payload(text(1460, 'z'))).expectNothing();
    }

    @Test
    void outOfOrderDataIsAckedAtOnceAndReassembled() throws Exception {
        Transcript t = new Transcript().established();
        t.send(in().seq(PEER_ISS + 7).ack(ISS + 1).payload("ghi")).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        t.send(in().seq(PEER_ISS + 4).ack(ISS + 1).payload("def")).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        assertThat(t.c.available()).isZero();
        // RFC 5681 §4.2: a segment filling the hole is acknowledged immediately.
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("abc")).expect(out().seq(ISS + 1).ack(PEER_ISS + 10).win(WIN - 9));
        assertThat(t.read()).isEqualTo("abcdefghi");
    }

    @Test
    void zeroWindowIsProbedWithBackoff() throws Exception {
        Transcript t = new Transcript().established(); // RTT 0 on the handshake: RTO is the 200 ms floor
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).win(0)).expectNothing();
        t.write("hello").expectNothing();
        // Each probe is an ACK carrying the already-acknowledged SND.UNA - 1, as Linux sends it.
        t.advance(ms(200)).expect(out().seq(ISS).ack(PEER_ISS + 1));
        t.advance(ms(399)).expectNothing().advance(ms(1)).expect(out().seq(ISS).ack(PEER_ISS + 1));
        t.advance(ms(799)).expectNothing().advance(ms(1)).expect(out().seq(ISS).ack(PEER_ISS + 1));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).win(1000)).expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("hello"));
        assertThat(t.c.status(t.now).timer()).isEqualTo("on");
    }

    @Test
    void answeredProbesNeverTimeOutAndBackoffRestartsWithTheNextZeroWindow() throws Exception {
        Transcript t = withSysctls(plain().set("tcp_retries2", "3")).established();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).win(0));
        t.write("x");
        for (int i = 0; i < 6; i++) {
            t.advance(ms(200L << i)).expect(out().seq(ISS).ack(PEER_ISS + 1));
            t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).win(0)).expectNothing();
        }
        t.assertState(State.ESTABLISHED);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).win(1000)).expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("x"));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2).win(0));
        t.write("y").advance(ms(200)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
    }

    @Test
    void unansweredProbesGiveUp() throws Exception {
        Transcript t = withSysctls(plain().set("tcp_retries2", "3")).established();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).win(0));
        t.write("x");
        t.advance(ms(200 + 400 + 800)).drain();
        assertThat(t.drain()).isEmpty();
        t.advance(ms(1600)).assertState(State.CLOSED);
        assertThat(t.failures).containsExactly(Errno.ETIMEDOUT);
    }

    @Test
    void readingReopensTheWindow() throws Exception {
        Transcript t = withOptions(o -> o.rcvBuf = 2000); // half of it is window, as tcp_win_from_space counts
        t.c.openActive(t.now);
        t.expect(out().syn().seq(ISS).mss(1460).win(1000));
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1).win(1000));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload(text(1000, 'q')));
        t.advance(ms(40)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1001).win(0));
        assertThat(t.read()).hasSize(1000);
        t.expect(out().seq(ISS + 1).ack(PEER_ISS + 1001).win(1000));
    }

    @Test
    void noWindowUpdateWhenTheAdvertisedWindowCannotGrow() throws Exception {
        // 128 KiB buffer, no scaling: the window stays at most the 64240 the SYN offered (Linux's
        // tcp_cleanup_rbuf only sends an update that at least doubles the window).
        Transcript t = new Transcript().established();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("hello"));
        t.advance(ms(40)).expect(out().seq(ISS + 1).ack(PEER_ISS + 6).win(WIN - 5));
        assertThat(t.read()).isEqualTo("hello");
        t.expectNothing();
    }

    static Sysctls only(String option) {
        Sysctls s = Sysctls.linux();
        for (String o : List.of("tcp_timestamps", "tcp_sack", "tcp_window_scaling")) {
            if (!o.equals(option)) s = s.set(o, "0");
        }
        return s;
    }

    @Test
    void windowScalingIsOfferedAndAppliedToThePeersWindow() throws Exception {
        Transcript t = withSysctls(only("tcp_window_scaling"));
        t.c.openActive(t.now);
        t.expect(out().syn().seq(ISS).mss(1460).wscale(10).win(WIN));
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460).wscale(2).win(1000));
        assertThat(t.c.status(t.now).sndWnd()).as("a SYN's window is never scaled").isEqualTo(1000);
        // The first scaled window is the one our SYN offered (64240, rounded up to the scale), as Linux
        // shows it: 63 units of 1024 bytes.
        t.expect(out().seq(ISS + 1).ack(PEER_ISS + 1).win(63));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).win(1000));
        assertThat(t.c.status(t.now).sndWnd()).isEqualTo(4000);
    }

    @Test
    void windowScalingNeedsBothSides() throws Exception {
        Transcript t = withSysctls(only("tcp_window_scaling"));
        t.c.openActive(t.now);
        t.drain();
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460).win(1000)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1).win(WIN));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).win(1000));
        assertThat(t.c.status(t.now).sndWnd()).isEqualTo(1000);
    }

    @Test
    void mssIsTheSmallerOfBothSides() throws Exception {
        Transcript t = new Transcript().synSent();
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1000)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        t.write(text(2500, 'm'));
        assertThat(t.drain()).extracting(s -> s.payloadLength).containsExactly(1000, 1000, 500);
    }

    @Test
    void mssIs536WithoutTheOption() throws Exception {
        Transcript t = new Transcript().synSent();
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        t.write(text(1000, 'm'));
        assertThat(t.drain()).extracting(s -> s.payloadLength).containsExactly(536, 464);
    }

    @Test
    void timestampsAreNegotiatedAndEchoed() throws Exception {
        Transcript t = withSysctls(only("tcp_timestamps"));
        t.c.openActive(t.now);
        t.expect(out().syn().seq(ISS).mss(1460).ts(0, 0));
        t.advance(ms(5));
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460).ts(777, 0)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1).ts(5, 777));
        t.advance(ms(10));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).ts(800, 5).payload("hi")).expect(out().seq(ISS + 1).ack(PEER_ISS + 3).win(WIN - 2).ts(15, 800));
        // The option takes 12 bytes of every segment: the MSS shrinks to match (Linux).
        t.write(text(1500, 't'));
        assertThat(t.drain()).extracting(s -> s.payloadLength).containsExactly(1448, 52);
    }

    @Test
    void anAbortsResetCarriesTimestamps() throws Exception {
        // tcp_send_active_reset goes through tcp_transmit_skb: TSval now, TSecr the last one echoed (upstream reset_tsval.pkt).
        Transcript t = withSysctls(only("tcp_timestamps"));
        t.c.openActive(t.now);
        t.drain();
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460).ts(777, 0)).drain();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).ts(800, 0).payload("unread")).drain();
        t.advance(ms(1000));
        t.close().expect(outRst().ack(PEER_ISS + 7).seq(ISS + 1).ts(1000, 800));
    }

    @Test
    void timestampsNeedBothSides() throws Exception {
        Transcript t = withSysctls(only("tcp_timestamps"));
        t.c.openActive(t.now);
        t.drain();
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
    }

    @Test
    void sackBlocksReportOutOfOrderData() throws Exception {
        Transcript t = withSysctls(only("tcp_sack"));
        t.c.openActive(t.now);
        t.expect(out().syn().seq(ISS).mss(1460).sackOk());
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460).sackOk()).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        t.send(in().seq(PEER_ISS + 4).ack(ISS + 1).payload("def"))
                .expect(out().seq(ISS + 1).ack(PEER_ISS + 1).sack(PEER_ISS + 4, PEER_ISS + 7));
        t.send(in().seq(PEER_ISS + 10).ack(ISS + 1).payload("jkl"))
                .expect(out().seq(ISS + 1).ack(PEER_ISS + 1).sack(PEER_ISS + 10, PEER_ISS + 13).sack(PEER_ISS + 4, PEER_ISS + 7));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("abc"))
                .expect(out().seq(ISS + 1).ack(PEER_ISS + 7).win(WIN - 6).sack(PEER_ISS + 10, PEER_ISS + 13));
    }

    @Test
    void noSackBlocksWithoutPermission() throws Exception {
        Transcript t = withSysctls(only("tcp_sack"));
        t.c.openActive(t.now);
        t.drain();
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        t.send(in().seq(PEER_ISS + 4).ack(ISS + 1).payload("def")).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
    }
}
