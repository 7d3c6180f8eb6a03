package io.jtcp.tcp;

import io.jtcp.wire.Seg;
import io.jtcp.wire.Segment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loss detection and recovery, segment by segment, as Linux runs them: RACK marking after
 * SACKs (RFC 8985 §6), PRR's sends (RFC 6937), NewReno's duplicate ACKs (RFC 6582), the
 * tail loss probe (RFC 8985 §7), F-RTO's undo of a spurious timeout (RFC 5682) and the
 * D-SACK undo (RFC 3708). Reno keeps the window arithmetic plain (ssthresh = cwnd / 2).
 */
class LossRecoveryTest {
    private static final int MSS = 1460;

    /** An established connection with SACK on or off, Reno, and an RTT of 50 ms measured on the handshake. */
    private static Transcript established(boolean sack) throws Exception {
        Transcript t = withSysctls(plain().set("tcp_sack", sack ? "1" : "0").set("tcp_congestion_control", "reno"));
        t.c.openActive(t.now);
        t.drain();
        t.advance(ms(50));
        Seg synAck = in().syn().seq(PEER_ISS).ack(ISS + 1).mss(MSS);
        if (sack) synAck.sackOk();
        t.send(synAck);
        t.drain();
        t.assertState(State.ESTABLISHED);
        return t;
    }

    private static int seg(int i) {
        return ISS + 1 + i * MSS;
    }

    private static Seg ackOf(int ack) {
        return in().seq(PEER_ISS + 1).ack(ack);
    }

    private static List<Integer> seqs(List<Segment> sent) {
        return sent.stream().map(s -> s.seq).toList();
    }

    private static TcpInfo info(Transcript t) {
        return t.c.tcpInfo(t.now);
    }

    @Test
    void theThirdSackMarksTheHoleLostAndPrrSendsItsRetransmissionFirst() throws Exception {
        Transcript t = established(true);
        t.write(DataTransferTest.text(10 * MSS, 'a'));
        assertThat(t.drain()).hasSize(10);
        t.advance(ms(50));
        // Segment 0 is lost; 1, 2 and 3 arrive and are SACKed.
        t.send(ackOf(seg(0)).sack(seg(1), seg(2)));
        assertThat(t.drain()).as("one SACK: RACK waits a quarter of min_rtt for reordering").isEmpty();
        assertThat(info(t).caState()).isEqualTo(CaState.DISORDER.linux());
        t.send(ackOf(seg(0)).sack(seg(1), seg(3)));
        assertThat(t.drain()).isEmpty();
        t.send(ackOf(seg(0)).sack(seg(1), seg(4)));
        // Three SACKed: RACK's reordering window closes (sacked_out >= tcp_reordering) and the hole is lost.
        assertThat(seqs(t.drain())).containsExactly(seg(0));
        TcpInfo i = info(t);
        assertThat(i.caState()).isEqualTo(CaState.RECOVERY.linux());
        assertThat(i.sndSsthresh()).isEqualTo(5);
        assertThat(i.sacked()).isEqualTo(3);
        assertThat(i.lost()).isEqualTo(1);
        assertThat(i.retrans()).isEqualTo(1);
        // PRR while in flight is above ssthresh 5: ceil(5 * delivered / 10) minus what was sent.
        t.write(DataTransferTest.text(4 * MSS, 'b'));
        t.send(ackOf(seg(0)).sack(seg(1), seg(5)));
        assertThat(t.drain()).as("ceil(5 * 2 / 10) = 1, already spent on the retransmission").isEmpty();
        t.send(ackOf(seg(0)).sack(seg(1), seg(6)));
        assertThat(t.drain()).as("in flight 5 = ssthresh: nothing").isEmpty();
        t.send(ackOf(seg(0)).sack(seg(1), seg(7)));
        assertThat(seqs(t.drain())).as("in flight 4: up to ssthresh again").containsExactly(seg(10));
        // The retransmission fills the hole; segments 7 to 9 had arrived too: SND.UNA reaches high_seq, recovery ends.
        t.advance(ms(50));
        t.send(ackOf(seg(10)).sack(seg(10), seg(11)));
        TcpInfo done = info(t);
        assertThat(done.caState()).as("tcp_try_keep_open: a SACKed segment is still out").isEqualTo(CaState.DISORDER.linux());
        // tcp_end_cwnd_reduction settles the window at ssthresh 5; the same ACK delivered five segments, one window's
        // worth, which congestion avoidance then turns into one more (tcp_cong_avoid_ai).
        assertThat(done.sndCwnd()).isEqualTo(6);
        assertThat(done.totalRetrans()).isEqualTo(1);
        t.send(ackOf(seg(11)));
        assertThat(info(t).caState()).isEqualTo(CaState.OPEN.linux());
    }

