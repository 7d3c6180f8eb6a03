package io.jtcp.tcp;

import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The three-way handshake from both ends, and every state fixture reachable by a real exchange. */
class HandshakeTest {

    @Test
    void activeOpenCompletesOnSynAck() throws Exception {
        Transcript t = new Transcript().established();
        assertThat(t.transitions).containsExactly(
                "CLOSED -> SYN_SENT (ACTIVE_OPEN)", "SYN_SENT -> ESTABLISHED (SYN_ACK_RECEIVED)");
    }

    @Test
    void passiveOpenCompletesOnAckOfSynAck() throws Exception {
        Transcript t = new Transcript().synReceived();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1)).expectNothing().assertState(State.ESTABLISHED);
        assertThat(t.lastTransition()).isEqualTo("SYN_RECEIVED -> ESTABLISHED (ACK_OF_SYN)");
    }

    @Test
    void everyStateIsReachable() throws Exception {
        new Transcript().synSent();
        new Transcript().listening();
        new Transcript().synReceived();
        new Transcript().established();
        new Transcript().finWait1();
        new Transcript().finWait2();
        new Transcript().closing();
        new Transcript().timeWait();
        new Transcript().closeWait();
        new Transcript().lastAck();
    }
}
