package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.State;
import java.util.ArrayList;
import java.util.List;

/**
 * tcp_fin_timeout: the client closes two connections to a server that never closes
 * its side. One is close()d, an orphan no application holds any more; Linux bounds its
 * FIN_WAIT_2 with tcp_fin_timeout (ss shows {@code timer:(timewait,...)}). The other is
 * only shutdown(SHUT_WR): its owner may still read, so it waits in FIN_WAIT_2 for as
 * long as the server keeps its end open. The sysctl is shortened for the story.
 */
final class FinWait2TimeoutScenario implements Scenario {
    static final String FIN_TIMEOUT = "30";
    static final long SERVER_CLOSES_AT = World.seconds(120);

    @Override public String name() { return "fin-wait-2-timeout"; }

    @Override public String title() { return "an orphan in FIN_WAIT_2 is ended by tcp_fin_timeout; a half-closed socket stays"; }

    @Override
    public Explanation run(Run run) throws Exception {
        Sysctls cfg = run.options.sysctls().set("tcp_fin_timeout", FIN_TIMEOUT);
        World w = run.world(cfg, cfg);
        Stories.call(run, w, "client", World.CLIENT_ADDRESS, null, "sysctl", "tcp_fin_timeout=" + FIN_TIMEOUT + " (shortened for the story)");
        List<App> served = new ArrayList<>();
        // The server reads but never closes: both its ends stay in CLOSE_WAIT.
        w.server.listen(Conversation.PORT, (c, now) -> {
            App a = new App(w.net);
            served.add(a);
            return a;
        });
        App orphan = new App(w.net).sends("bye".getBytes(), App.AfterSending.CLOSE);
        App halfClosed = new App(w.net).sends("bye".getBytes(), App.AfterSending.SHUTDOWN_OUTPUT);
        Connection o = w.client.connect(World.SERVER, Conversation.PORT, orphan, 0);
        Connection h = w.client.connect(World.SERVER, Conversation.PORT, halfClosed, 0);
        Stories.call(run, w, "client", o.tuple().local(), o.tuple().remote(), "send + close", "0: an orphan once its FIN is out");
        Stories.call(run, w, "client", h.tuple().local(), h.tuple().remote(), "send + shutdown(SHUT_WR)", "0: still the application's");
        w.net.runUntil(World.seconds(10));
        run.show("both client sockets are in FIN_WAIT_2; only the orphan has a timer (Linux shows it as timewait)");
        w.net.runUntil(World.seconds(60));
        run.show("tcp_fin_timeout ended the orphan; the half-closed socket still waits, and the server holds both in CLOSE_WAIT");
        w.net.runUntil(SERVER_CLOSES_AT);
        for (App a : served) {
            Stories.call(run, w, "server", a.conn.tuple().local(), a.conn.tuple().remote(), "close", "0");
            a.conn.close(w.net.now());
        }
        w.runUntilEmpty();

        long entered = w.stateEvents("client", State.FIN_WAIT_2).getFirst().timeNanos();
        long ended = w.stateEvents("client").stream().filter(e -> e.cause().equals(Cause.FIN_WAIT_2_TIMEOUT.toString()))
                .mapToLong(e -> e.timeNanos()).findFirst().orElse(-1);
        int resets = w.sent("client", "R").size() + w.sent("client", "R.").size();
        return Explanation.of(
                "Both client sockets sent their FIN and reached FIN_WAIT_2 at about " + Conversation.at(entered)
                        + "; the server read the data and the FINs but never closed, so its ends sat in CLOSE_WAIT.",
                ended >= 0
                        ? "The close()d socket was an orphan: at " + Conversation.at(ended) + ", tcp_fin_timeout ("
                        + FIN_TIMEOUT + " s) after it entered FIN_WAIT_2, Linux's rule deleted it. RFC 9293 sets no limit"
                        + " here; without one a peer that never closes would pin the orphan forever."
                        : "The orphan was never timed out.",
                "The socket that only called shutdown(SHUT_WR) still belonged to its application, which may yet read:"
                        + " no timer ran, and it stayed in FIN_WAIT_2 until the server closed at "
                        + Conversation.at(SERVER_CLOSES_AT) + ", then went through TIME_WAIT as usual.",
                "When the server closed, its FIN on the orphan's 4-tuple found no connection and was answered with RST ("
                        + resets + " from the client): the price of forgetting early, paid by a peer that was late anyway.");
    }
}
