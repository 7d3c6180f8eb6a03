package io.jtcp.tcp;

import io.jtcp.wire.DropReason;
import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 5961 §7: challenge ACKs are rate-limited, so blind RSTs and SYNs cannot make us flood the link. */
class ChallengeAckLimitTest {

    @Test
    void oneChallengeAckPerIntervalThenAnother() throws Exception {
        Transcript t = new Transcript().established();
        t.send(in().rst().seq(PEER_ISS + 100)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        t.send(in().rst().seq(PEER_ISS + 200)).expectNothing();
        t.send(in().syn().seq(PEER_ISS + 300)).expectNothing();
        assertThat(t.drops).containsExactly(DropReason.RST_IN_WINDOW, DropReason.RST_IN_WINDOW,
                DropReason.SYN_IN_SYNCHRONIZED_STATE);
        t.advance(ms(500));
        t.send(in().rst().seq(PEER_ISS + 400)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        t.assertState(State.ESTABLISHED);
    }

    @Test
    void dataOutOfWindowIsAlwaysAnswered() throws Exception {
        Transcript t = new Transcript().established();
        t.send(in().seq(PEER_ISS + 1 + 70_000).ack(ISS + 1).payload("x")).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        t.send(in().seq(PEER_ISS + 1 + 80_000).ack(ISS + 1).payload("y")).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
    }
}
