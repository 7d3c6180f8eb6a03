package io.jtcp.tcp;

import io.jtcp.api.ConnectionStatus;

import io.jtcp.api.ErrnoException;

import io.jtcp.api.Errno;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Timers (RFC 6298, RFC 9293 §3.8, §3.10.8, RFC 5681 §3.2): retransmission, backoff, limits, keepalive, fin_timeout. */
class RetransmissionTest {

    /** Advances to {@code atMs} (absolute), expecting nothing until the very end. */
    static Transcript quietUntil(Transcript t, long atMs) {
        long step = atMs * 1_000_000L - t.now;
        t.advance(Duration.ofNanos(step - 1_000_000L)).expectNothing();
        return t.advance(ms(1));
    }

    @Test
    void synIsRetransmittedAtAFlatRtoForTcpSynLinearTimeoutsThenBacksOffAndTimesOutAt131s() throws Exception {
        // Linux 6.17+ defaults: tcp_syn_linear_timeouts 4 on top of tcp_syn_retries 6, so ten retransmissions.
        Transcript t = new Transcript().synSent();
        for (long at : new long[] {1_000, 2_000, 3_000, 4_000, 5_000, 7_000, 11_000, 19_000, 35_000, 67_000}) {
            quietUntil(t, at).expect(out().syn().seq(ISS).mss(1460)).assertState(State.SYN_SENT);
        }
        assertThat(t.c.tcpInfo(t.now).backoff()).as("only the timeouts after the linear ones back off").isEqualTo(6);
        quietUntil(t, 131_000).expectNothing().assertState(State.CLOSED);
        assertThat(t.failures).containsExactly(Errno.ETIMEDOUT);
    }

    @Test
    void withoutLinearTimeoutsTheSynBacksOffExponentiallyAndTimesOutAt127s() throws Exception {
        Transcript t = withSysctls(plain().set("tcp_syn_linear_timeouts", "0")).synSent();
        for (long at : new long[] {1_000, 3_000, 7_000, 15_000, 31_000, 63_000}) {
            quietUntil(t, at).expect(out().syn().seq(ISS).mss(1460)).assertState(State.SYN_SENT);
        }
        quietUntil(t, 127_000).expectNothing().assertState(State.CLOSED);
        assertThat(t.failures).containsExactly(Errno.ETIMEDOUT);
        assertThat(t.lastTransition()).isEqualTo("SYN_SENT -> CLOSED (RETRANSMISSION_LIMIT)");
        assertThat(errnoOf(() -> t.write("x"))).isEqualTo(Errno.ETIMEDOUT);
    }

    @Test
    void tcpSyncntEndsTheAttemptWhenItsBackoffModelRunsOutDespiteTheLinearTimeouts() throws Exception {
        // TCP_SYNCNT 1: retransmits_timed_out's model is 1 + 2 s from the first SYN, so the flat
        // 1 s RTO resends twice and the third timeout, at 3 s, gives up (tcp_write_timeout).
        Transcript t = withOptions(o -> o.synCnt = 1).synSent();
        quietUntil(t, 1_000).expect(out().syn().seq(ISS).mss(1460));
        quietUntil(t, 2_000).expect(out().syn().seq(ISS).mss(1460)).assertState(State.SYN_SENT);
        quietUntil(t, 3_000).expectNothing().assertState(State.CLOSED);
        assertThat(t.failures).containsExactly(Errno.ETIMEDOUT);
    }

    @Test
    void synAckIsRetransmittedTcpSynackRetriesTimes() throws Exception {
        Transcript t = new Transcript().synReceived();
        for (long at : new long[] {1_000, 3_000, 7_000, 15_000, 31_000}) {
            quietUntil(t, at).expect(out().syn().seq(ISS).ack(PEER_ISS + 1).mss(1460));
        }
        quietUntil(t, 63_000).expectNothing().assertState(State.CLOSED);
    }

