package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import io.jtcp.api.Errno;

import io.jtcp.wire.DropReason;
import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/** TCP_DEFER_ACCEPT as Linux's tcp_check_req, syn_ack_recalc and secs_to_retrans do it. */
class DeferAcceptTest {

    @Test
    void secondsBecomeSynAckTimeouts() {
        assertThat(DeferAccept.secondsToRetransmissions(0, 1, 120)).isZero();
        assertThat(DeferAccept.secondsToRetransmissions(1, 1, 120)).isEqualTo(1);
        assertThat(DeferAccept.secondsToRetransmissions(3, 1, 120)).isEqualTo(2);
        assertThat(DeferAccept.secondsToRetransmissions(5, 1, 120)).isEqualTo(3);
        assertThat(DeferAccept.secondsToRetransmissions(200, 1, 120)).isEqualTo(8); // 1+2+...+64 = 127, +120 = 247
    }

    @Test
    void getsockoptReportsTheSecondsTheTimeoutsSpan() {
        io.jtcp.config.Sysctls linux = io.jtcp.config.Sysctls.linux();
        SocketOptions o = new SocketOptions(linux);
        int[][] setAndRead = {{0, 0}, {-3, 0}, {1, 1}, {2, 3}, {3, 3}, {5, 7}, {7, 7}, {8, 15}, {200, 247}};
        for (int[] pair : setAndRead) {
            o.deferAccept = pair[0];
            assertThat(o.deferAcceptReported(linux)).as("TCP_DEFER_ACCEPT %d", pair[0]).isEqualTo(pair[1]);
        }
    }

    private static Transcript deferring(int seconds) throws ErrnoException {
        return withOptions(o -> o.deferAccept = seconds).synReceived();
    }

    @Test
    void aBareFinalAckDoesNotCompleteTheHandshake() throws Exception {
        Transcript t = deferring(5); // three SYN-ACK timeouts: 1 + 2 + 4 s
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1)).expectNothing().assertState(State.SYN_RECEIVED);
        assertThat(t.drops).containsExactly(DropReason.DEFER_ACCEPT);
        // Acknowledged: no SYN-ACK at 1 s or 3 s, the last chance comes at the period's last timeout, 7 s.
        t.advance(ms(6_999)).expectNothing();
        t.advance(ms(1)).expect(out().syn().seq(ISS).ack(PEER_ISS + 1).mss(1460));
        // The period is over: a bare ACK completes the handshake now.
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1)).expectNothing().assertState(State.ESTABLISHED);
    }

    @Test
    void theFirstDataCompletesItAtOnce() throws Exception {
        Transcript t = deferring(5);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1)).assertState(State.SYN_RECEIVED);
        t.advance(ms(2_000));
        t.send(in().psh().seq(PEER_ISS + 1).ack(ISS + 1).payload("GET")).assertState(State.ESTABLISHED);
        assertThat(t.read()).isEqualTo("GET");
    }

    @Test
    void anAcknowledgedRequestOutlivesTcpSynackRetriesUntilThePeriodEnds() throws Exception {
        Transcript t = deferring(200); // eight timeouts, more than tcp_synack_retries' five
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1)).assertState(State.SYN_RECEIVED);
        t.advance(ms(127_000 + 119_999)).assertState(State.SYN_RECEIVED);
        assertThat(t.drain()).as("resent only at the period's last timeout, 247 s").isEmpty();
        t.advance(ms(1)).expect(out().syn().seq(ISS).ack(PEER_ISS + 1).mss(1460));
        t.advance(ms(120_000)).assertState(State.CLOSED);
        assertThat(t.failures).containsExactly(Errno.ETIMEDOUT);
    }

    @Test
    void withoutTheOptionTheBareAckCompletesIt() throws Exception {
        Transcript t = new Transcript().synReceived();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1)).assertState(State.ESTABLISHED);
    }
}
