package io.jtcp.api;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.jtcp.api.Hosts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** SO_TIMEOUT and Thread.interrupt on blocking calls, as the JDK's sockets behave. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimeoutAndInterruptTest {

    @Test
    void readTimesOutAndTheSocketStillReadsWhatComesLater() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket[] pair = h.connect(TcpServerSocket.listen(h.server, 80, 4));
            TcpSocket c = pair[0];
            c.setSoTimeout(Duration.ofMillis(20));
            // Nothing was sent, so no byte can arrive before the timeout.
            Throwable t = catchThrowable(() -> c.read(new byte[8], 0, 8));
            assertThat(t).isInstanceOf(SocketTimeoutException.class).hasMessage("Read timed out");
            assertThat(ErrnoCarrier.errnoOf(t)).isEqualTo(Errno.EAGAIN);

            byte[] sent = "late".getBytes(StandardCharsets.US_ASCII);
            pair[1].write(sent, 0, sent.length);
            c.setSoTimeout(null);
            byte[] got = new byte[8];
            int n = c.read(got, 0, got.length);
            assertThat(new String(got, 0, n, StandardCharsets.US_ASCII)).isEqualTo("late");
        }
    }

    @Test
    void acceptTimesOutAndTheListenerStillAccepts() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket server = TcpServerSocket.listen(h.server, 80, 4);
            server.setSoTimeout(Duration.ofMillis(20));
            Throwable t = catchThrowable(server::accept);
            assertThat(t).isInstanceOf(SocketTimeoutException.class).hasMessage("Accept timed out");

            TcpSocket c = TcpSocket.open(h.client);
            c.connect(SERVER, 80);
            server.setSoTimeout(null);
            assertThat(server.accept().remotePort()).isEqualTo(c.localPort());
        }
    }

    @Test
    void interruptingAVirtualThreadBlockedInReadClosesTheSocket() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket[] pair = h.connect(TcpServerSocket.listen(h.server, 80, 4));
            TcpSocket c = pair[0];
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                failure.complete(catchThrowable(() -> c.read(new byte[8], 0, 8)));
                stillInterrupted.complete(Thread.currentThread().isInterrupted());
            });
            ThreadConditions.awaitParked(reader);
            reader.interrupt();

            assertThat(bounded(failure)).isInstanceOf(SocketException.class).hasMessage("Closed by interrupt");
            assertThat(bounded(stillInterrupted)).isTrue();
            assertThat(catchThrowable(() -> c.read(new byte[1], 0, 1))).hasMessage("Socket closed");
            // The peer sees the close: its read ends at the FIN.
            assertThat(pair[1].read(new byte[1], 0, 1)).isEqualTo(-1);
        }
    }

    @Test
    void interruptingAVirtualThreadBlockedInAcceptClosesTheListener() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket server = TcpServerSocket.listen(h.server, 80, 4);
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread acceptor = Thread.ofVirtual().start(() -> failure.complete(catchThrowable(server::accept)));
            ThreadConditions.awaitParked(acceptor);
            acceptor.interrupt();

            assertThat(bounded(failure)).isInstanceOf(SocketException.class).hasMessage("Closed by interrupt");
            assertThat(errnoOf(server::accept)).isEqualTo(Errno.EBADF);
        }
    }
}
