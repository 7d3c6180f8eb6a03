package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.host.Stack;
import io.jtcp.observe.TimePlot;
import io.jtcp.api.ConnectionStatus;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.State;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 002: a client that opens short connections to one server port as fast as it
 * can, each closed by the client first (request, reply, close), leaves one TIME_WAIT
 * entry per connection; with a narrow ip_local_port_range ({@value #RANGE}) it runs
 * out of 4-tuples and connect() fails with EADDRNOTAVAIL. A host's sysctls are fixed,
 * so the cures run on client hosts of their own, one phase after another against the
 * same server: phase 2 with tcp_tw_reuse = 1 (TIME_WAIT 4-tuples at least a second old
 * are taken over, TWRecycled), phase 3 with tcp_max_tw_buckets = {@value #BUCKETS}
 * (closers past the cap skip TIME_WAIT, TCPTimeWaitOverflow).
 *
 * <p>TIME_WAIT counts are sampled every {@value #SAMPLE_MS} ms of virtual time: a text
 * table in the explanation and a {@link TimePlot} through {@link Plotted}.
 */
final class PortExhaustionScenario implements Scenario, Plotted {
    static final String RANGE = "40000 40099";
    static final int BUCKETS = 10, CURE_CONNECTIONS = 200, MAX_CONNECTIONS = 1000;
    static final long SAMPLE_MS = 50, SAMPLE_OFFSET_MS = 15, TABLE_MS = 500, PAUSE = World.ms(500);

    /** One client host's churn: how many connections it opened and when connect first failed. */
    static final class Phase {
        final String label;
        final Stack host;
        final int limit;
        int opened, completed;
        long start = -1, end = -1, failedAt = -1;
        int timeWaitAtFailure;
        Errno failure;

        Phase(String label, Stack host, int limit) {
            this.label = label;
            this.host = host;
            this.limit = limit;
        }
    }

    final List<Phase> phases = new ArrayList<>();
    private TimePlot plot;

    @Override public String name() { return "port-exhaustion"; }

    @Override public String title() { return "short connections closed first exhaust the ports; tcp_tw_reuse and tcp_max_tw_buckets"; }

    @Override public String plotSvg() { return plot == null ? null : plot.svg(); }

    @Override
    public Explanation run(Run run) throws Exception {
        phases.clear();
        Sysctls base = run.options.sysctls().set("ip_local_port_range", RANGE);
        World w = run.world(base, run.options.sysctls());
        w.server.listen(Conversation.PORT, (c, now) -> new App(w.net).sends(Conversation.REPLY, App.AfterSending.NOTHING)
                .closesOnEof(0));
        Stack reuse = Stories.host(run, w, "client-reuse", "10.0.0.3", base.set("tcp_tw_reuse", "1"), run.options.seed() + 1);
        Stack capped = Stories.host(run, w, "client-cap", "10.0.0.4", base.set("tcp_max_tw_buckets", Integer.toString(BUCKETS)),
                run.options.seed() + 2);
        Phase one = new Phase("client, defaults (tcp_tw_reuse=" + base.tcpTwReuse() + ")", w.client, MAX_CONNECTIONS);
        Phase two = new Phase("client-reuse, tcp_tw_reuse=1", reuse, CURE_CONNECTIONS);
        Phase three = new Phase("client-cap, tcp_max_tw_buckets=" + BUCKETS, capped, CURE_CONNECTIONS);
        phases.addAll(List.of(one, two, three));

        plot = new TimePlot("port-exhaustion: TIME_WAIT entries per client host, ip_local_port_range " + RANGE, "connections");
        List<TimePlot.Series> tw = new ArrayList<>();
        for (Phase p : phases) tw.add(plot.series("TIME_WAIT, " + p.label));
        TimePlot.Series est = plot.series("ESTABLISHED, all clients");
        List<long[]> table = new ArrayList<>();
        boolean[] sampling = {true};
        // Samples sit 15 ms into the 50 ms grid, off the 20 ms rhythm of connect and close, so ESTABLISHED shows.
        w.net.at(World.ms(SAMPLE_OFFSET_MS), () -> sample(w, tw, est, table, sampling));

        Stories.call(run, w, "client", World.CLIENT_ADDRESS, null, "phase 1 of 3",
                "connect, request, reply, close first, again, as fast as possible; ip_local_port_range " + RANGE);
        churn(run, w, one);
        w.net.runWhile(() -> one.end < 0, World.seconds(600));
        if (one.failure != null) {
            run.show("connect() failed with " + one.failure + ": every local port's 4-tuple to "
                    + World.SERVER_ADDRESS + ":" + Conversation.PORT + " is in TIME_WAIT");
            plot.marker(one.failedAt, "client: connect() fails, " + one.failure);
        }
        for (Phase p : List.of(two, three)) {
            w.net.runFor(PAUSE);
            String addr = p.host == reuse ? "10.0.0.3" : "10.0.0.4";
            Stories.call(run, w, p.host.name(), addr, null, "phase " + (phases.indexOf(p) + 1) + " of 3",
                    "the same churn from another host: " + p.label);
            plot.marker(w.net.now(), "phase " + (phases.indexOf(p) + 1) + ": " + p.label);
            churn(run, w, p);
            w.net.runWhile(() -> p.end < 0, w.net.now() + World.seconds(600));
            Stories.show(run, w, "phase " + (phases.indexOf(p) + 1) + " done: " + p.opened + " connections through "
                    + portCount() + " ports, " + p.host.timeWaitCount() + " in TIME_WAIT", p.host);
        }
        w.net.runFor(PAUSE);
        sampling[0] = false;
        w.net.runWhile(() -> phases.stream().anyMatch(p -> Stories.open(p.host) > 0) || Stories.open(w.server) > 0,
                w.net.now() + World.seconds(3600));

        long ttw = w.client.sysctls().timeWait().toSeconds();
        List<String> lines = new ArrayList<>();
        lines.add(one.failure != null
                ? "Phase 1: the client completed " + one.completed + " connections in "
                        + Conversation.at(one.failedAt - one.start) + "; each left a TIME_WAIT entry for " + ttw
                        + " s, and with " + portCount() + " local ports connect() number " + (one.opened + 1) + " failed at "
                        + Conversation.at(one.failedAt) + " with " + one.failure + " (" + one.timeWaitAtFailure
                        + " ports' 4-tuples in TIME_WAIT and the last connection still closing, as ss showed)."
                : "Phase 1: the client completed " + one.completed + " connections and never ran out of ports"
                        + " (the settings given on the command line prevented it).");
        lines.add("Phase 2, tcp_tw_reuse=1: " + two.completed + " connections through the same " + portCount() + " ports, "
                + (two.failure == null ? "none failed" : "failing with " + two.failure + " at " + Conversation.at(two.failedAt))
                + ": connect() took over TIME_WAIT 4-tuples at least 1 s old (TWRecycled = "
                + reuse.counters().timeWaitRecycled + "); timestamps (PAWS) keep the old incarnation's segments out.");
        lines.add("Phase 3, tcp_max_tw_buckets=" + BUCKETS + ": " + three.completed + " connections, "
                + (three.failure == null ? "none failed" : "failing with " + three.failure)
                + "; TIME_WAIT never held more than " + BUCKETS + " entries and " + capped.counters().timeWaitOverflow
                + " closers went straight to CLOSED (TCPTimeWaitOverflow), without TIME_WAIT's protection against"
                + " a lost final ACK or old duplicates.");
        lines.add("TIME_WAIT entries over time (every " + TABLE_MS + " ms; the plot has every " + SAMPLE_MS + " ms):");
        lines.add(String.format("%8s %10s %14s %12s %6s", "t (s)", "client", "client-reuse", "client-cap", "ESTAB"));
        for (long[] r : table) {
            lines.add(String.format("%8.3f %10d %14d %12d %6d", r[0] / 1e9, r[1], r[2], r[3], r[4]));
        }
        return new Explanation(List.copyOf(lines));
    }

    private static int portCount() {
        String[] lh = RANGE.split(" ");
        return Integer.parseInt(lh[1]) - Integer.parseInt(lh[0]) + 1;
    }

    /** Opens the phase's next connection; each one's close() schedules the next, until the limit or a failure. */
    private void churn(Run run, World w, Phase p) {
        if (p.start < 0) p.start = w.net.now();
        if (p.opened >= p.limit) {
            p.end = w.net.now();
            return;
        }
        Stories.Asker app = new Stories.Asker(Conversation.REQUEST, Conversation.REPLY.length);
        app.then(w.net, () -> {
            p.completed++;
            churn(run, w, p);
        });
        try {
            p.host.connect(World.SERVER, Conversation.PORT, app, w.net.now());
            p.opened++;
        } catch (ErrnoException e) {
            p.failure = e.errno();
            p.failedAt = p.end = w.net.now();
            p.timeWaitAtFailure = p.host.timeWaitCount();
            Stories.call(run, w, p.host.name(), null, World.SERVER_ADDRESS + ":" + Conversation.PORT, "connect",
                    "-1 " + e.errno());
        }
    }

    private void sample(World w, List<TimePlot.Series> tw, TimePlot.Series est, List<long[]> table, boolean[] sampling) {
        if (!sampling[0]) return;
        long now = w.net.now();
        long estab = 0;
        for (int i = 0; i < phases.size(); i++) {
            Stack h = phases.get(i).host;
            tw.get(i).add(now, h.timeWaitCount());
            for (ConnectionStatus c : h.connections()) if (c.state() == State.ESTABLISHED) estab++;
        }
        est.add(now, estab);
        if ((now - World.ms(SAMPLE_OFFSET_MS)) % World.ms(TABLE_MS) == 0) {
            table.add(new long[] {now, phases.get(0).host.timeWaitCount(), phases.get(1).host.timeWaitCount(),
                    phases.get(2).host.timeWaitCount(), estab});
        }
        w.net.at(now + World.ms(SAMPLE_MS), () -> sample(w, tw, est, table, sampling));
    }
}
