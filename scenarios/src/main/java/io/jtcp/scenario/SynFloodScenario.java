package io.jtcp.scenario;

import io.jtcp.wire.IpAddress;
import io.jtcp.config.Sysctls;
import io.jtcp.host.Listening;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.observe.TimePlot;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.tcp.Connection;
import io.jtcp.api.ConnectionStatus;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import io.jtcp.wire.Ip4;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A SYN flood (RFC 4987) against two servers in turn, while a legitimate client
 * connects: {@value #SYNS_PER_PHASE} SYNs from spoofed, unreachable 10.x sources per
 * phase. Phase 1's server has tcp_syncookies = 1: once its SYN queue (tcp_max_syn_backlog)
 * is full it answers SYNs with cookies and keeps no state, and the client connects every
 * time. Phase 2's server (10.0.0.5) has cookies off: its SYN queue stays full of half-open
 * connections that will never complete, every further SYN is dropped (ListenDrops), and
 * the client gives up after tcp_syn_retries (shortened to {@value #SYN_RETRIES}, and without
 * tcp_syn_linear_timeouts' flat start) with ETIMEDOUT.
 *
 * <p>The servers' traces are filtered to the legitimate client's 4-tuples, as
 * {@code tcpdump host 10.0.0.1} would: the flood is counted, not printed.
 */
final class SynFloodScenario implements Scenario, Plotted {
    static final int SYNS_PER_PHASE = 10_000, BATCH = 100, LEGIT_CONNECTS = 4;
    static final String SYN_RETRIES = "2";
    static final long BATCH_INTERVAL = World.ms(10), PHASE_2_AT = World.seconds(3), SAMPLE = World.ms(50);
    static final String SERVER_2 = "10.0.0.5";

    /** What each phase's legitimate connects came to. */
    static final class Phase {
        final String label;
        final Stack server;
        final IpAddress serverAddr;
        Listening listener;
        int established;
        final List<Errno> errors = new ArrayList<>();
        long firstFailureAt = -1;

        Phase(String label, Stack server, IpAddress serverAddr) {
            this.label = label;
            this.server = server;
            this.serverAddr = serverAddr;
        }
    }

    final List<Phase> phases = new ArrayList<>();
    private TimePlot plot;

    @Override public String name() { return "syn-flood"; }

    @Override public String title() { return "spoofed SYNs fill the SYN queue; with syncookies the client still connects"; }

    @Override public String plotSvg() { return plot == null ? null : plot.svg(); }

    @Override
    public Explanation run(Run run) throws Exception {
        phases.clear();
        Sysctls client = run.options.sysctls().set("tcp_syn_retries", SYN_RETRIES).set("tcp_syn_linear_timeouts", "0");
        World w = run.world(client, run.options.sysctls().set("tcp_syncookies", "1"));
        Stack noCookies = Stories.host(run, w, "server-nocookies", SERVER_2, run.options.sysctls().set("tcp_syncookies", "0"),
                run.options.seed() + 5);
        Phase one = new Phase("server, tcp_syncookies=1", w.server, World.SERVER);
        Phase two = new Phase("server-nocookies, tcp_syncookies=0", noCookies, IpAddress.parse(SERVER_2));
        phases.addAll(List.of(one, two));
        long[] floodSeen = new long[2];
        for (int i = 0; i < 2; i++) {
            Phase p = phases.get(i);
            int k = i;
            TraceSink record = w.events::add;
            TraceSink shown = record.andThen(run.reporter().trace());
            // Only the legitimate client's packets are shown; the flood is counted.
            p.server.setTrace(e -> {
                if (concernsClient(e)) shown.accept(e);
                else floodSeen[k]++;
            });
            p.listener = p.server.listen(Conversation.PORT, -1, new SocketOptions(p.server.sysctls()), (l, now) -> {
                while (l.accept((c, t) -> new App(w.net).closesOnEof(0)) != null) {
                    // each legitimate connection: read to end of stream, then close
                }
            });
        }

        plot = new TimePlot("syn-flood: SYN queues under " + SYNS_PER_PHASE + " spoofed SYNs a phase", "connections");
        TimePlot.Series q1 = plot.series("SYN queue, " + one.label), q2 = plot.series("SYN queue, " + two.label);
        TimePlot.Series est = plot.series("client connections ESTABLISHED");
        boolean[] sampling = {true};
        sample(w, q1, q2, est, sampling);

        SplittableRandom random = new SplittableRandom(run.options.seed() * 31 + 7);
        for (int i = 0; i < 2; i++) {
            Phase p = phases.get(i);
            long start = i == 0 ? World.ms(1) : PHASE_2_AT;
            w.net.at(start, () -> Stories.call(run, w, p.server.name(), p.serverAddr.withPort(Conversation.PORT),
                    null, "phase " + (phases.indexOf(p) + 1) + " of 2",
                    SYNS_PER_PHASE + " spoofed SYNs over " + SYNS_PER_PHASE / BATCH * BATCH_INTERVAL / 1_000_000 + " ms; " + p.label));
            for (int b = 0; b < SYNS_PER_PHASE / BATCH; b++) {
                long at = start + b * BATCH_INTERVAL;
                w.net.at(at, () -> {
                    for (int j = 0; j < BATCH; j++) w.net.inject(spoofedSyn(random, p.serverAddr, Conversation.PORT), at + j * (BATCH_INTERVAL / BATCH));
                });
            }
            for (int c = 0; c < (i == 0 ? LEGIT_CONNECTS : 1); c++) {
                w.net.at(start + World.ms(200) + c * World.ms(200), () -> connect(run, w, p));
            }
        }
        w.net.runUntil(World.ms(700));
        showFiltered(run, w, "phase 1 under the flood: the SYN queue is full, yet the client's connections came through cookies",
                w.client, w.server);
        w.net.runUntil(PHASE_2_AT + World.ms(500));
        showFiltered(run, w, "phase 2 under the flood: the client's SYN was dropped, it waits in SYN-SENT", w.client, noCookies);
        w.net.runWhile(() -> two.errors.isEmpty() && two.established == 0, w.net.now() + World.seconds(120));
        if (two.firstFailureAt >= 0) plot.marker(two.firstFailureAt, "client: connect() fails, " + two.errors.getFirst());
        plot.marker(PHASE_2_AT, "phase 2: cookies off");
        w.net.runFor(World.seconds(1));
        sampling[0] = false;
        w.net.runWhile(() -> Stories.open(w.client) + Stories.open(w.server) + Stories.open(noCookies) > 0,
                w.net.now() + World.seconds(3600));

        var c1 = one.server.counters();
        var c2 = two.server.counters();
        return Explanation.of(
                "Phase 1 (tcp_syncookies=1): " + SYNS_PER_PHASE + " spoofed SYNs filled the SYN queue ("
                        + one.server.sysctls().tcpMaxSynBacklog() + " entries, tcp_max_syn_backlog) within "
                        + one.server.sysctls().tcpMaxSynBacklog() / BATCH * BATCH_INTERVAL / 1_000_000 + " ms; after that the server"
                        + " answered each SYN with a cookie and kept nothing: SyncookiesSent = " + c1.syncookiesSent
                        + ", SyncookiesRecv = " + c1.syncookiesRecv + ".",
                "The client connected " + one.established + " times out of " + LEGIT_CONNECTS
                        + (one.errors.isEmpty() ? ", every time" : ", with errors " + one.errors)
                        + ": its ACK returned a valid cookie and the server rebuilt the connection from it. ListenDrops = "
                        + c1.listenDrops + ".",
                "Phase 2 (tcp_syncookies=0): the SYN queue of " + two.label.split(",")[0] + " stayed full of half-open"
                        + " connections to hosts that do not exist, and every other SYN was dropped: ListenDrops = "
                        + c2.listenDrops + " (TCPReqQFullDrop " + c2.reqQFullDrop + "), the client's SYN and its "
                        + SYN_RETRIES + " retransmissions among them.",
                two.firstFailureAt >= 0
                        ? "The client gave up at " + Conversation.at(two.firstFailureAt) + " with " + two.errors.getFirst()
                        + " (tcp_syn_retries=" + SYN_RETRIES + " and tcp_syn_linear_timeouts=0, shortened for the story;"
                        + " Linux's 6 after 4 linear timeouts take 131 s)."
                        : "The client connected " + two.established + " time(s) in phase 2.",
                "The flood's " + (floodSeen[0] + floodSeen[1]) + " trace events on the servers were counted, not printed;"
                        + " the spoofed half-open connections expired after tcp_synack_retries.");
    }

    /**
     * The views with each server's sockets filtered to the legitimate client, as
     * {@code ss -tan dst 10.0.0.1} would; the moment says how many SYN-RECV lines the flood holds.
     */
    private static void showFiltered(Run run, World w, String moment, Stack client, Stack server) {
        long now = w.net.now();
        var all = server.snapshot(now);
        String prefix = World.CLIENT_ADDRESS + ":";
        var mine = all.connections().stream().filter(c -> c.tuple().remote().startsWith(prefix)).toList();
        long synRecv = all.connections().stream().filter(c -> c.state() == State.SYN_RECEIVED).count();
        var filtered = new io.jtcp.observe.StackSnapshot(all.host(), all.address(), all.timeNanos(), mine, all.listeners(),
                all.counters(), all.drops());
        run.reporter().views(now, moment + " [" + server.name() + ": ss filtered to dst " + World.CLIENT_ADDRESS
                + "; " + synRecv + " SYN-RECV sockets of the flood not listed]", List.of(client.snapshot(now), filtered));
    }

    private static boolean concernsClient(TraceEvent e) {
        String prefix = World.CLIENT_ADDRESS + ":";
        return switch (e) {
            case TraceEvent.SegmentEvent s -> s.remote().startsWith(prefix) || s.local().startsWith(prefix);
            case TraceEvent.StateEvent s -> s.remote() != null && s.remote().startsWith(prefix);
            case TraceEvent.DropEvent d -> d.remote() != null && d.remote().startsWith(prefix);
            case TraceEvent.LossEvent l -> l.remote().startsWith(prefix);
            case TraceEvent.UserEvent u -> true;
        };
    }

    private void connect(Run run, World w, Phase p) {
        try {
            w.client.connect(p.serverAddr, Conversation.PORT, new SocketHandler() {
                @Override
                public void established(Connection c, long now) {
                    p.established++;
                    c.close(now);
                }

                @Override
                public void closed(Connection c, Errno error, long now) {
                    if (error == null) return;
                    p.errors.add(error);
                    if (p.firstFailureAt < 0) p.firstFailureAt = now;
                    Stories.call(run, w, "client", c.tuple().local(), c.tuple().remote(), "connect", "-1 " + error);
                }
            }, w.net.now());
            Stories.call(run, w, "client", null, p.serverAddr.withPort(Conversation.PORT), "connect", "in progress");
        } catch (ErrnoException e) {
            p.errors.add(e.errno());
        }
    }

    private void sample(World w, TimePlot.Series q1, TimePlot.Series q2, TimePlot.Series est, boolean[] sampling) {
        if (!sampling[0]) return;
        long now = w.net.now();
        q1.add(now, phases.get(0).listener.synQueueLength());
        q2.add(now, phases.get(1).listener.synQueueLength());
        long e = 0;
        for (ConnectionStatus c : w.client.connections()) if (c.state() == State.ESTABLISHED) e++;
        est.add(now, e);
        w.net.at(now + SAMPLE, () -> sample(w, q1, q2, est, sampling));
    }

    /** A SYN from a random unattached 10.x source: its SYN-ACK goes nowhere, as a spoofing flood's does. */
    static byte[] spoofedSyn(SplittableRandom r, IpAddress dst, int port) {
        Segment s = new Segment();
        s.srcAddr = IpAddress.v4(Ip4.parse("10.0.0.0") | (1 + r.nextInt(254)) << 16 | r.nextInt(1 << 16));
        s.dstAddr = dst;
        s.srcPort = 1024 + r.nextInt(64_512);
        s.dstPort = port;
        s.seq = r.nextInt();
        s.flags = TcpFlags.SYN;
        s.window = 64240;
        s.mss = 1460;
        s.windowScale = 7;
        s.sackPermitted = true;
        s.hasTimestamps = true;
        s.tsVal = r.nextInt();
        byte[] buf = new byte[PacketCodec.encodedLength(s)];
        PacketCodec.encode(s, buf, 0);
        return buf;
    }
}
