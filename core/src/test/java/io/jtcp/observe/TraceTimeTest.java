package io.jtcp.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceTimeTest {

    @Test
    void secondsWithSixDecimalsTruncatedToTheMicrosecond() {
        assertThat(TraceTime.seconds(0)).isEqualTo("0.000000");
        assertThat(TraceTime.seconds(999)).isEqualTo("0.000000");
        assertThat(TraceTime.seconds(512_999)).isEqualTo("0.000512");
        assertThat(TraceTime.seconds(1_000_000_000)).isEqualTo("1.000000");
        assertThat(TraceTime.seconds(240_000_001_000L)).isEqualTo("240.000001");
    }

    @Test
    void negativeTimesReadNaturally() {
        assertThat(TraceTime.seconds(-250_000_000)).isEqualTo("-0.250000");
        assertThat(TraceTime.seconds(-1_250_000_000)).isEqualTo("-1.250000");
        assertThat(TraceTime.seconds(-2_000_000_000)).isEqualTo("-2.000000");
    }
}
