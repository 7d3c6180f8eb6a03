package io.jtcp.tcp;

import io.jtcp.config.CongestionAlgorithm;
import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.AckClock.MS;
import static io.jtcp.tcp.AckClock.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * CUBIC's congestion avoidance (RFC 9438, Linux's tcp_cubic.c) driven by an ACK-clocked
 * bulk sender in virtual time; expectations are computed from the RFC's formulas in
 * doubles, independently of the fixed-point arithmetic under test.
 */
class CubicTest {
    private static final double BETA = 0.7, C = 0.4;

    /** K = cbrt(W_max (1 - beta) / C) seconds (RFC 9438 §4.2). */
    private static double k(double wMax) {
        return Math.cbrt(wMax * (1 - BETA) / C);
    }

    /** A sender in congestion avoidance at {@code cwnd} whose minimum RTT is known: one app-limited round, no growth. */
    private static AckClock avoiding(int cwnd, long rtt) {
        AckClock clock = new AckClock(new Cubic());
        clock.w.cwnd = cwnd;
        clock.w.ssthresh = cwnd;
        clock.rtt = t -> rtt;
        clock.appLimit = cwnd - 1;
        clock.send().rounds(1);
        assertThat(clock.w.cwnd).isEqualTo(cwnd);
        clock.appLimit = Integer.MAX_VALUE;
        return clock;
    }

    /** Loses at the current window and returns the time of the first ACK after it, where the epoch starts. */
    private static long loseAndStartEpoch(AckClock clock) {
        clock.lose();
        clock.ack();
        return clock.now;
    }

    @Test
    void theCubicNameBuildsCubic() {
        assertThat(CongestionControl.create(CongestionAlgorithm.CUBIC)).isInstanceOf(Cubic.class);
        assertThat(CongestionControl.create(CongestionAlgorithm.CUBIC).algorithm()).isEqualTo(CongestionAlgorithm.CUBIC);
    }

    @Test
    void aLossKeepsSevenTenthsOfTheWindow() {
        Cubic cubic = new Cubic();
        CongestionWindow w = new CongestionWindow();
        w.cwnd = 1000;
        assertThat(cubic.ssthresh(w)).isEqualTo(700); // 1000 * 717/1024 = 700.2
        w.cwnd = 100;
        assertThat(cubic.ssthresh(w)).isEqualTo(70);
        w.cwnd = 2;
        assertThat(cubic.ssthresh(w)).isEqualTo(2); // never below two segments
    }

    @Test
    void theCurveReturnsToTheWindowOfTheLossAfterKSeconds() {
        AckClock clock = avoiding(1000, 100 * MS);
        long epoch = loseAndStartEpoch(clock);
        assertThat(clock.w.cwnd).isEqualTo(700);
        long kNanos = (long) (k(1000) * SECOND);
        clock.runUntil(epoch + kNanos / 2);
        assertThat(clock.w.cwnd).isLessThan(1000 - 10);
        clock.runUntil(epoch + kNanos);
        assertThat((double) clock.w.cwnd).isCloseTo(1000, within(1.0));
    }

    @Test
    void growthIsConcaveBeforeKAndConvexAfter() {
        AckClock clock = avoiding(1000, 100 * MS);
        long epoch = loseAndStartEpoch(clock);
        double k = k(1000);
        int[] at = new int[6];
        double[] seconds = {0, 2, k - 2, k, k + 2, k + 4};
        for (int i = 0; i < seconds.length; i++) at[i] = clock.runUntil(epoch + (long) (seconds[i] * SECOND)).w.cwnd;
        // Concave: fast far below W_max, slow near it.
        assertThat(at[1] - at[0]).isGreaterThan(2 * (at[3] - at[2]));
        // Convex: slow near W_max, faster the further past it.
        assertThat(at[5] - at[4]).isGreaterThan(2 * (at[4] - at[3]));
        // And it tracks C (t - K)^3 + W_max two seconds past K: 1000 + 0.4 * 8.
        assertThat((double) at[4]).isCloseTo(1000 + C * 8, within(2.0));
    }

