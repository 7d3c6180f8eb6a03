package io.jtcp.api;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.jtcp.api.Hosts.*;
import static org.assertj.core.api.Assertions.assertThat;

/** ByteBuffer reads and writes, the non-blocking calls and the published ready set. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ByteBufferSocketTest {

    /** Waits, bounded, until the socket's published ready set has {@code bits}. */
    static void awaitReady(TcpSocket s, int bits) throws Exception {
        Semaphore changed = new Semaphore(0);
        s.onReadiness(changed::release);
        try {
            while ((s.readiness() & bits) != bits) {
                assertThat(changed.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).as("ready set changed").isTrue();
            }
        } finally {
            s.onReadiness(null);
        }
    }

    @Test
    void scatterGatherThroughHeapAndDirectBuffers() throws Exception {
        try (Hosts h = new Hosts(); TcpServerSocket server = TcpServerSocket.listen(h.server, 7, 8)) {
            TcpSocket[] pair = h.connect(server);
            ByteBuffer head = ByteBuffer.wrap("hello, ".getBytes());
            ByteBuffer tail = ByteBuffer.allocateDirect(5).put("world".getBytes()).flip();
            pair[0].write(new ByteBuffer[] {head, tail}, 0, 2);
            assertThat(head.hasRemaining() || tail.hasRemaining()).isFalse();

            ByteBuffer a = ByteBuffer.allocateDirect(4), b = ByteBuffer.allocate(64);
            long total = 0;
            while (total < 12) total += pair[1].read(new ByteBuffer[] {a, b}, 0, 2);
            assertThat(total).isEqualTo(12);
            byte[] got = new byte[12];
            a.flip().get(got, 0, 4);
            b.flip().get(got, 4, 8);
            assertThat(new String(got)).isEqualTo("hello, world");
        }
    }

    @Test
    void nonBlockingReadAnswersZeroThenDataThenEndOfStream() throws Exception {
        try (Hosts h = new Hosts(); TcpServerSocket server = TcpServerSocket.listen(h.server, 7, 8)) {
            TcpSocket[] pair = h.connect(server);
            ByteBuffer[] into = {ByteBuffer.allocate(16)};
            assertThat(pair[1].tryRead(into, 0, 1)).isZero();
            assertThat(pair[1].readiness() & Readiness.READ).isZero();

            pair[0].write(ByteBuffer.wrap("abc".getBytes()));
            awaitReady(pair[1], Readiness.READ);
            assertThat(pair[1].tryRead(into, 0, 1)).isEqualTo(3);
            assertThat(pair[1].readiness() & Readiness.READ).as("drained").isZero();

            pair[0].shutdownOutput();
            awaitReady(pair[1], Readiness.READ);
            assertThat(pair[1].tryRead(into, 0, 1)).isEqualTo(-1);
        }
    }

    @Test
    void nonBlockingWriteStopsAtAFullSendBufferAndResumesWhenWritable() throws Exception {
        try (Hosts h = new Hosts(); TcpServerSocket server = TcpServerSocket.listen(h.server, 7, 8)) {
            TcpSocket[] pair = h.connect(server);
            awaitReady(pair[0], Readiness.WRITE);
            ByteBuffer chunk = ByteBuffer.allocateDirect(256 * 1024);
            long sent = 0;
            for (long n; (n = pair[0].tryWrite(new ByteBuffer[] {chunk.clear()}, 0, 1)) > 0; ) sent += n;
            assertThat(sent).as("the receiver does not read, so both buffers fill").isPositive();

            ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
            long read = pair[1].read(sink);
            assertThat(read).isPositive();
            awaitReady(pair[0], Readiness.WRITE);
            assertThat(pair[0].tryWrite(new ByteBuffer[] {chunk.clear()}, 0, 1)).isPositive();
        }
    }

    @Test
    void connectFinishesLaterAndFlagsConnect() throws Exception {
        try (Hosts h = new Hosts(); TcpServerSocket server = TcpServerSocket.listen(h.server, 7, 8)) {
            TcpSocket refused = TcpSocket.open(h.client);
            CompletableFuture<TcpSocket> f = refused.connectAsync(SERVER, 9);
            awaitReady(refused, Readiness.CONNECT);
            assertThat(f).isCompletedExceptionally();
            assertThat(refused.readiness() & (Readiness.READ | Readiness.WRITE)).isZero();

            TcpSocket ok = TcpSocket.open(h.client);
            ok.connectAsync(SERVER, 7);
            awaitReady(ok, Readiness.CONNECT | Readiness.WRITE);
        }
    }

    @Test
    void nonBlockingAcceptAnswersNullThenTheConnection() throws Exception {
        try (Hosts h = new Hosts(); TcpServerSocket server = TcpServerSocket.listen(h.server, 7, 8)) {
            assertThat(server.tryAccept()).isNull();
            CompletableFuture<Void> acceptable = new CompletableFuture<>();
            server.onReadiness(() -> {
                if ((server.readiness() & Readiness.ACCEPT) != 0) acceptable.complete(null);
            });
            TcpSocket c = TcpSocket.open(h.client);
            c.connect(SERVER, 7);
            bounded(acceptable);
            TcpSocket accepted = server.tryAccept();
            assertThat(accepted).isNotNull();
            assertThat(accepted.remotePort()).isEqualTo(c.localPort());
            assertThat(server.readiness()).isZero();
            assertThat(server.tryAccept()).isNull();
        }
    }
}
