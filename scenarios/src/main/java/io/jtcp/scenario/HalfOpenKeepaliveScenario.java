package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.link.sim.FaultRule;
import io.jtcp.link.sim.PacketMatch;
import io.jtcp.observe.TraceEvent;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import java.util.List;

/**
 * A half-open connection found by keepalive: after one exchange the connection is
 * idle, and then the server's host vanishes (its link goes dark: nothing it sends
 * arrives). The client, with SO_KEEPALIVE, probes after tcp_keepalive_time of
 * silence, every tcp_keepalive_intvl, and after tcp_keepalive_probes unanswered
 * probes resets the connection; its application gets ETIMEDOUT. The story shortens
 * the keepalive sysctls (Linux's defaults: 7200 s, 75 s, 9 probes).
 */
final class HalfOpenKeepaliveScenario implements Scenario {
    static final String TIME = "60", INTVL = "10", PROBES = "3";
    static final long VANISH_AT = World.seconds(1);

    @Override public String name() { return "half-open-keepalive"; }

    @Override public String title() { return "the peer vanishes; keepalive probes find the half-open connection, ETIMEDOUT"; }

    @Override
    public Explanation run(Run run) throws Exception {
        Sysctls cfg = run.options.sysctls().set("tcp_keepalive_time", TIME).set("tcp_keepalive_intvl", INTVL)
                .set("tcp_keepalive_probes", PROBES);
        World w = run.world(cfg, cfg);
        Stories.call(run, w, "client", World.CLIENT_ADDRESS, null, "sysctl",
                "tcp_keepalive_time=" + TIME + " tcp_keepalive_intvl=" + INTVL + " tcp_keepalive_probes=" + PROBES
                        + " (shortened for the story)");
        App[] server = new App[1];
        w.server.listen(Conversation.PORT, (c, now) -> server[0] = new App(w.net).sends(Conversation.REPLY, App.AfterSending.NOTHING));
        SocketOptions opts = new SocketOptions(cfg);
        opts.keepAlive = true;
        App client = new App(w.net).sends(Conversation.REQUEST, App.AfterSending.NOTHING);
        Connection conn = w.client.connect(0, World.SERVER, Conversation.PORT, opts, client, 0);
        Stories.call(run, w, "client", null, World.SERVER_ADDRESS + ":" + Conversation.PORT, "connect (SO_KEEPALIVE)", "in progress");
        w.net.runUntil(VANISH_AT);
        FaultRule vanished = FaultRule.drop(PacketMatch.from(World.SERVER).and(PacketMatch.after(VANISH_AT)));
        w.net.addRule(vanished);
        Stories.call(run, w, "server", World.SERVER_ADDRESS, null, "link down",
                "from now on nothing the server sends arrives; it does not know");
        run.show("the exchange is over and the connection idle; the server's host has just vanished."
                + " The client's keepalive timer runs");
        long lastHeard = w.stateEvents("client", State.ESTABLISHED).getFirst().timeNanos();
        for (TraceEvent e : w.events) {
            if (e instanceof TraceEvent.SegmentEvent s && s.host().equals("client") && s.dir().equals(TraceEvent.SegmentEvent.IN)) {
                lastHeard = s.timeNanos();
            }
        }
        int probeSeq = conn.status(w.net.now()).sndUna() - 1;
        long firstProbe = lastHeard + cfg.tcpKeepaliveTime().toNanos();
        w.net.runUntil(firstProbe + cfg.tcpKeepaliveIntvl().toNanos() / 2);
        run.show("one keepalive probe sent and unanswered: ss shows the keepalive timer running to the next probe");
        w.net.runWhile(() -> conn.state() != State.CLOSED, w.net.now() + World.seconds(3600));

        List<TraceEvent.SegmentEvent> probes = w.sent("client", ".").stream()
                .filter(s -> s.segment().payloadLength == 0 && s.segment().seq == probeSeq).toList();
        List<TraceEvent.SegmentEvent> rst = w.sent("client", "R.");
        // The server's host comes back rebooted: its old connection state is gone.
        if (server[0] != null && server[0].conn != null) server[0].conn.abort(w.net.now());
        Stories.call(run, w, "server", World.SERVER_ADDRESS, null, "reboot", "its connection state is gone");
        w.runUntilEmpty();

        String times = probes.stream().map(p -> Conversation.at(p.timeNanos())).reduce((a, b) -> a + ", " + b).orElse("none");
        boolean timedOut = w.sawCause("client", Cause.KEEPALIVE_TIMEOUT);
        return Explanation.of(
                "The connection went idle after its one exchange; at " + Conversation.at(VANISH_AT)
                        + " the server's host vanished, which nothing on the wire announces: for the client it was simply quiet.",
                "After tcp_keepalive_time (" + TIME + " s) of silence the client sent a keepalive probe (an ACK carrying"
                        + " SND.UNA - 1, which a live peer must answer), then one every tcp_keepalive_intvl (" + INTVL
                        + " s): " + probes.size() + " probes, at " + times + ", none answered.",
                timedOut
                        ? "After " + PROBES + " unanswered probes the client gave up at "
                        + Conversation.at(rst.isEmpty() ? w.net.now() : rst.getFirst().timeNanos())
                        + ", sent an RST and deleted the connection; its application got " + client.error + "."
                        : "The client never gave up (" + client.error + ").",
                "Without keepalive the half-open connection would have stayed ESTABLISHED on the client forever, since an"
                        + " idle TCP connection sends nothing; with Linux's defaults (7200 s, 75 s, 9 probes) it takes"
                        + " 2 h 11 min to notice.");
    }
}
