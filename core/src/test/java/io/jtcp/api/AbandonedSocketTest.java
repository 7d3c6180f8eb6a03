package io.jtcp.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static io.jtcp.api.Hosts.bounded;
import static io.jtcp.api.Hosts.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A socket the application drops without closing it does not leak: once it is collected,
 * its connection is closed as Linux closes the descriptors of an exiting process, an
 * orphan that sends its FIN (or a reset, with unread data) and ends, and its port is freed.
 */
class AbandonedSocketTest {
    @Test
    void aDroppedSocketSendsItsFinAndLeavesNothingOpen() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket listener = TcpServerSocket.listen(h.server, 80, 4);
            TcpSocket server = abandonClient(h, listener, false);
            assertThat(readAll(server.getInputStream())).as("the data, then the orphan's FIN").isEqualTo(5);
            server.close();
            // The orphan's FIN was acknowledged and the server's FIN answered: all that is left is its TIME_WAIT.
            bounded(h.client.when(() -> h.client.stack().connections().stream()
                    .allMatch(c -> c.state() == io.jtcp.tcp.State.TIME_WAIT && c.orphan())));
            assertThat(Hosts.connections(h.client)).hasSize(1);
        }
    }

    @Test
    void aDroppedSocketWithUnreadDataResetsItsConnection() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket listener = TcpServerSocket.listen(h.server, 80, 4);
            TcpSocket server = abandonClient(h, listener, true);
            assertThat(errnoOf(() -> readAll(server.getInputStream()))).isEqualTo(Errno.ECONNRESET);
            bounded(h.client.when(() -> h.client.stack().connections().isEmpty()));
        }
    }

    /**
     * Connects a client that writes five bytes (and, if asked, is sent five it never reads),
     * drops it, and waits until it has been collected; returns the server's end.
     */
    private static TcpSocket abandonClient(Hosts h, TcpServerSocket listener, boolean leaveUnread) throws Exception {
        TcpSocket[] pair = h.connect(listener);
        pair[0].write(new byte[5], 0, 5);
        if (leaveUnread) {
            pair[1].write(new byte[5], 0, 5);
            bounded(h.client.when(() -> h.client.stack().connections().getFirst().receiveQueue() == 5));
        }
        WeakReference<TcpSocket> dropped = new WeakReference<>(pair[0]);
        TcpSocket server = pair[1];
        pair = null;
        for (int i = 0; i < 100 && dropped.get() != null; i++) System.gc();
        assertThat(dropped.get()).as("the dropped socket was collected").isNull();
        return server;
    }

    private static int readAll(InputStream in) throws Exception {
        try {
            return bounded(CompletableFuture.supplyAsync(() -> {
                try {
                    return in.readAllBytes().length;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : e;
        }
    }
}
