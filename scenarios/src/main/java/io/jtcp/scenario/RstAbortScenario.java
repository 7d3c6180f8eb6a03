package io.jtcp.scenario;

import io.jtcp.host.SocketHandler;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.Connection;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two ways a close becomes an abort (RST instead of FIN): SO_LINGER with a zero
 * timeout, which the sockets API ({@link io.jtcp.api.TcpSocket#close}) turns into
 * ABORT and so does this story's application; and close() with received data still
 * unread, which Linux answers with RST so the peer learns its data was not consumed.
 * Either way there is no TIME_WAIT, and the peer's next call fails with ECONNRESET.
 */
final class RstAbortScenario implements Scenario {
    @Override public String name() { return "rst-abort"; }

    @Override public String title() { return "SO_LINGER 0 and close() with unread data: RST, no TIME_WAIT, ECONNRESET"; }

    final List<App> servers = new ArrayList<>();

    @Override
    public Explanation run(Run run) throws Exception {
        servers.clear();
        World w = run.world();
        w.server.listen(Conversation.PORT, (c, now) -> {
            App a = new App(w.net).sends(Conversation.REPLY, App.AfterSending.NOTHING);
            servers.add(a);
            return a;
        });

        // Phase 1: SO_LINGER {on, 0}, read the reply, close().
        SocketOptions linger0 = new SocketOptions(w.client.sysctls());
        linger0.linger = Duration.ZERO;
        Stories.Asker one = new Stories.Asker(Conversation.REQUEST, -1);
        Connection c1 = w.client.connect(0, World.SERVER, Conversation.PORT, linger0, one, w.net.now());
        Stories.call(run, w, "client", null, World.SERVER_ADDRESS + ":" + Conversation.PORT, "connect (SO_LINGER on, 0 s)", "in progress");
        w.net.runWhile(() -> one.received.size() < Conversation.REPLY.length, World.seconds(10));
        run.show("phase 1: the client has its reply and is about to close() with SO_LINGER 0");
        close(run, w, c1);
        w.net.runFor(World.ms(50));
        run.show("phase 1: after the RST, no TIME_WAIT on either side");
        long abortAt = w.sent("client", "R.").isEmpty() ? -1 : w.sent("client", "R.").getFirst().timeNanos();

        // Phase 2: close() without reading the reply.
        w.net.runFor(World.seconds(1));
        long phase2 = w.net.now();
        Unread two = new Unread();
        Connection c2 = w.client.connect(World.SERVER, Conversation.PORT, two, w.net.now());
        Stories.call(run, w, "client", null, World.SERVER_ADDRESS + ":" + Conversation.PORT, "connect", "in progress");
        w.net.runWhile(() -> c2.status(w.net.now()).receiveQueue() < Conversation.REPLY.length, w.net.now() + World.seconds(10));
        w.net.runFor(World.ms(50));
        run.show("phase 2: the reply sits unread in the client's receive queue (Recv-Q)");
        int unread = c2.status(w.net.now()).receiveQueue();
        Stories.call(run, w, "client", c2.tuple().local(), c2.tuple().remote(), "close (" + unread + " bytes unread)", "0");
        c2.close(w.net.now());
        w.runUntilEmpty();

        boolean tw = !w.stateEvents("client", State.TIME_WAIT).isEmpty();
        boolean unreadAbort = w.sawCause("client", Cause.ABORT_UNREAD_DATA);
        App s1 = servers.get(0), s2 = servers.size() > 1 ? servers.get(1) : null;
        return Explanation.of(
                "Phase 1: SO_LINGER {on, 0} made close() an abort at " + Conversation.at(abortAt)
                        + ": the client sent RST instead of FIN and deleted the connection at once, so there was "
                        + (tw ? "still a TIME_WAIT (unexpected)" : "no FIN_WAIT, no TIME_WAIT")
                        + "; the server, which was still reading, got " + s1.error + ".",
                "Phase 2: the client closed at " + Conversation.at(w.stateEvents("client").stream()
                        .filter(e -> e.timeNanos() >= phase2 && e.to() == State.CLOSED).findFirst().map(e -> e.timeNanos()).orElse(-1L))
                        + " with " + unread + " bytes of the reply unread; "
                        + (unreadAbort ? "like Linux it sent RST rather than FIN, telling the server its data was lost, and"
                        + " the server got " + (s2 == null ? "nothing" : s2.error) + "." : "it closed normally."),
                "An abort skips TIME_WAIT entirely: the port is free at once, but nothing answers a FIN that comes again,"
                        + " and any data still in flight is lost. It is for errors, not for freeing ports.");
    }

    private static void close(Run run, World w, Connection c) {
        SocketOptions o = c.options();
        boolean abort = o.linger != null && o.linger.isZero();
        Stories.call(run, w, "client", c.tuple().local(), c.tuple().remote(), abort ? "close (SO_LINGER 0: abort)" : "close", "0");
        // As TcpSocket.close does: a zero linger turns close into ABORT.
        if (abort) c.abort(w.net.now());
        else c.close(w.net.now());
    }

    /** Sends the request and never reads. */
    private static final class Unread implements SocketHandler {
        @Override
        public void established(Connection c, long now) {
            try {
                c.send(Conversation.REQUEST, 0, Conversation.REQUEST.length, now);
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
