package io.jtcp.api;

import io.jtcp.link.MemoryNetwork;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.jtcp.api.Hosts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loop itself: ownership of the stack, failures that must not kill it, timers, shutdown. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StackLoopTest {

    @Test
    void aFailingTaskIsCountedAndReportedAndTheLoopGoesOn() throws Exception {
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        try (StackLoop loop = StackLoop.builder("a", "10.0.0.1").failureHandler(seen::add).start(new MemoryNetwork())) {
            loop.execute(() -> {
                throw new IllegalStateException("bug in a task");
            });
            CompletableFuture<Object> failed = loop.call(() -> {
                throw new IOException("reported to the caller");
            });
            assertThatThrownBy(() -> bounded(failed)).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
            assertThat(bounded(loop.call(() -> loop.stack().name()))).isEqualTo("a");
            assertThat(loop.failures()).isEqualTo(1);
            assertThat(seen).singleElement().extracting(Throwable::getMessage).isEqualTo("bug in a task");
        }
    }

    @Test
    void garbageFromTheLinkIsDroppedNotThrown() throws Exception {
        try (StackLoop loop = StackLoop.builder("a", "10.0.0.1").failureHandler(t -> { throw new AssertionError(t); })
                .start(new MemoryNetwork())) {
            loop.packetArrives(new byte[] {1, 2, 3}, 0, 3, 0);
            loop.packetArrives(new byte[60], 0, 60, 0);
            assertThat(bounded(loop.call(() -> loop.stack().counters().inErrors))).isEqualTo(2);
            assertThat(loop.failures()).isZero();
        }
    }

    @Test
    void onlyTheLoopsThreadMayTouchTheStackOrBlock() throws Exception {
        try (Hosts h = new Hosts()) {
            assertThatThrownBy(h.client::stack).isInstanceOf(IllegalStateException.class);
            TcpSocket s = TcpSocket.open(h.client);
            CompletableFuture<Object> blockingOnLoop = h.client.call(() -> s.getOption(TcpOption.TCP_NODELAY));
            assertThatThrownBy(() -> bounded(blockingOnLoop)).hasCauseInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void timersFireByTheSystemClock() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket server = TcpServerSocket.listen(h.server, 80, 4);
            TcpSocket[] pair = h.connect(server);
            pair[0].setOption(TcpOption.TCP_LINGER2, java.time.Duration.ofMillis(100));
            // The trace, not a look at the state: FIN_WAIT_2 lasts only 100 ms, which a loaded machine can sleep through.
            List<io.jtcp.observe.TraceEvent.StateEvent> steps = new CopyOnWriteArrayList<>();
            bounded(h.client.call(() -> {
                h.client.stack().setTrace(e -> {
                    if (e instanceof io.jtcp.observe.TraceEvent.StateEvent st) steps.add(st);
                });
                return null;
            }));
            pair[0].close();
            // The server never closes, so the client's orphan waits in FIN_WAIT_2 until TCP_LINGER2 runs out.
            bounded(h.client.when(() -> h.client.stack().connectionCount() == 0));
            assertThat(steps).extracting(st -> st.from() + " -> " + st.to())
                    .containsSubsequence("FIN_WAIT_1 -> FIN_WAIT_2", "FIN_WAIT_2 -> CLOSED");
            assertThat(steps.getLast().cause()).isEqualTo(io.jtcp.tcp.Cause.FIN_WAIT_2_TIMEOUT.toString());
            assertThat(pair[1].read(new byte[1], 0, 1)).isEqualTo(-1);
        }
    }

    @Test
    void closingTheLoopFailsWhatWaitsAndRejectsWhatComes() throws Exception {
        MemoryNetwork net = new MemoryNetwork();
        StackLoop loop = StackLoop.start("a", "10.0.0.1", net);
        TcpServerSocket server = TcpServerSocket.listen(loop, 80, 4);
        CompletableFuture<TcpSocket> accept = server.acceptAsync();
        bounded(loop.call(() -> null)); // the accept is queued on the loop
        loop.close();
        assertThatThrownBy(() -> bounded(accept)).hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(server::accept).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        // The address is free again.
        StackLoop.start("b", "10.0.0.1", net).close();
    }

    @Test
    void aHostThatShutsDownResetsItsPeersInsteadOfLeavingThemEstablished() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket listener = TcpServerSocket.listen(h.server, 80, 4);
            TcpSocket[] pair = h.connect(listener);
            CompletableFuture<Integer> read = pair[0].readAsync(new byte[1], 0, 1);
            StackLoop other = StackLoop.start("peer", "10.0.0.3", h.net);
            TcpSocket fromOther = TcpSocket.open(other);
            fromOther.connect(SERVER, 80, Duration.ofSeconds(WAIT_SECONDS));
            other.close();
            // The server hears the RST of the host that went away: its side of that connection is gone.
            int port = fromOther.localPort();
            bounded(h.server.when(() -> h.server.stack().connections().stream().noneMatch(c -> c.tuple().remotePort() == port)));
            h.server.close();
            // And the client hears the server's: its read fails with ECONNRESET, not hangs.
            assertThat(errnoOf(() -> bounded(read))).isEqualTo(Errno.ECONNRESET);
        }
    }

    @Test
    void aSnapshotShowsWhatSsWould() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket[] pair = h.connect(TcpServerSocket.listen(h.server, 80, 4));
            var snapshot = bounded(h.client.snapshot());
            assertThat(snapshot.host()).isEqualTo("client");
            assertThat(snapshot.connections()).singleElement()
                    .satisfies(c -> assertThat(c.tuple().localPort()).isEqualTo(pair[0].localPort()));
            assertThat(bounded(h.server.snapshot()).listeners()).hasSize(1);
        }
    }
}
