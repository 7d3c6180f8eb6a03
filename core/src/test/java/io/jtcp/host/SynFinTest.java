package io.jtcp.host;

import io.jtcp.config.Sysctls;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.State;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.Seg;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.util.List;
import org.junit.jupiter.api.Test;

import static io.jtcp.wire.Seg.seg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SYN+FIN is judged by the state it finds, as in Linux: a closed port answers it like
 * any segment (tcp_v4_send_reset), a listener drops it (tcp_rcv_state_process), a
 * synchronized connection answers the SYN with a challenge ACK (RFC 5961 §4), and
 * TIME_WAIT treats it as the SYN it is.
 */
class SynFinTest {
    private static final String PEER = "10.0.0.1";
    private final RawHost host = new RawHost(Sysctls.linux());
    private Connection accepted;

    private static Seg fromPeer() {
        return seg().from(PEER, 40000).to(RawHost.ADDRESS, 80).win(64240);
    }

    /** A listener on port 80 whose connections the test keeps. */
    private void listen() throws Exception {
        host.stack.listen(80, (c, now) -> {
            accepted = c;
            return new SocketHandler() {};
        });
    }

    /** Completes a handshake from the peer (ISN 1000); returns the host's ISS. */
    private int handshake() throws Exception {
        listen();
        Segment synAck = host.receive(fromPeer().syn().seq(1000).encode(), 0).getFirst();
        host.receive(fromPeer().seq(1001).ack(synAck.seq + 1).encode(), 1_000_000);
        assertThat(accepted.state()).isEqualTo(State.ESTABLISHED);
        return synAck.seq;
    }

    @Test
    void aClosedPortAnswersSynFinWithRstAckCoveringSynFinAndData() {
        List<Segment> answer = host.receive(fromPeer().syn().fin().seq(1000).payload("abc").encode(), 0);
        assertThat(answer).hasSize(1);
        assertThat(answer.getFirst().flags).isEqualTo(TcpFlags.RST | TcpFlags.ACK);
        assertThat(answer.getFirst().ack).isEqualTo(1000 + 1 + 3 + 1);
    }

    @Test
    void aClosedPortDoesNotAnswerSynRst() {
        assertThat(host.receive(fromPeer().syn().rst().seq(1000).encode(), 0)).isEmpty();
    }

    @Test
    void aListenerDropsSynFinWithoutAnswerOrConnection() throws Exception {
        listen();
        assertThat(host.receive(fromPeer().syn().fin().seq(1000).encode(), 0)).isEmpty();
        assertThat(host.stack.connectionCount()).isZero();
        assertThat(host.stack.counters().drops(DropReason.LISTEN_SYN_FIN)).isEqualTo(1);
    }

    @Test
    void anEstablishedConnectionAnswersSynFinWithAChallengeAckAndStays() throws Exception {
        int iss = handshake();
        List<Segment> answer = host.receive(fromPeer().syn().fin().seq(1001).encode(), 2_000_000);
        assertThat(answer).hasSize(1);
        assertThat(answer.getFirst().flags).isEqualTo(TcpFlags.ACK);
        assertThat(answer.getFirst().seq).isEqualTo(iss + 1);
        assertThat(answer.getFirst().ack).isEqualTo(1001);
        assertThat(accepted.state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void timeWaitTreatsSynFinAsItsSyn() throws Exception {
        int iss = handshake();
        accepted.close(2_000_000); // the host's FIN
        host.receive(fromPeer().fin().seq(1001).ack(iss + 2).encode(), 3_000_000);
        assertThat(host.stack.timeWaitCount()).isEqualTo(1);

        // An old SYN+FIN gets the TIME_WAIT ACK.
        List<Segment> old = host.receive(fromPeer().syn().fin().seq(500).encode(), 4_000_000);
        assertThat(old).hasSize(1);
        assertThat(old.getFirst().flags).isEqualTo(TcpFlags.ACK);
        assertThat(old.getFirst().ack).isEqualTo(1002);

        // A newer one ends TIME_WAIT and goes to the listener, which drops it (Linux's TCP_TW_SYN).
        assertThat(host.receive(fromPeer().syn().fin().seq(900_000).encode(), 5_000_000)).isEmpty();
        assertThat(host.stack.timeWaitCount()).isZero();
        assertThat(host.stack.connectionCount()).isZero();
        assertThat(host.stack.counters().drops(DropReason.LISTEN_SYN_FIN)).isEqualTo(1);
    }
}