    @Test
    void fastConvergenceLowersWMaxWhenALossComesBelowIt() {
        AckClock clock = avoiding(1000, 100 * MS);
        loseAndStartEpoch(clock);
        while (clock.w.cwnd < 800) clock.ack();
        int lossWindow = clock.w.cwnd;
        long epoch = loseAndStartEpoch(clock);
        // W_max = cwnd (1 + beta) / 2, not cwnd (RFC 9438 §4.7); the curve plateaus there.
        double wMax = lossWindow * (1 + BETA) / 2;
        double k = Math.cbrt((wMax - clock.w.cwnd) / C);
        clock.runUntil(epoch + (long) (k * SECOND));
        assertThat((double) clock.w.cwnd).isCloseTo(wMax, within(1.5));
        assertThat(clock.w.cwnd).isLessThan(lossWindow - 50);
    }

    @Test
    void withAShortRttTheRenoFriendlyEstimateSetsThePace() {
        AckClock clock = avoiding(100, MS);
        loseAndStartEpoch(clock);
        int rounds = 200;
        clock.rounds(rounds);
        // W_est grows alpha = 3 (1 - beta) / (1 + beta) a round trip (RFC 9438 §4.3); the curve alone
        // would have reached only 100 - 0.4 (K - 0.2)^3 ≈ 74 by now.
        double alpha = 3 * (1 - BETA) / (1 + BETA);
        assertThat(clock.w.cwnd).isGreaterThanOrEqualTo((int) (70 + alpha * rounds) - 2);
    }

    @Test
    void undoReturnsToTheWindowBeforeTheCut() {
        AckClock clock = avoiding(100, 100 * MS);
        clock.lose();
        assertThat(clock.w.cwnd).isEqualTo(70);
        assertThat(clock.cc.undoCwnd(clock.w)).isEqualTo(100);
        clock.w.cwnd = 120; // grown past it since: undo never shrinks
        assertThat(clock.cc.undoCwnd(clock.w)).isEqualTo(120);
    }

    @Test
    void aSenderThatDoesNotFillTheWindowDoesNotGrowIt() {
        AckClock avoiding = avoiding(100, 10 * MS);
        avoiding.appLimit = 60;
        avoiding.send().rounds(50);
        assertThat(avoiding.w.cwnd).isEqualTo(100);

        AckClock starting = new AckClock(new Cubic());
        starting.appLimit = 4; // under half the initial window of ten
        starting.send().rounds(10);
        assertThat(starting.w.cwnd).isEqualTo(10);
        starting.appLimit = 6; // over half: slow start grows it
        starting.send().rounds(1);
        assertThat(starting.w.cwnd).isGreaterThan(10);
    }

    @Test
    void idleTimeDoesNotCountOnTheCurve() {
        AckClock clock = avoiding(1000, 100 * MS);
        long epoch = loseAndStartEpoch(clock);
        clock.runUntil(epoch + 2 * SECOND);
        int beforeIdle = clock.w.cwnd;
        assertThat(beforeIdle).isLessThan(900);
        // Twenty idle seconds would put t far past K; TX_START moves the epoch on by them.
        clock.idleUntil(clock.now + 20 * SECOND);
        clock.runUntil(clock.now + SECOND);
        assertThat(clock.w.cwnd).isGreaterThan(beforeIdle).isLessThan(1000);
    }

    @Test
    void aTimeoutForgetsWMax() {
        AckClock clock = avoiding(1000, 100 * MS);
        long epoch = loseAndStartEpoch(clock);
        clock.runUntil(epoch + 5 * SECOND);
        // The timeout (tcp_enter_loss: ssthresh, then the LOSS state); slow start back to ssthresh is skipped.
        clock.w.ssthresh = clock.cc.ssthresh(clock.w);
        clock.cc.stateChanged(clock.w, CaState.LOSS);
        clock.w.cwnd = clock.w.ssthresh;
        clock.rounds(1);
        // W_max forgotten, the next epoch is a first one, growing 5% a round trip (one segment per
        // 20 acknowledged); a remembered W_max would have it creep along a concave curve instead.
        assertThat(clock.w.cwnd - clock.w.ssthresh).isGreaterThanOrEqualTo(clock.w.ssthresh / 20 - 1);
    }
}
