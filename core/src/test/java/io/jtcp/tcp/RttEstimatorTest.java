package io.jtcp.tcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Linux's tcp_rtt_estimator and __tcp_set_rto, with RFC 6298's backoff. */
class RttEstimatorTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1000 * MS;

    /** Linux's bounds: initial 1 s, TCP_RTO_MIN 200 ms, TCP_RTO_MAX 120 s. */
    private static RttEstimator linux() { return new RttEstimator(1 * S, 200 * MS, 120 * S); }

    /** A sample taken within the round trip that began at sequence 0: SND.UNA has not passed rtt_seq. */
    private static void sameRound(RttEstimator e, long rtt) { e.sample(rtt, 0, 0); }

    @Test
    void initialRtoBeforeAnySample() {
        RttEstimator e = linux();
        assertThat(e.hasSample()).isFalse();
        assertThat(e.rto()).isEqualTo(1 * S);            // RFC 6298 §2.1
    }

    @Test
    void firstSampleSetsSrttAndAVarianceTermOfAtLeastTheMinimumRto() {
        RttEstimator e = linux();
        sameRound(e, 100 * MS);
        assertThat(e.srtt()).isEqualTo(100 * MS);
        assertThat(e.rttvar()).as("tcpi_rttvar: half the sample, as RFC 6298 §2.2").isEqualTo(50 * MS);
        // Linux: SRTT + max(4 * 50, TCP_RTO_MIN) = 300 ms; RFC 6298's clamp of the sum would give the same here ...
        assertThat(e.rto()).isEqualTo(300 * MS);
        // ... but not on a short path, where Linux adds the whole minimum to SRTT.
        RttEstimator lan = linux();
        sameRound(lan, 10 * MS);
        assertThat(lan.rto()).as("10 + max(20, 200) ms, where the RFC would give 200 ms").isEqualTo(210 * MS);
    }

    @Test
    void aRisingSampleSmoothsWithAlphaEighthAndBetaQuarter() {
        RttEstimator e = linux();
        sameRound(e, 100 * MS);
        sameRound(e, 200 * MS);
        assertThat(e.srtt()).isEqualTo(112_500_000L);     // 7/8 * 100 + 1/8 * 200
        assertThat(e.rttvar()).isEqualTo(62_500_000L);    // 3/4 * 50 + 1/4 * |100 - 200|
        assertThat(e.rto()).isEqualTo(362_500_000L);      // 112.5 + 4 * 62.5
    }

    @Test
    void aFallingSampleMovesTheDeviationWithAThirtySecondGain() {
        RttEstimator e = linux();
        sameRound(e, 100 * MS);
        sameRound(e, 20 * MS);
        assertThat(e.srtt()).isEqualTo(90 * MS);
        // |error| 80 less the old deviation 50 leaves 30, of which 1/8 (of a 4x quantity) reaches mdev: RFC 6298 would say 57.5.
        assertThat(e.rttvar()).isEqualTo(50_937_500L);
    }

    @Test
    void theVarianceTermDecaysOncePerRoundTripTowardsTheMinimumRto() {
        RttEstimator e = linux();
        sameRound(e, 100 * MS);
        sameRound(e, 500 * MS);                           // a spike: the variance term jumps
        long spiked = e.rto();
        int una = 1;
        for (int i = 0; i < 200; i++, una++) e.sample(100 * MS, una, una + 1);
        assertThat(spiked).as("150 ms + 4 x 137.5 ms").isEqualTo(700 * MS);
        assertThat(e.srtt()).isBetween(99 * MS, 101 * MS);
        assertThat(e.rto()).as("SRTT + TCP_RTO_MIN once the spike has decayed").isBetween(299 * MS, 301 * MS);
    }

    @Test
    void backoffDoublesUpToMaximumAndASampleCollapsesIt() {
        RttEstimator e = linux();
        sameRound(e, 100 * MS);
        e.backoff();
        assertThat(e.rto()).isEqualTo(600 * MS);          // §5.5
        e.backoff();
        assertThat(e.rto()).isEqualTo(1200 * MS);
        for (int i = 0; i < 100; i++) e.backoff();
        assertThat(e.rto()).isEqualTo(120 * S);
        assertThat(e.backoffCount()).isEqualTo(102);
        sameRound(e, 100 * MS);
        assertThat(e.backoffCount()).isZero();
        assertThat(e.rto()).isLessThan(1 * S);
    }

    @Test
    void resetBackoffReturnsToTheComputedRto() {
        RttEstimator e = linux();
        e.backoff();
        assertThat(e.rto()).isEqualTo(2 * S);             // backoff before any sample too
        e.resetBackoff();
        assertThat(e.rto()).isEqualTo(1 * S);
        assertThat(e.backoffCount()).isZero();
    }

    @Test
    void absurdSamplesNeitherThrowNorOverflow() {
        RttEstimator e = linux();
        sameRound(e, -5);                                 // ignored
        assertThat(e.hasSample()).isFalse();
        sameRound(e, Long.MAX_VALUE);
        assertThat(e.rto()).isEqualTo(120 * S);
        sameRound(e, 0);
        assertThat(e.rto()).isBetween(200 * MS, 120 * S);
    }
}
