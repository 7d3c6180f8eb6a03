package io.jtcp.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.jtcp.api.Hosts.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10's accept burst: 10,000 connects from 100 virtual threads against a server
 * accepting in a loop, with the default backlog (somaxconn). Each client connects, writes
 * a byte and closes without waiting for the server, which accepts, reads the byte and
 * closes, one connection after another: the clients can outrun it, so the accept queue
 * may fill. The kernel's loopback completes every connection; so must jtcp, whatever the
 * relative speed of the two loops, with no reset on either side.
 *
 * <p>The timeout only guards against a hang: the links are real-time, and on a busy machine a
 * slow server loop drops SYNs whose retransmissions wait 1, 3, 7 s of real time, so the
 * burst can take minutes there without anything being wrong.
 */
@Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AcceptBurstTest {
    static final int THREADS = 100, PER_THREAD = 100;

    @Test
    void tenThousandConnectsFromOneHundredThreadsAllComplete() throws Exception {
        AtomicInteger served = new AtomicInteger();
        List<Throwable> serverErrors = new CopyOnWriteArrayList<>();
        try (Hosts h = new Hosts(); ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            TcpServerSocket server = TcpServerSocket.listen(h.server, 80, -1);
            vts.submit(() -> {
                while (true) {
                    TcpSocket s = server.accept();
                    try (s) {
                        if (s.getInputStream().read() >= 0) served.incrementAndGet();
                    } catch (Throwable t) {
                        serverErrors.add(t);
                    }
                }
            });
            List<Future<Integer>> clients = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                clients.add(vts.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < PER_THREAD; i++) {
                        try (TcpSocket s = TcpSocket.open(h.client)) {
                            s.connect(SERVER, 80);
                            s.getOutputStream().write(i & 0x7f);
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            int ok = 0;
            for (Future<Integer> f : clients) ok += f.get();
            assertThat(ok).isEqualTo(THREADS * PER_THREAD);
            bounded(h.server.when(() -> served.get() + serverErrors.size() >= THREADS * PER_THREAD));
            // A full queue drops SYNs and final ACKs (retransmission recovers them); nothing is ever reset.
            assertThat(bounded(h.server.call(() -> h.server.stack().counters().outResets))).isZero();
            assertThat(bounded(h.client.call(() -> h.client.stack().counters().outResets))).isZero();
            server.close();
        }
        assertThat(serverErrors).isEmpty();
        assertThat(served).hasValue(THREADS * PER_THREAD);
    }

    /**
     * One accept's visit to the loop takes every established connection ahead: the next
     * accepts return while the loop is busy, and the connections still count as queued.
     */
    @Test
    void oneVisitToTheLoopTakesTheWholeQueue() throws Exception {
        try (Hosts h = new Hosts(); TcpServerSocket server = TcpServerSocket.listen(h.server, 80, 8)) {
            List<TcpSocket> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                TcpSocket c = TcpSocket.open(h.client);
                c.connect(SERVER, 80);
                clients.add(c);
            }
            bounded(h.server.when(() -> h.server.stack().snapshot(h.server.now()).listeners().getFirst().acceptQueue() == 3));
            TcpSocket first = onVirtualThread(server::accept);
            assertThat(server.acceptQueueLength()).as("taken ahead, not yet accepted").isEqualTo(2);

            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch busy = new CountDownLatch(1);
            h.server.execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                busy.await();
                List<TcpSocket> rest = onVirtualThread(() -> List.of(server.accept(), server.accept()));
                assertThat(java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).map(TcpSocket::remotePort))
                        .containsExactlyElementsOf(clients.stream().map(TcpSocket::localPort).toList());
            } finally {
                release.countDown();
            }
            assertThat(server.acceptQueueLength()).isZero();
            for (TcpSocket c : clients) c.close();
        }
    }

    /** Connections taken ahead still fill the backlog: past it a SYN is dropped, as Linux's sk_acceptq_is_full drops it. */
    @Test
    void connectionsTakenAheadCountAgainstTheBacklog() throws Exception {
        try (Hosts h = new Hosts(); TcpServerSocket server = TcpServerSocket.listen(h.server, 80, 1)) {
            List<TcpSocket> clients = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                TcpSocket c = TcpSocket.open(h.client);
                c.connect(SERVER, 80);
                clients.add(c);
            }
            bounded(h.server.when(() -> h.server.stack().snapshot(h.server.now()).listeners().getFirst().acceptQueue() == 2));
            onVirtualThread(server::accept);
            TcpSocket third = TcpSocket.open(h.client);
            third.connect(SERVER, 80);  // one taken ahead: the queue holds one, which is not past the backlog
            bounded(h.server.when(() -> h.server.stack().snapshot(h.server.now()).listeners().getFirst().acceptQueue() == 2));
            TcpSocket fourth = TcpSocket.open(h.client);
            var attempt = fourth.connectAsync(SERVER, 80);
            bounded(h.server.when(() -> h.server.stack().counters().listenOverflows == 1));
            assertThat(attempt).isNotDone();
            assertThat(fourth.status().state()).isEqualTo(io.jtcp.tcp.State.SYN_SENT);
            fourth.abort();
            third.close();
            for (TcpSocket c : clients) c.close();
        }
    }
}
