package io.jtcp.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The spellings ss (and netstat, tcpdump) use, which the views copy: timers in ss's units, TCP_INFO's milliseconds as %g, IPv6 endpoints. */
class SsSpellingTest {
    @Test
    void millisecondsArePrintedLikePercentG() {
        assertThat(SsView.ms(200_000)).isEqualTo("200");
        assertThat(SsView.ms(34)).isEqualTo("0.034");
        assertThat(SsView.ms(1_500)).isEqualTo("1.5");
    }

    @Test
    void ratesArePrintedLikeSprintBw() {
        assertThat(SsView.bandwidth(11_584_000)).isEqualTo("11.6M");
        assertThat(SsView.bandwidth(920_460)).isEqualTo("920.5K");
        assertThat(SsView.bandwidth(1_234_000_000)).isEqualTo("1.2G");
        assertThat(SsView.bandwidth(812.5)).isEqualTo("812.5");
    }

    @Test
    void ssTimerSpellingFollowsSs() {
        assertThat(SsView.duration(59_760_000_000L)).isEqualTo("59sec");
        assertThat(SsView.duration(200_000_000L)).isEqualTo("200ms");
        assertThat(SsView.duration(1_500_000_000L)).isEqualTo("1.500ms");
        assertThat(SsView.duration(125_000_000_000L)).isEqualTo("2min5sec");
        assertThat(SsView.duration(7_199_000_000_000L)).isEqualTo("119min");
    }

    @Test
    void ipv6EndpointsAreSpelledAsSsNetstatAndTcpdumpDo() {
        assertThat(SsView.anyPeer("*:80")).isEqualTo("*:*");
        assertThat(SsView.anyPeer("[fd77::2]:80")).isEqualTo("[::]:*");
        assertThat(SsView.anyPeer("0.0.0.0:80")).isEqualTo("0.0.0.0:*");
        assertThat(NetstatView.address("[fd77::2]:80")).isEqualTo("fd77::2:80");
        assertThat(NetstatView.address("*:80")).isEqualTo(":::80");
        assertThat(NetstatView.address("10.0.0.1:80")).isEqualTo("10.0.0.1:80");
        assertThat(TextTracePrinter.dotted("[fd77::2]:80")).isEqualTo("fd77::2.80");
        assertThat(TextTracePrinter.dotted("10.0.0.1:80")).isEqualTo("10.0.0.1.80");
    }
}
