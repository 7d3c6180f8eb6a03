package io.jtcp.scenario;

import io.jtcp.tcp.Connection;
import io.jtcp.api.ErrnoException;

/**
 * Half-close: the client shuts down its sending side (shutdown(SHUT_WR)) after its
 * request, and goes on reading while the server sends for a while, then closes.
 */
final class HalfCloseScenario implements Scenario {
    static final int CHUNKS = 10, CHUNK = 20_000;

    @Override public String name() { return "half-close"; }

    @Override public String title() { return "shutdown(SHUT_WR): the client's FIN goes out, the server keeps sending"; }

    @Override
    public Explanation run(Run run) throws Exception {
        World w = run.world();
        App client = new App(w.net).sends(Conversation.REQUEST, App.AfterSending.SHUTDOWN_OUTPUT).closesOnEof(0);
        byte[] chunk = new byte[CHUNK];
        Conversation.start(w, client, () -> {
            App server = new App(w.net);
            for (int i = 1; i <= CHUNKS; i++) {
                boolean last = i == CHUNKS;
                w.net.at(w.net.now() + World.ms(50) * i, () -> write(server.conn, chunk, last, w));
            }
            return server;
        });
        w.net.runFor(World.ms(200));
        run.show("the client has half-closed (FIN_WAIT_2) and is still receiving; the server is in CLOSE_WAIT, sending");
        w.runUntilEmpty();
        return Explanation.of(
                "The client sent its request and then shutdown(SHUT_WR): its FIN told the server it would send no more,"
                        + " but its receiving side stayed open (FIN_WAIT_1, then FIN_WAIT_2 once the FIN was ACKed).",
                "The server, in CLOSE_WAIT, kept sending for half a second: the client read all "
                        + client.receivedBytes + " bytes (" + CHUNKS * CHUNK + " sent).",
                "Only when the server closed did its FIN end the stream; the client, the first to close, held TIME_WAIT.");
    }

    private static void write(Connection c, byte[] chunk, boolean last, World w) {
        try {
            c.send(chunk, 0, chunk.length, w.net.now());
            if (last) c.close(w.net.now());
        } catch (ErrnoException e) {
            throw new IllegalStateException("the half-closed connection refused data: " + e.getMessage(), e);
        }
    }
}
