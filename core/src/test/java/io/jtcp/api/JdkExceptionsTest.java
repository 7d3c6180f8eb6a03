package io.jtcp.api;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.jtcp.api.Hosts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The socket layer throws the JDK's exception types and messages, each still carrying its errno. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JdkExceptionsTest {

    @Test
    void refusedConnectIsAConnectExceptionCarryingEconnrefused() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket c = TcpSocket.open(h.client);
            Throwable t = catchThrowable(() -> c.connect(new InetSocketAddress(InetAddress.getByName(SERVER), 81)));
            assertThat(t).isInstanceOf(ConnectException.class).hasMessage("Connection refused");
            assertThat(ErrnoCarrier.errnoOf(t)).isEqualTo(Errno.ECONNREFUSED);
            // The async form fails with the same type.
            Throwable async = catchThrowable(() -> bounded(TcpSocket.open(h.client).connectAsync(SERVER, 81)));
            assertThat(async).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ConnectException.class);
            assertThat(ErrnoCarrier.errnoOf(async)).isEqualTo(Errno.ECONNREFUSED);
        }
    }

    @Test
    void bindConflictIsABindExceptionCarryingEaddrinuse() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket.listen(h.server, 80, 4);
            Throwable t = catchThrowable(() -> TcpServerSocket.open(h.server).bind(new InetSocketAddress(80)));
            assertThat(t).isInstanceOf(BindException.class).hasMessage("Address already in use");
            assertThat(ErrnoCarrier.errnoOf(t)).isEqualTo(Errno.EADDRINUSE);
            // The engine's detail stays reachable as the cause.
            assertThat(t.getCause()).isInstanceOf(ErrnoException.class).hasMessageContaining("EADDRINUSE");
        }
    }

    @Test
    void closedSocketSaysSocketClosedWithEbadf() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket c = h.connect(TcpServerSocket.listen(h.server, 80, 4))[0];
            c.close();
            Throwable t = catchThrowable(() -> c.read(new byte[1], 0, 1));
            assertThat(t).isInstanceOf(SocketException.class).hasMessage("Socket closed");
            assertThat(ErrnoCarrier.errnoOf(t)).isEqualTo(Errno.EBADF);
        }
    }

    @Test
    void resetSaysConnectionReset() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket[] pair = h.connect(TcpServerSocket.listen(h.server, 80, 4));
            pair[1].abort();
            Throwable t = catchThrowable(() -> pair[0].read(new byte[1], 0, 1));
            assertThat(t).isInstanceOf(SocketException.class).hasMessage("Connection reset");
            assertThat(ErrnoCarrier.errnoOf(t)).isEqualTo(Errno.ECONNRESET);
        }
    }

    @Test
    void addressesAreInetSocketAddresses() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket server = TcpServerSocket.open(h.server);
            server.bind(new InetSocketAddress(InetAddress.getByName(SERVER), 80));
            server.listen(4);
            assertThat(server.localAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName(SERVER), 80));
            TcpSocket c = TcpSocket.open(h.client);
            c.bind(new InetSocketAddress(4000));
            assertThat(c.localAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 4000));
            var accepted = server.acceptAsync();
            c.connect(server.localAddress());
            assertThat(c.localAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName(CLIENT), 4000));
            assertThat(c.remoteAddress()).isEqualTo(server.localAddress());
            assertThat(bounded(accepted).remoteAddress()).isEqualTo(c.localAddress());
        }
    }

    @Test
    void unresolvedIsUnknownHostAndIpv6GoesToTheHostsOwnIpv6Loopback() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket c = TcpSocket.open(h.client);
            Throwable unresolved = catchThrowable(() -> c.connect(InetSocketAddress.createUnresolved("no.such.host", 80)));
            assertThat(unresolved).isInstanceOf(UnknownHostException.class).hasMessage("no.such.host");
            // IPv6 is a family the stack speaks: ::1 is always the host's own, and nothing listens on its port 80.
            InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 80);
            Throwable t = catchThrowable(() -> c.connect(v6));
            assertThat(t).isInstanceOf(ConnectException.class).hasMessage("Connection refused");
            assertThat(ErrnoCarrier.errnoOf(t)).isEqualTo(Errno.ECONNREFUSED);
            TcpServerSocket server = TcpServerSocket.open(h.server);
            server.bind(v6);
            assertThat(server.localAddress()).isEqualTo(v6);
            server.close();
        }
    }
}
