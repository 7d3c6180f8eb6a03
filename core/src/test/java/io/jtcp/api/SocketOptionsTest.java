package io.jtcp.api;

import io.jtcp.link.MemoryNetwork;
import io.jtcp.tcp.State;
import io.jtcp.config.Sysctls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.jtcp.api.Hosts.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Socket options through the API: SO_LINGER, close with unread data, keepalive re-arming, validation. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketOptionsTest {

    static List<ConnectionStatus> of(StackLoop loop, TcpSocket s) throws Exception {
        int port = s.localPort();
        return connections(loop).stream().filter(c -> c.tuple().localPort() == port).toList();
    }

    @Test
    void lingerZeroResetsThePeerAndLeavesNoTimeWait() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket[] pair = h.connect(TcpServerSocket.listen(h.server, 80, 4));
            TcpSocket client = pair[0], accepted = pair[1];
            client.setOption(TcpOption.SO_LINGER, Duration.ZERO);
            var read = accepted.readAsync(new byte[10], 0, 10);
            client.close();
            assertThat(errnoOf(() -> bounded(read))).isEqualTo(Errno.ECONNRESET);
            assertThat(of(h.client, client)).as("no TIME_WAIT on the closer").isEmpty();
            assertThat(bounded(h.client.call(() -> h.client.stack().counters().outResets))).isPositive();
        }
    }

    @Test
    void tcpQuickAckZeroEntersInteractiveModeAndOneLeavesIt() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket[] pair = h.connect(TcpServerSocket.listen(h.server, 80, 4));
            TcpSocket client = pair[0];
            assertThat(client.quickAck()).isTrue();
            client.setQuickAck(false);
            assertThat(client.quickAck()).isFalse();
            client.setQuickAck(true);
            assertThat(client.quickAck()).isTrue();
            client.close();
            assertThat(errnoOf(() -> client.setQuickAck(false))).isEqualTo(Errno.EBADF);
        }
    }

    @Test
    void anOrdinaryCloseLeavesTimeWaitOnTheCloser() throws Exception {
        try (Hosts h = Hosts.keepingTimeWait()) {
            TcpSocket[] pair = h.connect(TcpServerSocket.listen(h.server, 80, 4));
            pair[0].close();
            assertThat(pair[1].read(new byte[10], 0, 10)).isEqualTo(-1);
            pair[1].close();
            int port = pair[0].localPort();
            awaitConnection(h.client, c -> c.tuple().localPort() == port && c.state() == State.TIME_WAIT);
        }
    }

    @Test
    void closeWithUnreadDataSendsRst() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket[] pair = h.connect(TcpServerSocket.listen(h.server, 80, 4));
            TcpSocket client = pair[0], accepted = pair[1];
            accepted.getOutputStream().write("unread".getBytes(StandardCharsets.US_ASCII));
            awaitConnection(h.client, c -> c.receiveQueue() > 0);
            var read = accepted.readAsync(new byte[10], 0, 10);
            client.close();
            assertThat(errnoOf(() -> bounded(read))).isEqualTo(Errno.ECONNRESET);
            assertThat(of(h.client, client)).isEmpty();
        }
    }

    @Test
    void lingerAboveZeroWaitsForTheFinToBeAcknowledged() throws Exception {
        try (Hosts h = new Hosts(new MemoryNetwork(Duration.ofMillis(30)), Sysctls.linux())) {
            TcpSocket[] pair = h.connect(TcpServerSocket.listen(h.server, 80, 4));
            TcpSocket client = pair[0];
            client.setOption(TcpOption.SO_LINGER, Duration.ofSeconds(20));
            client.getOutputStream().write(new byte[50_000]);
            onVirtualThread(() -> {
                client.close();
                return null;
            });
            // close() returned, so the FIN (sent ~30 ms before its ACK can come back) is acknowledged.
            assertThat(of(h.client, client)).extracting(ConnectionStatus::state)
                    .singleElement().isIn(State.FIN_WAIT_2, State.TIME_WAIT);
            assertThat(pair[1].getInputStream().readAllBytes()).hasSize(50_000);
        }
    }

    @Test
    void keepaliveSetOnALiveConnectionArmsAndDisarmsTheTimer() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket client = h.connect(TcpServerSocket.listen(h.server, 80, 4))[0];
            assertThat(client.status().timer()).isEqualTo("off");

            client.setOption(TcpOption.TCP_KEEPIDLE, Duration.ofHours(1));
            client.setOption(TcpOption.SO_KEEPALIVE, true);
            ConnectionStatus armed = client.status();
            assertThat(armed.timer()).isEqualTo("keepalive");
            assertThat(armed.timerRemaining()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1).toNanos());

            client.setOption(TcpOption.TCP_KEEPIDLE, Duration.ofMinutes(5));
            assertThat(client.status().timerRemaining()).isLessThanOrEqualTo(Duration.ofMinutes(5).toNanos());

            client.setOption(TcpOption.SO_KEEPALIVE, false);
            assertThat(client.status().timer()).isEqualTo("off");
        }
    }

    @Test
    void unansweredKeepaliveProbesEndTheConnectionWithEtimedout() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket client = h.connect(TcpServerSocket.listen(h.server, 80, 4))[0];
            client.setOption(TcpOption.TCP_KEEPIDLE, Duration.ofMillis(50));
            client.setOption(TcpOption.TCP_KEEPINTVL, Duration.ofMillis(20));
            client.setOption(TcpOption.TCP_KEEPCNT, 2);
            h.net.setDown(io.jtcp.wire.IpAddress.parse(SERVER), true);
            client.setOption(TcpOption.SO_KEEPALIVE, true);
            assertThat(errnoOf(() -> onVirtualThread(() -> client.read(new byte[10], 0, 10)))).isEqualTo(Errno.ETIMEDOUT);
        }
    }

    @Test
    void optionsAreValidatedAndReadBack() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket s = TcpSocket.open(h.client);
            assertThat(errnoOf(() -> s.setOption(TcpOption.TCP_KEEPCNT, 0))).isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> s.setOption(TcpOption.TCP_KEEPIDLE, Duration.ZERO))).isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> s.setOption(TcpOption.SO_LINGER, Duration.ofSeconds(-1)))).isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> s.setOption(TcpOption.TCP_MAXSEG, 10))).isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> s.setOption(TcpOption.SO_RCVBUF, null))).isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> s.setOption(TcpOption.SO_KEEPALIVE, null))).isEqualTo(Errno.EINVAL);

            s.setOption(TcpOption.TCP_NODELAY, true);
            s.setOption(TcpOption.TCP_USER_TIMEOUT, Duration.ofSeconds(3));
            s.setOption(TcpOption.TCP_LINGER2, Duration.ofSeconds(5));
            s.setOption(TcpOption.SO_SNDBUF, 32768);
            s.setOption(TcpOption.TCP_MAXSEG, 536);
            assertThat(s.getOption(TcpOption.TCP_NODELAY)).isTrue();
            assertThat(s.getOption(TcpOption.TCP_USER_TIMEOUT)).isEqualTo(Duration.ofSeconds(3));
            assertThat(s.getOption(TcpOption.TCP_LINGER2)).isEqualTo(Duration.ofSeconds(5));
            assertThat(s.getOption(TcpOption.SO_SNDBUF)).as("doubled, as Linux reports it").isEqualTo(65536);
            s.setOption(TcpOption.SO_RCVBUF, 1);
            assertThat(s.getOption(TcpOption.SO_RCVBUF)).as("floored at SOCK_MIN_RCVBUF").isEqualTo(2304);
            s.setOption(TcpOption.SO_RCVBUF, 1 << 30);
            assertThat(s.getOption(TcpOption.SO_RCVBUF)).as("cut to rmem_max, then doubled").isEqualTo(2 * 4_194_304);
            assertThat(s.getOption(TcpOption.SO_LINGER)).isNull();
            assertThat(s.getOption(TcpOption.SO_KEEPALIVE)).isFalse();

            TcpServerSocket server = TcpServerSocket.listen(h.server, 80, 4);
            server.setOption(TcpOption.TCP_NODELAY, true); // after listen: reaches connections accepted from now on
            s.connect(SERVER, 80);
            TcpSocket accepted = server.accept();
            assertThat(accepted.getOption(TcpOption.TCP_NODELAY)).isTrue();
            assertThat(s.status().advertisedMss()).isEqualTo(536);
        }
    }
}
