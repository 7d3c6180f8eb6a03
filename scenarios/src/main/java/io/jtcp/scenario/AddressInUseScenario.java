package io.jtcp.scenario;

import io.jtcp.host.Listening;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.SocketOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 000's restart: a server that closes its connections first keeps their
 * TIME_WAIT, and when it restarts, bind(2) on its port fails with EADDRINUSE, even
 * with SO_REUSEADDR on the new listener alone. Linux's rule: a port may be shared
 * with a TIME_WAIT socket only if both set SO_REUSEADDR (the TIME_WAIT socket has it
 * from the listener that accepted its connection). The server waits out TIME_WAIT,
 * sets SO_REUSEADDR from then on, and its next restart succeeds at once.
 */
final class AddressInUseScenario implements Scenario {
    /** Each bind attempt of the story: when, with SO_REUSEADDR or not, and the errno (null: success). */
    record Bind(long timeNanos, boolean reuseAddr, Errno errno) {}

    final List<Bind> binds = new ArrayList<>();

    @Override public String name() { return "address-in-use"; }

    @Override public String title() { return "a restarted server meets its own TIME_WAIT: EADDRINUSE, then SO_REUSEADDR"; }

    @Override
    public Explanation run(Run run) throws Exception {
        binds.clear();
        World w = run.world();
        Listening first = listen(run, w, false);
        serveOne(run, w);
        long twAt = w.net.now();
        run.show("the server closed first: its side of the connection is in TIME_WAIT, with its timer");

        first.close(w.net.now());
        Stories.call(run, w, "server", World.SERVER_ADDRESS + ":" + Conversation.PORT, null, "close (listener)", "0");
        listen(run, w, false);
        run.show("the restarted server's bind(" + Conversation.PORT + ") failed with EADDRINUSE: the TIME-WAIT line above holds the port");
        listen(run, w, true);

        // Wait out TIME_WAIT, then run with SO_REUSEADDR from the start.
        w.net.runWhile(() -> w.server.timeWaitCount() > 0, w.net.now() + World.seconds(3600));
        long freeAt = w.net.now();
        Listening second = listen(run, w, true);
        serveOne(run, w);
        second.close(w.net.now());
        Stories.call(run, w, "server", World.SERVER_ADDRESS + ":" + Conversation.PORT, null, "close (listener)", "0");
        Listening third = listen(run, w, true);
        run.show("with SO_REUSEADDR on both the old and the new listener, the restart bound port "
                + Conversation.PORT + " beside its TIME_WAIT");
        third.close(w.net.now());
        w.runUntilEmpty();

        Bind plain = binds.get(1), newOnly = binds.get(2), both = binds.get(4);
        long tw = w.server.sysctls().timeWait().toSeconds();
        return Explanation.of(
                "The server sent its reply and closed first, so at " + Conversation.at(twAt)
                        + " its end of the connection was in TIME_WAIT, shown by ss with a timewait timer of about " + tw + " s.",
                "Restarted at once, its bind to port " + Conversation.PORT + " failed with " + plain.errno()
                        + (newOnly.errno() != null ? ", and again with " + newOnly.errno() + " when only the new listener set"
                        + " SO_REUSEADDR: the TIME_WAIT socket came from a listener without it, and Linux lets a port be"
                        + " shared only when both sides set it." : "."),
                "The port was free again only when TIME_WAIT ended, at " + Conversation.at(freeAt) + ".",
                "Run with SO_REUSEADDR from the start, the next restart at " + Conversation.at(both.timeNanos()) + " "
                        + (both.errno() == null ? "bound the port at once, beside its own TIME_WAIT entry" : "failed with " + both.errno())
                        + ": SO_REUSEADDR lets a listener share its port with TIME_WAIT, never with another listener,"
                        + " and TIME_WAIT keeps doing its job for the old connection's 4-tuple.");
    }

    private Listening listen(Run run, World w, boolean reuseAddr) {
        SocketOptions opts = new SocketOptions(w.server.sysctls());
        opts.reuseAddr = reuseAddr;
        String call = "listen (bind " + Conversation.PORT + (reuseAddr ? ", SO_REUSEADDR" : "") + ")";
        String local = World.SERVER_ADDRESS + ":" + Conversation.PORT;
        try {
            Listening l = w.server.listen(Conversation.PORT, -1, opts, (ls, now) -> {
                while (ls.accept((c, t) -> new App(w.net).sends(Conversation.REPLY, App.AfterSending.NOTHING)
                        .closesAfterReceiving(Conversation.REQUEST.length)) != null) {
                    // the server replies and closes first on every connection it accepts
                }
            });
            binds.add(new Bind(w.net.now(), reuseAddr, null));
            Stories.call(run, w, "server", local, null, call, "0");
            return l;
        } catch (ErrnoException e) {
            binds.add(new Bind(w.net.now(), reuseAddr, e.errno()));
            Stories.call(run, w, "server", local, null, call, "-1 " + e.errno());
            return null;
        }
    }

    /** One client connection, served and closed by the server first; returns once the server is in TIME_WAIT. */
    private static void serveOne(Run run, World w) throws ErrnoException {
        App client = new App(w.net).sends(Conversation.REQUEST, App.AfterSending.NOTHING).closesOnEof(0);
        w.client.connect(World.SERVER, Conversation.PORT, client, w.net.now());
        int before = (int) w.server.counters().timeWait;
        w.net.runWhile(() -> w.server.counters().timeWait == before || w.client.connectionCount() > 0,
                w.net.now() + World.seconds(30));
    }
}
