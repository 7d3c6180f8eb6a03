package io.jtcp.tcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RttEstimatorTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1000 * MS;

    /** Linux-like bounds: initial 1 s, min 200 ms, max 120 s. */
    private static RttEstimator linux() { return new RttEstimator(1 * S, 200 * MS, 120 * S); }

    @Test
    void initialRtoBeforeAnySample() {
        RttEstimator e = linux();
        assertThat(e.hasSample()).isFalse();
        assertThat(e.rto()).isEqualTo(1 * S);            // RFC 6298 §2.1
    }

    @Test
    void firstSampleSetsSrttAndHalfVariance() {
        RttEstimator e = linux();
        e.sample(100 * MS);                               // §2.2
        assertThat(e.srtt()).isEqualTo(100 * MS);
        assertThat(e.rttvar()).isEqualTo(50 * MS);
        assertThat(e.rto()).isEqualTo(300 * MS);          // 100 + 4 * 50
    }

    @Test
    void laterSamplesSmoothWithAlphaEighthAndBetaQuarter() {
        RttEstimator e = linux();
        e.sample(100 * MS);
        e.sample(200 * MS);                               // §2.3, RTTVAR first with the old SRTT
        assertThat(e.rttvar()).isEqualTo(62_500_000L);    // 3/4 * 50 + 1/4 * |100 - 200|
        assertThat(e.srtt()).isEqualTo(112_500_000L);     // 7/8 * 100 + 1/8 * 200
        assertThat(e.rto()).isEqualTo(362_500_000L);      // 112.5 + 4 * 62.5
    }

    @Test
    void clampedToMinimum() {
        RttEstimator e = linux();
        e.sample(10 * MS);                                // 10 + 4 * 5 = 30 ms -> 200 ms (§2.4)
        assertThat(e.rto()).isEqualTo(200 * MS);
    }

    @Test
    void granularityBoundsTheVarianceTerm() {
        RttEstimator e = new RttEstimator(1 * S, 1, 120 * S);
        for (int i = 0; i < 100; i++) e.sample(10 * MS);  // RTTVAR decays towards 0
        assertThat(e.rttvar()).isLessThan(RttEstimator.CLOCK_GRANULARITY_NANOS / 4);
        assertThat(e.rto()).isEqualTo(e.srtt() + RttEstimator.CLOCK_GRANULARITY_NANOS);
    }

    @Test
    void backoffDoublesUpToMaximumAndASampleCollapsesIt() {
        RttEstimator e = linux();
        e.sample(100 * MS);
        e.backoff();
        assertThat(e.rto()).isEqualTo(600 * MS);          // §5.5
        e.backoff();
        assertThat(e.rto()).isEqualTo(1200 * MS);
        for (int i = 0; i < 100; i++) e.backoff();
        assertThat(e.rto()).isEqualTo(120 * S);
        assertThat(e.backoffCount()).isEqualTo(102);
        e.sample(100 * MS);
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
        e.sample(-5);                                     // ignored
        assertThat(e.hasSample()).isFalse();
        e.sample(Long.MAX_VALUE);
        assertThat(e.rto()).isEqualTo(120 * S);
        e.sample(0);
        assertThat(e.rto()).isBetween(200 * MS, 120 * S);
    }
}