    @Test
    void withoutSackTheThirdDuplicateAckRetransmitsTheHead() throws Exception {
        Transcript t = established(false);
        t.write(DataTransferTest.text(10 * MSS, 'a'));
        assertThat(t.drain()).hasSize(10);
        t.advance(ms(50));
        // Segment 0 is lost.
        t.send(ackOf(seg(0)));
        t.send(ackOf(seg(0)));
        assertThat(t.drain()).isEmpty();
        t.send(ackOf(seg(0)));
        assertThat(seqs(t.drain())).as("fast retransmit on the third duplicate (tcp_newreno_mark_lost)").containsExactly(seg(0));
        assertThat(info(t).caState()).isEqualTo(CaState.RECOVERY.linux());
        t.advance(ms(50));
        t.send(ackOf(seg(10)));
        assertThat(info(t).caState()).as("NewReno holds Recovery while SND.UNA equals high_seq").isEqualTo(CaState.RECOVERY.linux());
        assertThat(info(t).totalRetrans()).isEqualTo(1);
    }

    @Test
    void aLostTailIsProbedAfterTwoRoundTripsWithTheLastSegment() throws Exception {
        Transcript t = established(true);
        t.write(DataTransferTest.text(4 * MSS, 'a'));
        assertThat(t.drain()).hasSize(4);
        t.advance(ms(50));
        t.send(ackOf(seg(2)));
        assertThat(t.drain()).isEmpty();
        // Two segments out: the probe timeout is 2 * SRTT + 2 ms, well before the 200 ms RTO.
        long probeAt = t.deadline();
        assertThat(probeAt - t.now).isEqualTo(ms(102).toNanos());
        t.advance(ms(102));
        assertThat(seqs(t.drain())).as("no new data: the last segment again").containsExactly(seg(3));
        // The probe's SACK shows segment 2 missing: RACK marks it lost, recovery repairs it without a timeout.
        t.advance(ms(50));
        t.send(ackOf(seg(2)).sack(seg(3), seg(4)));
        assertThat(seqs(t.drain())).containsExactly(seg(2));
        assertThat(info(t).caState()).isEqualTo(CaState.RECOVERY.linux());
        assertThat(info(t).totalRto()).isZero();
    }

    @Test
    void anAckOfNeverRetransmittedDataAfterATimeoutUndoesItAsSpurious() throws Exception {
        Transcript t = established(true);
        t.write(DataTransferTest.text(10 * MSS, 'a'));
        assertThat(t.drain()).hasSize(10);
        // No ACK at all: the probe goes first (2 * 50 + 2 ms), then the RTO of 50 + 200 ms from the probe.
        t.advance(ms(102));
        assertThat(seqs(t.drain())).containsExactly(seg(9));
        t.advance(ms(250));
        assertThat(seqs(t.drain())).as("the RTO resends the head only, cwnd 1").containsExactly(seg(0));
        TcpInfo loss = info(t);
        assertThat(loss.caState()).isEqualTo(CaState.LOSS.linux());
        assertThat(loss.sndCwnd()).isEqualTo(1);
        // The delayed ACKs arrive: they cover segments never retransmitted, so F-RTO calls the timeout spurious.
        t.send(ackOf(seg(5)));
        TcpInfo undone = info(t);
        assertThat(undone.caState()).isEqualTo(CaState.OPEN.linux());
        // The window before the timeout comes back, then grows by the five segments this ACK delivered (slow start).
        assertThat(undone.sndCwnd()).isEqualTo(15);
        assertThat(undone.sndSsthresh()).isEqualTo(TcpInfo.INFINITE_SSTHRESH);
    }

    @Test
    void dsacksForEveryRetransmissionUndoTheReduction() throws Exception {
        Transcript t = established(true);
        t.write(DataTransferTest.text(10 * MSS, 'a'));
        assertThat(t.drain()).hasSize(10);
        t.advance(ms(50));
        for (int n = 2; n <= 4; n++) t.send(ackOf(seg(0)).sack(seg(1), seg(n)));
        assertThat(seqs(t.drain())).containsExactly(seg(0));
        assertThat(info(t).sndSsthresh()).isEqualTo(5);
        // Segment 0 was only delayed: it arrives, then the retransmission, which the receiver reports as a D-SACK.
        t.send(ackOf(seg(10)));
        t.send(ackOf(seg(10)).sack(seg(0), seg(1)));
        TcpInfo i = info(t);
        assertThat(i.caState()).isEqualTo(CaState.OPEN.linux());
        assertThat(i.sndCwnd()).as("tcp_undo_cwnd_reduction restores the window").isGreaterThanOrEqualTo(10);
    }
}
