package io.jtcp.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The number spellings ss uses, which {@link SsView} copies: timers in ss's units, TCP_INFO's milliseconds as %g. */
class SsSpellingTest {
    @Test
    void millisecondsArePrintedLikePercentG() {
        assertThat(SsView.ms(200_000)).isEqualTo("200");
        assertThat(SsView.ms(34)).isEqualTo("0.034");
        assertThat(SsView.ms(1_500)).isEqualTo("1.5");
    }

    @Test
    void ssTimerSpellingFollowsSs() {
        assertThat(SsView.duration(59_760_000_000L)).isEqualTo("59sec");
        assertThat(SsView.duration(200_000_000L)).isEqualTo("200ms");
        assertThat(SsView.duration(1_500_000_000L)).isEqualTo("1.500ms");
        assertThat(SsView.duration(125_000_000_000L)).isEqualTo("2min5sec");
        assertThat(SsView.duration(7_199_000_000_000L)).isEqualTo("119min");
    }
}
