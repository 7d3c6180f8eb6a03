package io.jtcp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.api.ConnectionStatus;
import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.host.TimeWaitProbe;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HandshakePeerTest {
    private static final long NOW = 1_000_000_000L;

    private static Stack server(Sysctls cfg, HandshakePeer peer) throws Exception {
        Stack s = new Stack("server", Churn.SERVER, cfg, peer, 1, NOW);
        s.setChecksumOffload(true);
        SocketOptions keep = new SocketOptions(cfg);
        keep.keepAlive = true;
        s.listen(80, 128, keep, (l, now) -> {
            while (l.accept((c, t) -> new SocketHandler() {}) != null) {
                // accepted and left idle
            }
        });
        return s;
    }

    @Test
    void everyHandshakeCompletesIntoAnEstablishedConnectionWithKeepaliveArmed() throws Exception {
        HandshakePeer peer = new HandshakePeer(Churn.SERVER.v4(), 80, 0x0a010000);
        Stack s = server(Sysctls.linux(), peer);
        long[] which = {0, 1, 2, 64_511, 64_512, 64_513, 200_000};  // across client addresses
        for (long i : which) assertThat(peer.open(s, i, NOW)).isTrue();

        assertThat(s.connectionCount()).isEqualTo(which.length);
        Set<String> tuples = new HashSet<>();
        for (ConnectionStatus c : s.connections()) {
            assertThat(c.state()).isEqualTo(State.ESTABLISHED);
            assertThat(c.timer()).isEqualTo("keepalive");
            assertThat(c.sack()).isTrue();
            tuples.add(c.tuple().remoteAddr() + ":" + c.tuple().remotePort());
        }
        assertThat(tuples).hasSize(which.length);
    }

    @Test
    void timeWaitEntriesGoIntoTheStacksOwnTableBesideItsConnections() throws Exception {
        HandshakePeer peer = new HandshakePeer(Churn.SERVER.v4(), 80, 0x0a010000);
        Stack s = server(Sysctls.linux(), peer);
        assertThat(peer.open(s, 0, NOW)).isTrue();
        TimeWaitProbe.fill(s, 80, 70_000, NOW);
        assertThat(s.timeWaitCount()).isEqualTo(70_000);
        assertThat(s.connectionCount()).isEqualTo(1);
    }
}
