package io.jtcp.tcp;

import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.AckClock.MS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HyStart++ (RFC 9406) in CUBIC's initial slow start. The sender starts with ten segments
 * and is ACK-clocked, so round n (one flight) carries 10 * 2^(n-1) segments while slow
 * start doubles; the RTT a segment sees is set by when it was sent: rounds 1 to 3 are sent
 * before 150 ms at a 50 ms RTT, round 4 at 150 ms.
 */
class HyStartPlusPlusTest {
    private static final long BASE_RTT = 50 * MS;
    /** clamp(50 ms / 8, 4 ms, 16 ms). */
    private static final long THRESHOLD = 6_250_000;
    private static final long ROUND_4_SENT = 150 * MS;

    /** A sender whose RTT rises to {@code raised} for everything sent from round 4 on. */
    private static AckClock risingTo(long raised) {
        AckClock clock = new AckClock(new Cubic());
        clock.rtt = t -> t >= ROUND_4_SENT ? raised : BASE_RTT;
        return clock.send();
    }

    @Test
    void theThresholdIsAnEighthOfTheLastRoundsMinimumClampedToFourAndSixteenMs() {
        assertThat(HyStartPlusPlus.threshold(50 * MS)).isEqualTo(THRESHOLD);
        assertThat(HyStartPlusPlus.threshold(10 * MS)).isEqualTo(4 * MS);
        assertThat(HyStartPlusPlus.threshold(500 * MS)).isEqualTo(16 * MS);
    }

    @Test
    void aFlatRttKeepsSlowStartDoubling() {
        AckClock clock = risingTo(BASE_RTT).rounds(8);
        assertThat(clock.w.cwnd).isEqualTo(10 << 8);
        assertThat(clock.w.ssthresh).isEqualTo(CongestionWindow.INFINITE_SSTHRESH);
    }

    @Test
    void aRiseJustUnderTheThresholdKeepsSlowStartDoubling() {
        AckClock clock = risingTo(BASE_RTT + THRESHOLD - MS / 4).rounds(6);
        assertThat(clock.w.cwnd).isEqualTo(10 << 6);
    }

    @Test
    void aRiseByTheThresholdSwitchesToConservativeSlowStartAfterEightSamples() {
        AckClock clock = risingTo(BASE_RTT + THRESHOLD).rounds(4);
        // Round 4 carries 80 segments: the first seven grow the window by one each; the eighth
        // sample shows the rise, and from it on every ACK counts a quarter: 73 / 4 = 18.
        assertThat(clock.w.cwnd).isEqualTo(80 + 7 + 18);
        assertThat(clock.w.ssthresh).isEqualTo(CongestionWindow.INFINITE_SSTHRESH);
    }

    @Test
    void conservativeSlowStartEndsSlowStartAfterFiveRoundsOfSustainedRise() {
        AckClock clock = risingTo(BASE_RTT + THRESHOLD).rounds(4);
        // Round 4, where CSS began, counts as its first; rounds 5 to 8 are the other four.
        clock.rounds(4);
        assertThat(clock.w.ssthresh).isEqualTo(CongestionWindow.INFINITE_SSTHRESH);
        int flight = clock.w.cwnd;
        clock.ack(); // the first ACK of round 9 ends round 8
        assertThat(clock.w.ssthresh).isEqualTo(flight);
        assertThat(clock.w.inSlowStart()).isFalse();
    }

    @Test
    void anRttFallingBackBelowTheBaselineResumesSlowStart() {
        AckClock clock = new AckClock(new Cubic());
        long roundFiveSent = ROUND_4_SENT + BASE_RTT + THRESHOLD;
        clock.rtt = t -> t >= ROUND_4_SENT && t < roundFiveSent ? BASE_RTT + THRESHOLD : BASE_RTT;
        clock.send().rounds(5);
        int afterFive = clock.w.cwnd;
        clock.rounds(1);
        assertThat(clock.w.cwnd).isEqualTo(2 * afterFive);
        assertThat(clock.w.ssthresh).isEqualTo(CongestionWindow.INFINITE_SSTHRESH);
    }

    @Test
    void oneAckGrowsSlowStartByAtMostEightSegments() {
        Cubic cubic = new Cubic();
        CongestionWindow w = new CongestionWindow();
        w.maxPacketsOut = 10;
        w.sndUna = 20;
        w.sndNxt = 30;
        cubic.acked(w, 20, BASE_RTT, BASE_RTT);
        cubic.congestionAvoidance(w, 20, BASE_RTT);
        assertThat(w.cwnd).isEqualTo(18); // L = 8 for a sender that does not pace

        // After a loss set ssthresh, slow start is Linux's: every segment counts.
        w.cwnd = 10;
        w.ssthresh = 100;
        cubic.congestionAvoidance(w, 20, BASE_RTT);
        assertThat(w.cwnd).isEqualTo(30);
    }
}
