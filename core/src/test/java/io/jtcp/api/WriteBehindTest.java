package io.jtcp.api;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

import static io.jtcp.api.Hosts.bounded;
import static io.jtcp.api.Hosts.errnoOf;
import static io.jtcp.api.Hosts.onVirtualThread;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blocking write that fits in the room the loop last published returns without waiting
 * for the loop, as write(2) returns once its bytes are in the socket's buffer.
 */
class WriteBehindTest {
    /** Holds the loop's thread until released: nothing queued behind this runs meanwhile. */
    private static CountDownLatch hold(StackLoop loop) {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        loop.execute(() -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            held.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return release;
    }

    @Test
    void writesThatFitReturnWhileTheLoopIsBusyAndArriveInOrder() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket[] p = h.connect(TcpServerSocket.listen(h.server, 80, 4));
            byte[] a = new byte[1000], b = new byte[1000];
            Arrays.fill(a, (byte) 'a');
            Arrays.fill(b, (byte) 'b');
            CountDownLatch release = hold(h.client);
            // Without the write-behind path these calls would wait for the held loop, and the bounded wait would fail.
            onVirtualThread(() -> {
                p[0].write(a, 0, a.length);
                p[0].write(b, 0, b.length);
                return null;
            });
            Arrays.fill(a, (byte) 'x'); // the caller's array is its own again once write returns
            release.countDown();
            InputStream in = p[1].getInputStream();
            byte[] got = bounded(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return in.readNBytes(2000);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
            byte[] want = new byte[2000];
            Arrays.fill(want, 0, 1000, (byte) 'a');
            Arrays.fill(want, 1000, 2000, (byte) 'b');
            assertThat(got).isEqualTo(want);
        }
    }

    @Test
    void anErrorAWriteMeetsOnTheLoopIsThrownByTheNextWrite() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket[] p = h.connect(TcpServerSocket.listen(h.server, 80, 4));
            CountDownLatch release = hold(h.client);
            p[1].abort(); // the RST is queued for the held client loop, ahead of the write below
            onVirtualThread(() -> {
                p[0].write(new byte[100], 0, 100);
                return null;
            });
            release.countDown();
            bounded(h.client.call(() -> null)); // the loop has taken the RST and the write: tasks run in order
            // The reset is reported once (Linux's sk_err): to the write it met, and so by the next write,
            // not lost in a write that had already returned.
            assertThat(errnoOf(() -> onVirtualThread(() -> {
                p[0].write(new byte[100], 0, 100);
                return null;
            }))).isEqualTo(Errno.ECONNRESET);
            assertThat(errnoOf(() -> onVirtualThread(() -> {
                p[0].write(new byte[100], 0, 100);
                return null;
            }))).isEqualTo(Errno.EPIPE);
        }
    }
}
