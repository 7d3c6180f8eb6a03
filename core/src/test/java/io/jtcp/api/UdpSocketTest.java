package io.jtcp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jtcp.link.MemoryNetwork;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The socket layer over a real {@link StackLoop} whose UDP is looped back ({@link LoopedUdp}). */
class UdpSocketTest {
    private final StackLoop loop = StackLoop.builder("udp", "10.0.0.1").seed(3).start(new MemoryNetwork());

    @AfterEach
    void close() {
        loop.close();
    }

    private UdpSocket socket(boolean ipv6, int port) throws Exception {
        UdpSocket s = LoopedUdp.open(loop, ipv6);
        s.bind(new InetSocketAddress(port));
        return s;
    }

    private static ByteBuffer text(String s) { return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)); }

    private static String text(ByteBuffer b) {
        b.flip();
        return StandardCharsets.US_ASCII.decode(b).toString();
    }

    @Test
    void aBlockedReceiveGetsTheDatagramSentLater() throws Exception {
        UdpSocket server = socket(true, 53), client = socket(false, 0);
        ByteBuffer got = ByteBuffer.allocate(100);
        CompletableFuture<InetSocketAddress> from = CompletableFuture.supplyAsync(() -> {
            try {
                return server.receive(got);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Hosts.bounded(loop.when(() -> true)); // the receive may or may not be waiting yet: both must work
        client.send(text("query"), new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 53));
        InetSocketAddress sender = Hosts.bounded(from);
        assertThat(text(got)).isEqualTo("query");
        assertThat(sender.getAddress()).isInstanceOf(Inet4Address.class).isEqualTo(InetAddress.getByName("10.0.0.1"));
        assertThat(sender.getPort()).isEqualTo(client.localAddress().getPort());
        assertThat(server.localAddress().getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void soTimeoutEndsAReceiveAndTheSocketStaysUsable() throws Exception {
        UdpSocket s = socket(false, 53);
        s.setSoTimeout(Duration.ofMillis(20));
        Throwable t = catchThrowable(() -> s.receive(ByteBuffer.allocate(10)));
        assertThat(t).isInstanceOf(SocketTimeoutException.class).hasMessage("Read timed out");
        assertThat(ErrnoCarrier.errnoOf(t)).isEqualTo(Errno.EAGAIN);
        s.setSoTimeout(null);
        s.send(text("again"), new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 53));
        ByteBuffer got = ByteBuffer.allocate(10);
        s.receive(got);
        assertThat(text(got)).isEqualTo("again");
    }

    @Test
    void nonBlockingReceiveAndPeek() throws Exception {
        UdpSocket s = socket(true, 53);
        s.configureBlocking(false);
        assertThat(s.receive(ByteBuffer.allocate(10))).isNull();
        assertThat(s.readiness() & Readiness.READ).isZero();
        s.send(text("hello, world"), new InetSocketAddress(InetAddress.getByName("::1"), 53));
        Hosts.bounded(loop.when(() -> (s.readiness() & Readiness.READ) != 0));
        ByteBuffer small = ByteBuffer.allocate(5);
        assertThat(s.peek(small)).isNotNull();
        assertThat(text(small)).isEqualTo("hello");
        ByteBuffer all = ByteBuffer.allocate(64);
        assertThat(s.receive(all).getAddress()).isEqualTo(InetAddress.getByName("fd00::1"));
        assertThat(text(all)).isEqualTo("hello, world");
        assertThat(s.receive(ByteBuffer.allocate(10))).isNull();
    }

    @Test
    void aPortUnreachableFailsTheNextCallOnceAsTheJdkDoes() throws Exception {
        UdpSocket s = socket(false, 0);
        s.connect(new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 9));
        s.send(text("anyone?"), null);
        Hosts.bounded(loop.when(() -> (s.readiness() & Readiness.READ) != 0));
        Throwable t = catchThrowable(() -> s.receive(ByteBuffer.allocate(10)));
        assertThat(t).isInstanceOf(PortUnreachableException.class);
        assertThat(ErrnoCarrier.errnoOf(t)).isEqualTo(Errno.ECONNREFUSED);
        s.configureBlocking(false);
        assertThat(s.receive(ByteBuffer.allocate(10))).isNull();
    }

    @Test
    void broadcastAndClosedSocketsFailWithTheirErrno() throws Exception {
        UdpSocket s = socket(false, 0);
        Throwable t = catchThrowable(() -> s.send(text("x"), new InetSocketAddress(InetAddress.getByName("255.255.255.255"), 67)));
        assertThat(ErrnoCarrier.errnoOf(t)).isEqualTo(Errno.EACCES);
        CompletableFuture<?> waiting = s.receiveAsync(false);
        s.close();
        assertThat(catchThrowable(() -> Hosts.bounded(waiting))).hasRootCauseInstanceOf(ErrnoException.class);
        assertThat(ErrnoCarrier.errnoOf(catchThrowable(() -> Hosts.bounded(waiting)))).isEqualTo(Errno.EBADF);
        assertThat(s.isClosed()).isTrue();
        assertThat(catchThrowable(() -> s.send(text("x"), new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 1))))
                .isInstanceOf(SocketException.class).hasMessage("Socket closed");
        UdpSocket again = socket(false, 53);
        assertThat(catchThrowable(() -> socket(false, 53))).isInstanceOf(java.net.BindException.class);
        again.close();
    }
}
