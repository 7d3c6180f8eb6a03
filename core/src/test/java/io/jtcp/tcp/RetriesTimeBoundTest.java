package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import io.jtcp.api.Errno;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * tcp_retries2 is a time, not a count (Linux's tcp_write_timeout and
 * retransmits_timed_out): the bound is what that many retransmissions take from a
 * 200 ms RTO doubling up to 120 s, whatever the connection's own RTO is.
 */
class RetriesTimeBoundTest {

    @Test
    void fifteenRetriesModelNineHundredTwentyFourPointSixSeconds() {
        long ms = 1_000_000L;
        assertThat(Timers.modelTimeout(200 * ms, 120_000 * ms, 15)).isEqualTo(924_600 * ms);
        assertThat(Timers.modelTimeout(200 * ms, 120_000 * ms, 3)).isEqualTo(3_000 * ms);
        assertThat(Timers.modelTimeout(200 * ms, 120_000 * ms, 8)).isEqualTo(102_200 * ms);
    }

    /** The ESTABLISHED connection's RTO after the handshake took {@code rttMs}, with data written at once and never acknowledged. */
    private static Transcript unansweredAfterRtt(long rttMs) throws ErrnoException {
        Transcript t = new Transcript().synSent();
        t.advance(ms(rttMs));
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        return t;
    }

    @Test
    void aTwoSecondRtoDiesAtTheFirstTimeoutPastTheBoundNotAfterFifteenRetries() throws Exception {
        Transcript t = unansweredAfterRtt(700); // SRTT 700 ms, RTTVAR 350 ms: RTO 2.1 s
        assertThat(t.c.status(t.now).rto()).isEqualTo(ms(2_100).toNanos());
        long start = t.now;
        t.write("x").drain();
        // Timeouts at 2.1, 6.3, 14.7, 31.5, 65.1, 132.3 s, then every 120 s: 852.3 s is the last below 924.6 s.
        t.advance(Duration.ofMillis(852_300));
        assertThat(t.drain()).hasSize(12);
        t.assertState(State.ESTABLISHED);
        t.advance(Duration.ofMillis(120_000));
        t.expectNothing().assertState(State.CLOSED);
        assertThat(t.now - start).isGreaterThanOrEqualTo(Duration.ofMillis(924_600).toNanos());
        assertThat(t.failures).containsExactly(Errno.ETIMEDOUT);
        assertThat(t.lastTransition()).isEqualTo("ESTABLISHED -> CLOSED (RETRANSMISSION_LIMIT)");
    }

    @Test
    void theFloorRtoDiesExactlyAtTheBound() throws Exception {
        Transcript t = new Transcript().established(); // RTO 200 ms
        t.write("x").drain();
        t.advance(Duration.ofMillis(924_599)).assertState(State.ESTABLISHED);
        assertThat(t.drain()).hasSize(15);
        t.advance(ms(1)).expectNothing().assertState(State.CLOSED);
        assertThat(t.failures).containsExactly(Errno.ETIMEDOUT);
    }

    @Test
    void userTimeoutReplacesTheRetriesBoundEvenWhenLonger() throws Exception {
        Transcript t = with(plain().set("tcp_retries2", "3"), o -> o.userTimeout = Duration.ofSeconds(10)).established();
        t.write("x").drain();
        t.advance(Duration.ofMillis(9_999)).assertState(State.ESTABLISHED); // tcp_retries2 alone would end it at 3 s
        t.advance(ms(1)).assertState(State.CLOSED);
        assertThat(t.lastTransition()).isEqualTo("ESTABLISHED -> CLOSED (USER_TIMEOUT)");
    }

    @Test
    void anOrphanGetsTcpOrphanRetriesTimeouts() throws Exception {
        Transcript t = new Transcript().established();
        t.write("x").drain();
        t.close(); // orphan; tcp_orphan_retries 0 reads as 8 timeouts: 102.2 s from 200 ms
        t.drain();
        t.advance(Duration.ofMillis(102_199)).assertState(State.FIN_WAIT_1);
        t.advance(ms(1)).assertState(State.CLOSED);
    }
}
