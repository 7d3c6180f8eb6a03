package io.jtcp.api;

import io.jtcp.config.Sysctls;
import io.jtcp.link.MemoryNetwork;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.jtcp.api.Hosts.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Each misuse of the sockets API fails with the errno Linux gives for it. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketErrnoTest {

    @Test
    void connectTwiceIsEisconn() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket server = TcpServerSocket.listen(h.server, 80, 4);
            TcpSocket c = h.connect(server)[0];
            assertThat(errnoOf(() -> c.connect(SERVER, 80))).isEqualTo(Errno.EISCONN);
        }
    }

    @Test
    void connectWhileConnectingIsEalready() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket c = TcpSocket.open(h.client);
            c.connectAsync(NOBODY, 80);
            assertThat(errnoOf(() -> c.connect(NOBODY, 80))).isEqualTo(Errno.EALREADY);
            c.close();
        }
    }

    @Test
    void acceptOnANonListeningSocketIsEinval() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket s = TcpServerSocket.open(h.server);
            assertThat(errnoOf(s::accept)).isEqualTo(Errno.EINVAL);
            s.bind(80);
            assertThat(errnoOf(() -> bounded(s.acceptAsync()))).isEqualTo(Errno.EINVAL);
        }
    }

    @Test
    void writeAfterShutdownOutputIsEpipe() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket c = h.connect(TcpServerSocket.listen(h.server, 80, 4))[0];
            c.shutdownOutput();
            assertThat(errnoOf(() -> c.getOutputStream().write(1))).isEqualTo(Errno.EPIPE);
        }
    }

    @Test
    void readOrShutdownOnAnUnconnectedSocketIsEnotconn() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket c = TcpSocket.open(h.client);
            assertThat(errnoOf(() -> c.getInputStream().read())).isEqualTo(Errno.ENOTCONN);
            assertThat(errnoOf(c::shutdownOutput)).isEqualTo(Errno.ENOTCONN);
            assertThat(errnoOf(c::shutdownInput)).isEqualTo(Errno.ENOTCONN);
            // Linux's send(2) on a socket that never connected: EPIPE.
            assertThat(errnoOf(() -> c.write(new byte[1], 0, 1))).isEqualTo(Errno.EPIPE);
        }
    }

    @Test
    void bindToABusyPortIsEaddrinuse() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket.listen(h.server, 8080, 4);
            TcpServerSocket second = TcpServerSocket.open(h.server);
            assertThat(errnoOf(() -> second.bind(8080))).isEqualTo(Errno.EADDRINUSE);
            // SO_REUSEADDR never shares a port with a listener.
            second.setOption(TcpOption.SO_REUSEADDR, true);
            assertThat(errnoOf(() -> second.bind(8080))).isEqualTo(Errno.EADDRINUSE);

            TcpSocket a = TcpSocket.open(h.client), b = TcpSocket.open(h.client);
            a.bind(5000);
            assertThat(errnoOf(() -> b.bind(5000))).isEqualTo(Errno.EADDRINUSE);
            a.close();
            b.bind(5000); // free again once the holder closed
        }
    }

    @Test
    void aPortHeldByTimeWaitIsEaddrinuseAtBindUnlessBothReuse() throws Exception {
        try (Hosts h = Hosts.keepingTimeWait()) {
            TcpServerSocket first = TcpServerSocket.open(h.server);
            first.setOption(TcpOption.SO_REUSEADDR, true);
            first.bind(8080);
            first.listen(4);
            TcpSocket[] pair = h.connect(first);
            pair[1].close(); // the server closes first...
            pair[0].close(); // ...and once the client closes too, the server's end sits in TIME_WAIT
            Hosts.awaitConnection(h.server, c -> c.state() == io.jtcp.tcp.State.TIME_WAIT);
            first.close();

            // Linux refuses at bind(2) itself, not later at listen(2).
            TcpServerSocket plain = TcpServerSocket.open(h.server);
            assertThat(errnoOf(() -> plain.bind(8080))).isEqualTo(Errno.EADDRINUSE);
            TcpServerSocket reusing = TcpServerSocket.open(h.server);
            reusing.setOption(TcpOption.SO_REUSEADDR, true);
            reusing.bind(8080);
            reusing.listen(4);
        }
    }

    @Test
    void twoReuseaddrSocketsShareAPortButOnlyOneMayListen() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket a = TcpServerSocket.open(h.server), b = TcpServerSocket.open(h.server);
            a.setOption(TcpOption.SO_REUSEADDR, true);
            b.setOption(TcpOption.SO_REUSEADDR, true);
            a.bind(8080);
            b.bind(8080);
            a.listen(4);
            assertThat(errnoOf(() -> b.listen(4))).isEqualTo(Errno.EADDRINUSE);
        }
    }

    @Test
    void portOutOfRangeIsEinval() throws Exception {
        try (Hosts h = new Hosts()) {
            assertThat(errnoOf(() -> TcpServerSocket.open(h.server).bind(70000))).isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> TcpSocket.open(h.client).bind(-1))).isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> TcpSocket.open(h.client).connect(SERVER, 0))).isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> TcpSocket.open(h.client).connect(SERVER, 65536))).isEqualTo(Errno.EINVAL);
        }
    }

    @Test
    void bindTwiceIsEinval() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket s = TcpSocket.open(h.client);
            s.bind(4000);
            assertThat(errnoOf(() -> s.bind(4001))).isEqualTo(Errno.EINVAL);
        }
    }

    @Test
    void bindToAnotherHostsAddressOrRunningOutOfPortsIsEaddrnotavail() throws Exception {
        Sysctls twoPorts = Sysctls.linux().set("ip_local_port_range", "40000 40001");
        try (Hosts h = new Hosts(new MemoryNetwork(), twoPorts)) {
            assertThat(errnoOf(() -> TcpSocket.open(h.client).bind("10.9.9.9", 80))).isEqualTo(Errno.EADDRNOTAVAIL);
            TcpSocket.open(h.client).bind(CLIENT, 80);
            TcpSocket.open(h.client).bind("0.0.0.0", 81);

            TcpServerSocket server = TcpServerSocket.listen(h.server, 80, 8);
            h.connect(server);
            h.connect(server);
            assertThat(errnoOf(() -> TcpSocket.open(h.client).connect(SERVER, 80))).isEqualTo(Errno.EADDRNOTAVAIL);
        }
    }

    @Test
    void connectToAPortNobodyListensOnIsEconnrefused() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket c = TcpSocket.open(h.client);
            assertThat(errnoOf(() -> c.connect(SERVER, 9))).isEqualTo(Errno.ECONNREFUSED);
            // Like Linux, a socket whose connect failed may try again.
            TcpServerSocket.listen(h.server, 9, 1);
            c.connect(SERVER, 9);
            assertThat(c.remotePort()).isEqualTo(9);
        }
    }

    @Test
    void connectToAHostThatNeverAnswersIsEtimedout() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket c = TcpSocket.open(h.client);
            assertThat(errnoOf(() -> c.connect(NOBODY, 80, Duration.ofMillis(200)))).isEqualTo(Errno.ETIMEDOUT);
            // The abandoned attempt is aborted: nothing is left in SYN_SENT.
            bounded(h.client.when(() -> h.client.stack().connectionCount() == 0));
        }
    }

    @Test
    void callsOnAClosedSocketAreEbadf() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket server = TcpServerSocket.listen(h.server, 80, 4);
            TcpSocket c = h.connect(server)[0];
            var pendingAccept = server.acceptAsync();
            c.close();
            assertThat(errnoOf(() -> c.read(new byte[1], 0, 1))).isEqualTo(Errno.EBADF);
            assertThat(errnoOf(() -> c.write(new byte[1], 0, 1))).isEqualTo(Errno.EBADF);
            server.close();
            assertThat(errnoOf(() -> bounded(pendingAccept))).isEqualTo(Errno.EBADF);
            assertThat(errnoOf(server::accept)).isEqualTo(Errno.EBADF);
        }
    }

    @Test
    void aReadBlockedWhenTheSocketIsClosedFailsWithEbadf() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket c = h.connect(TcpServerSocket.listen(h.server, 80, 4))[0];
            var read = c.readAsync(new byte[10], 0, 10);
            c.close();
            assertThat(errnoOf(() -> bounded(read))).isEqualTo(Errno.EBADF);
        }
    }
}
