package io.jtcp.net;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoCarrier;
import io.jtcp.api.HostContext;
import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpOption;
import io.jtcp.api.ThreadConditions;
import io.jtcp.link.MemoryNetwork;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Plain java.net.Socket and ServerSocket code, through jtcp's factories, on two hosts of a MemoryNetwork. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JavaNetOverJtcpTest {
    private static final String CLIENT = "10.0.0.1", SERVER = "10.0.0.2";

    private final MemoryNetwork net = new MemoryNetwork();
    private final StackLoop client = StackLoop.start("client", CLIENT, net);
    private final StackLoop server = StackLoop.start("server", SERVER, net);
    private final SocketFactory sockets = new JtcpSocketFactory(client);
    private final ServerSocketFactory serverSockets = new JtcpServerSocketFactory(server);

    @AfterEach
    void close() {
        client.close();
        server.close();
        assertThat(client.failures() + server.failures()).isZero();
    }

    private static <T> T bounded(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    /** A server on a virtual thread that echoes one connection's bytes until EOF. */
    private static CompletableFuture<Void> echoOnce(ServerSocket listener) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket s = listener.accept()) {
                s.getInputStream().transferTo(s.getOutputStream());
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    @Test
    void plainSocketCodeEchoesOverJtcp() throws Exception {
        try (ServerSocket listener = serverSockets.createServerSocket(7)) {
            assertThat(listener.getLocalPort()).isEqualTo(7);
            CompletableFuture<Void> served = echoOnce(listener);
            try (Socket s = sockets.createSocket(SERVER, 7)) {
                assertThat(s.isConnected()).isTrue();
                assertThat(s.getInetAddress()).isEqualTo(InetAddress.getByName(SERVER));
                assertThat(s.getLocalAddress()).isEqualTo(InetAddress.getByName(CLIENT));
                OutputStream out = s.getOutputStream();
                out.write("hello, jtcp".getBytes(StandardCharsets.UTF_8));
                s.shutdownOutput();
                byte[] back = s.getInputStream().readAllBytes();
                assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo("hello, jtcp");
            }
            bounded(served);
        }
    }

    @Test
    void refusedConnectIsConnectExceptionAndClosesTheSocket() throws Exception {
        Socket s = sockets.createSocket();
        Throwable t = catchThrowable(() -> s.connect(new InetSocketAddress(SERVER, 81)));
        assertThat(t).isInstanceOf(ConnectException.class).hasMessage("Connection refused");
        assertThat(ErrnoCarrier.errnoOf(t)).isEqualTo(Errno.ECONNREFUSED);
        assertThat(s.isClosed()).isTrue();
    }

    @Test
    void bindConflictIsBindException() throws Exception {
        try (ServerSocket first = serverSockets.createServerSocket(80)) {
            assertThat(first.getLocalPort()).isEqualTo(80);
            Throwable t = catchThrowable(() -> serverSockets.createServerSocket(80));
            assertThat(t).isInstanceOf(BindException.class).hasMessage("Address already in use");
            assertThat(ErrnoCarrier.errnoOf(t)).isEqualTo(Errno.EADDRINUSE);
        }
    }

    @Test
    void readTimeoutLeavesTheSocketUsable() throws Exception {
        try (ServerSocket listener = serverSockets.createServerSocket(7)) {
            CompletableFuture<Void> served = echoOnce(listener);
            try (Socket s = sockets.createSocket(SERVER, 7)) {
                s.setSoTimeout(20);
                assertThat(s.getSoTimeout()).isEqualTo(20);
                // Nothing was sent, so nothing can come back before the timeout.
                Throwable t = catchThrowable(() -> s.getInputStream().read());
                assertThat(t).isInstanceOf(SocketTimeoutException.class).hasMessage("Read timed out");
                assertThat(s.isClosed()).isFalse();

                s.setSoTimeout(0);
                s.getOutputStream().write(42);
                assertThat(s.getInputStream().read()).isEqualTo(42);
                s.shutdownOutput();
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            bounded(served);
        }
    }

    @Test
    void acceptTimeoutLeavesTheServerSocketUsable() throws Exception {
        try (ServerSocket listener = serverSockets.createServerSocket(7)) {
            listener.setSoTimeout(20);
            assertThat(catchThrowable(listener::accept)).isInstanceOf(SocketTimeoutException.class).hasMessage("Accept timed out");
            listener.setSoTimeout(0);
            try (Socket c = sockets.createSocket(SERVER, 7); Socket a = listener.accept()) {
                assertThat(a.getPort()).isEqualTo(c.getLocalPort());
                assertThat(a).isInstanceOf(JtcpSocket.class);
            }
        }
    }

    @Test
    void interruptingAVirtualThreadBlockedInReadClosesTheSocket() throws Exception {
        try (ServerSocket listener = serverSockets.createServerSocket(7)) {
            CompletableFuture<Void> served = echoOnce(listener);
            Socket s = sockets.createSocket(SERVER, 7);
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                failure.complete(catchThrowable(() -> s.getInputStream().read()));
                stillInterrupted.complete(Thread.currentThread().isInterrupted());
            });
            ThreadConditions.awaitParked(reader);
            reader.interrupt();

            assertThat(bounded(failure)).isInstanceOf(SocketException.class).hasMessage("Closed by interrupt");
            assertThat(bounded(stillInterrupted)).isTrue();
            assertThat(s.isClosed()).isTrue();
            bounded(served); // the echo server saw the close as EOF
        }
    }

    @Test
    void standardAndJtcpOptions() throws Exception {
        try (Socket s = sockets.createSocket()) {
            s.setTcpNoDelay(true);
            assertThat(s.getTcpNoDelay()).isTrue();
            s.setKeepAlive(true);
            assertThat(s.getOption(StandardSocketOptions.SO_KEEPALIVE)).isTrue();
            assertThat(s.getSoLinger()).isEqualTo(-1);
            s.setSoLinger(true, 5);
            assertThat(s.getSoLinger()).isEqualTo(5);
            var keepIdle = JtcpSocketOptions.of(TcpOption.TCP_KEEPIDLE);
            s.setOption(keepIdle, Duration.ofSeconds(30));
            assertThat(s.getOption(keepIdle)).isEqualTo(Duration.ofSeconds(30));
            assertThat(s.supportedOptions()).contains(StandardSocketOptions.TCP_NODELAY, keepIdle);
            assertThat(catchThrowable(() -> s.setOption(StandardSocketOptions.IP_TOS, 0)))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void theNoArgumentFactoryUsesTheThreadsHost() throws Exception {
        try (ServerSocket listener = serverSockets.createServerSocket(7)) {
            CompletableFuture<Void> served = echoOnce(listener);
            HostContext.bind(client);
            try (Socket s = new JtcpSocketFactory().createSocket(InetAddress.getByName(SERVER), 7)) {
                assertThat(s.getLocalAddress()).isEqualTo(InetAddress.getByName(CLIENT));
                s.getOutputStream().write(1);
                s.shutdownOutput();
                DataInputStream in = new DataInputStream(s.getInputStream());
                assertThat(in.read()).isEqualTo(1);
            } finally {
                HostContext.bind(null);
            }
            bounded(served);
        }
    }

    @Test
    void theMemoryNetworkIsFoundByName() throws Exception {
        NetworkProvider memory = JtcpNetwork.provider("memory");
        StackLoop a = memory.openHost("a", "10.9.0.1");
        StackLoop b = memory.openHost("b", "10.9.0.2");
        try (ServerSocket listener = new JtcpServerSocketFactory(b).createServerSocket(9)) {
            CompletableFuture<Void> served = echoOnce(listener);
            try (Socket s = new JtcpSocketFactory(a).createSocket("10.9.0.2", 9)) {
                s.getOutputStream().write(7);
                InputStream in = s.getInputStream();
                assertThat(in.read()).isEqualTo(7);
            }
            bounded(served);
        } finally {
            a.close();
            b.close();
        }
        assertThat(catchThrowable(() -> JtcpNetwork.provider("nowhere")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory");
    }

    @Test
    void adaptorsViewSocketsMadeThroughJtcpsApi() throws Exception {
        io.jtcp.api.TcpServerSocket tcpListener = io.jtcp.api.TcpServerSocket.listen(server, 7, 4);
        try (ServerSocket listener = new JtcpServerSocket(tcpListener)) {
            assertThat(listener.isBound()).isTrue();
            assertThat(listener.getLocalPort()).isEqualTo(7);
            CompletableFuture<Void> served = echoOnce(listener);
            io.jtcp.api.TcpSocket tcp = io.jtcp.api.TcpSocket.open(client);
            tcp.connect(SERVER, 7);
            try (Socket s = new JtcpSocket(tcp)) {
                assertThat(s.isConnected()).isTrue();
                assertThat(s.getRemoteSocketAddress()).isEqualTo(tcp.remoteAddress());
                s.getOutputStream().write(5);
                assertThat(s.getInputStream().read()).isEqualTo(5);
            }
            bounded(served);
        }
    }
}
