package io.jtcp.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The impairment's decisions, driven with made-up arrival times: no clock, no device. */
class ImpairedDirectionTest {
    private static final int N = 400_000;

    @Test
    void independentLossHitsItsRateAndNeverTwoInARowMoreThanChanceSays() {
        ImpairedDirection d = new ImpairedDirection(LinkImpairment.halfOf(Duration.ofMillis(20), 0.05), 7);
        int lost = 0, pairs = 0;
        boolean prev = false;
        for (int i = 0; i < N; i++) {
            boolean l = d.releaseAt(i) == ImpairedDirection.LOST;
            if (l) lost++;
            if (l && prev) pairs++;
            prev = l;
        }
        assertThat(lost / (double) N).isCloseTo(0.05, within(0.002));
        // Independent: a loss right after a loss as often as any loss, 5 %.
        assertThat(pairs / (double) lost).isCloseTo(0.05, within(0.01));
        assertThat(d.lostAtRandom()).isEqualTo(lost);
        assertThat(d.lostInBursts()).isZero();
        assertThat(d.passed()).isEqualTo(N - lost);
    }

    @Test
    void burstsHaveTheirMeanLengthAndTheStationaryRate() {
        ImpairedDirection d = new ImpairedDirection(new LinkImpairment(0, 0, 0.01, 3), 11);
        int lost = 0, runs = 0;
        boolean prev = false;
        for (int i = 0; i < 4 * N; i++) {
            boolean l = d.releaseAt(i) == ImpairedDirection.LOST;
            if (l) lost++;
            if (l && !prev) runs++;
            prev = l;
        }
        assertThat(lost / (4.0 * N)).isCloseTo(0.01, within(0.0015));
        assertThat(lost / (double) runs).as("mean burst length").isCloseTo(3, within(0.25));
        assertThat(d.bursts()).isEqualTo(runs);
        assertThat(d.lostInBursts()).isEqualTo(lost);
        assertThat(d.lostAtRandom()).isZero();
    }

    @Test
    void theSameSeedGivesTheSameFates() {
        LinkImpairment p = new LinkImpairment(10_000_000, 2_000_000, 0.02, 2);
        ImpairedDirection a = new ImpairedDirection(p, 42), b = new ImpairedDirection(p, 42), c = new ImpairedDirection(p, 43);
        long[] fa = new long[5000], fb = new long[5000], fc = new long[5000];
        for (int i = 0; i < fa.length; i++) {
            fa[i] = a.releaseAt(i * 1000L);
            fb[i] = b.releaseAt(i * 1000L);
            fc[i] = c.releaseAt(i * 1000L);
        }
        assertThat(fa).isEqualTo(fb);
        assertThat(fa).isNotEqualTo(fc);
    }

    @Test
    void delayAndJitterStayInBoundsAndNeverReorder() {
        long delay = 10_000_000, jitter = 5_000_000;
        ImpairedDirection d = new ImpairedDirection(new LinkImpairment(delay, jitter, 0, 1), 3);
        long last = Long.MIN_VALUE;
        boolean sawHeldBehind = false;
        for (long now = 0; now < 100_000_000; now += 100_000) {
            long at = d.releaseAt(now);
            assertThat(at).isBetween(now + delay, now + delay + jitter).isGreaterThanOrEqualTo(last);
            // Two packets leave at the same instant only when the second drew an earlier one
            // and waits for the first instead of overtaking it.
            if (at == last) sawHeldBehind = true;
            last = at;
        }
        assertThat(sawHeldBehind).as("jitter larger than the spacing must hold some packets behind others").isTrue();
    }

    @Test
    void noLossMeansEveryPacketPassesAfterTheDelay() {
        ImpairedDirection d = new ImpairedDirection(LinkImpairment.halfOf(Duration.ofMillis(100), 0), 1);
        for (long now = 0; now < 1000; now++) assertThat(d.releaseAt(now)).isEqualTo(now + 50_000_000);
        assertThat(d.passed()).isEqualTo(1000);
    }

    @Test
    void parametersOutsideTheirRangesAreRefused() {
        assertThatThrownBy(() -> new LinkImpairment(0, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkImpairment(0, 0, 0.1, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkImpairment(-1, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(LinkImpairment.NONE.isNone()).isTrue();
    }
}