    @Test
    void dataIsRetransmittedUntilTcpRetries2() throws Exception {
        Transcript t = withSysctls(plain().set("tcp_retries2", "3")).established(); // RTO 200 ms
        t.write("hello").expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("hello"));
        for (long at : new long[] {200, 600, 1_400}) {
            quietUntil(t, at).expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("hello"));
        }
        quietUntil(t, 3_000).expectNothing().assertState(State.CLOSED);
        assertThat(t.failures).containsExactly(Errno.ETIMEDOUT);
    }

    @Test
    void ackEndsTheBackoff() throws Exception {
        Transcript t = new Transcript().established();
        t.write("a").drain();
        t.advance(ms(200)).expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("a"));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2));
        t.write("b").expect(out().psh().seq(ISS + 2).ack(PEER_ISS + 1).payload("b"));
        assertThat(t.deadline()).isEqualTo(t.after(ms(200)));
    }

    @Test
    void karnTakesNoSampleFromARetransmittedSyn() throws Exception {
        Transcript t = new Transcript().synSent();
        t.advance(ms(1_000)).expect(out().syn().seq(ISS).mss(1460));
        t.advance(ms(500));
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        ConnectionStatus s = t.c.status(t.now);
        assertThat(s.srtt()).isZero();
        assertThat(s.rto()).as("back to the initial RTO, no sample").isEqualTo(ms(1_000).toNanos());
    }

    @Test
    void rtoFollowsTheMeasuredRoundTrip() throws Exception {
        Transcript t = new Transcript().synSent();
        t.advance(ms(300));
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        // SRTT 300 ms, RTTVAR 150 ms: RTO = 300 + 4 * 150 = 900 ms (RFC 6298 §2.2).
        t.write("x").drain();
        quietUntil(t, 300 + 900).expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("x"));
    }

    @Test
    void theMinimumRtoFloorsTheVarianceTermNotTheSum() throws Exception {
        // Linux's __tcp_set_rto: SRTT + max(4 * deviation, TCP_RTO_MIN) = 10 + 200 ms (RFC 6298 would say 200).
        Transcript t = new Transcript().synSent();
        t.advance(ms(10));
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).drain();
        assertThat(t.c.status(t.now).rto()).isEqualTo(ms(210).toNanos());
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmit() throws Exception {
        Transcript t = new Transcript().established();
        t.write(DataTransferTest.text(5 * 1460, 'd'));
        assertThat(t.drain()).hasSize(5);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1461)).expectNothing();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1461)).expectNothing();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1461)).expectNothing();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1461))
                .expect(out().seq(ISS + 1461).ack(PEER_ISS + 1).payload(DataTransferTest.text(1460, 'd')))
                .expectNothing();
        assertThat(t.c.status(t.now).retransmittedSegments()).isEqualTo(1);
    }

    @Test
    void finIsRetransmitted() throws Exception {
        Transcript t = new Transcript().finWait1();
        quietUntil(t, 200).expect(out().fin().seq(ISS + 1).ack(PEER_ISS + 1));
        quietUntil(t, 600).expect(out().fin().seq(ISS + 1).ack(PEER_ISS + 1));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2)).assertState(State.FIN_WAIT_2);
    }

    @Test
    void userTimeoutFailsTheConnectionWhenItRunsOut() throws Exception {
        Transcript t = withOptions(o -> o.userTimeout = Duration.ofSeconds(5)).established();
        t.write("x").drain();
        for (long at : new long[] {200, 600, 1_400, 3_000}) {
            quietUntil(t, at).expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("x"));
        }
        // Linux clamps the backed-off RTO (3.2 s) to the user timeout (tcp_clamp_rto_to_user_timeout).
        quietUntil(t, 5_000).expectNothing().assertState(State.CLOSED);
        assertThat(t.failures).containsExactly(Errno.ETIMEDOUT);
        assertThat(t.lastTransition()).isEqualTo("ESTABLISHED -> CLOSED (USER_TIMEOUT)");
    }

    static Transcript keepalive() throws ErrnoException {
        return withOptions(o -> {
            o.keepAlive = true;
            o.keepIdle = Duration.ofSeconds(10);
            o.keepIntvl = Duration.ofSeconds(2);
            o.keepCnt = 3;
        }).established();
    }

    @Test
    void unansweredKeepalivesResetTheConnection() throws Exception {
        Transcript t = keepalive();
        for (long at : new long[] {10_000, 12_000, 14_000}) {
            quietUntil(t, at).expect(out().seq(ISS).ack(PEER_ISS + 1));
        }
        quietUntil(t, 16_000).expect(outRst().ack(PEER_ISS + 1).seq(ISS + 1)).assertState(State.CLOSED);
        assertThat(t.failures).containsExactly(Errno.ETIMEDOUT);
        assertThat(t.lastTransition()).isEqualTo("ESTABLISHED -> CLOSED (KEEPALIVE_TIMEOUT)");
    }

    @Test
    void answeredKeepalivesKeepTheConnection() throws Exception {
        Transcript t = keepalive();
        for (long at = 10_000; at <= 100_000; at += 10_000) {
            quietUntil(t, at).expect(out().seq(ISS).ack(PEER_ISS + 1));
            t.send(in().seq(PEER_ISS + 1).ack(ISS + 1)).expectNothing();
        }
        t.assertState(State.ESTABLISHED);
    }

    @Test
    void noKeepaliveUnlessAsked() throws Exception {
        Transcript t = new Transcript().established();
        assertThat(t.deadline()).isEqualTo(Long.MAX_VALUE);
        t.advance(Duration.ofHours(3)).expectNothing().assertState(State.ESTABLISHED);
    }

    @Test
    void finTimeoutEndsAnOrphanInFinWait2() throws Exception {
        Transcript t = new Transcript().finWait2();
        assertThat(t.deadline()).isEqualTo(t.after(ms(60_000)));
        t.advance(ms(59_999)).assertState(State.FIN_WAIT_2);
        t.advance(ms(1)).expectNothing().assertState(State.CLOSED);
        assertThat(t.lastTransition()).isEqualTo("FIN_WAIT_2 -> CLOSED (FIN_WAIT_2_TIMEOUT)");
    }

    @Test
    void halfClosedConnectionWaitsInFinWait2Forever() throws Exception {
        Transcript t = new Transcript().established();
        t.shutdownOutput().drain();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2)).assertState(State.FIN_WAIT_2);
        assertThat(t.deadline()).isEqualTo(Long.MAX_VALUE);
        t.advance(Duration.ofMinutes(10)).assertState(State.FIN_WAIT_2);
        // Closing it later makes it an orphan: now fin_timeout applies.
        t.close();
        assertThat(t.deadline()).isEqualTo(t.after(ms(60_000)));
    }
}
