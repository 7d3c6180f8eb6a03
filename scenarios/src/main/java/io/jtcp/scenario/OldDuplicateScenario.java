package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.link.sim.FaultRule;
import io.jtcp.link.sim.PacketMatch;
import io.jtcp.observe.TraceEvent;
import io.jtcp.tcp.Connection;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.wire.DropReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The second reason for TIME_WAIT (seeds 002, 004): a segment of an old connection,
 * held up in the network, must not be taken for data of a new connection on the same
 * 4-tuple. The client binds the same local port both times (SO_REUSEADDR), timestamps
 * are off (so PAWS, the modern second line of defence, cannot step in), and both hosts
 * pick their initial sequence numbers without RFC 6528's clock ({@code tcp_isn_mode =
 * fixed}), as a naive stack would, so the two incarnations' sequence spaces coincide.
 * The server's first reply is held in the network for {@value #HELD_SECONDS} s, well
 * under the MSL; its retransmission lets the first exchange finish. {@code tcp_rfc1337}
 * is on, so the RST the old segment's ACK draws from the server cannot end TIME_WAIT early.
 *
 * <p>Normally the client's TIME_WAIT keeps the 4-tuple: the second connect fails with
 * EADDRINUSE until 2MSL is over, and the held-up reply lands on the TIME_WAIT entry.
 * With {@code --ablate time-wait} the second connection starts at once, and the held-up
 * reply arrives in its window and is delivered to the application as if the new server
 * had sent it.
 */
final class OldDuplicateScenario implements Scenario {
    static final int CLIENT_PORT = 40000;
    static final long HELD_SECONDS = 2;
    /** The second server takes its time to answer, so the new connection waits with its window open. */
    static final long SECOND_THINK = World.seconds(3);
    static final byte[] REPLY_1 = Conversation.REPLY;
    static final byte[] REPLY_2 = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, again!".getBytes(StandardCharsets.US_ASCII);

    @Override public String name() { return "old-duplicate"; }

    @Override public String title() { return "a delayed segment of an old connection meets a new one on the same 4-tuple"; }

    /** Both incarnations' client applications, in order, for tests. */
    final List<Stories.Asker> clients = new ArrayList<>();

    @Override
    public Explanation run(Run run) throws Exception {
        clients.clear();
        boolean ablated = run.options.ablated(ScenarioOptions.ABLATE_TIME_WAIT);
        // tcp_rfc1337: TIME_WAIT's ACK of the old segment draws an RST from the server's listener, which would
        // otherwise end TIME_WAIT early (RFC 1337's hazard) and blur the story.
        Sysctls cfg = run.options.sysctls().set("tcp_timestamps", "0").set("tcp_isn_mode", "fixed").set("tcp_rfc1337", "1");
        if (ablated) cfg = cfg.set("tcp_max_tw_buckets", "0");
        World w = run.world(cfg, cfg);
        FaultRule held = FaultRule.delay(PacketMatch.path(World.SERVER, World.CLIENT).and(PacketMatch.withPayload()),
                Duration.ofSeconds(HELD_SECONDS)).nth(1);
        w.net.addRule(held);
        List<Stories.Replier> served = new ArrayList<>();
        w.server.listen(Conversation.PORT, (c, now) -> {
            boolean first = served.isEmpty();
            Stories.Replier r = new Stories.Replier(w, first ? REPLY_1 : REPLY_2, Conversation.REQUEST.length,
                    first ? 0 : SECOND_THINK);
            served.add(r);
            return r;
        });

        Stories.Asker one = connect(run, w);
        w.net.runWhile(() -> !(one.closedByApp && w.client.connectionCount() == 0), World.seconds(30));
        long firstGone = w.net.now();
        Stories.Asker two;
        long refusedAt = -1;
        try {
            two = connect(run, w);
        } catch (ErrnoException e) {
            refusedAt = w.net.now();
            run.show("connect() from port " + CLIENT_PORT + " again: EADDRINUSE, the 4-tuple is in TIME_WAIT");
            w.net.runWhile(() -> w.client.timeWaitCount() > 0, w.net.now() + World.seconds(3600));
            two = connect(run, w);
        }
        long secondAt = w.net.now();
        Stories.Asker second = two;
        w.net.runWhile(() -> second.establishedAt < 0, w.net.now() + World.seconds(60));
        w.net.runFor(World.ms(50));
        run.show("the second connection is established on the same 4-tuple; its server will answer in "
                + SECOND_THINK / 1_000_000_000 + " s");
        w.runUntilEmpty();

        long heldArrival = held.applied() == 0 ? -1 : arrivalOfHeld(w);
        String got = Stories.body(second.received.toByteArray());
        boolean stale = java.util.Arrays.equals(second.received.toByteArray(), REPLY_1);
        String defences = "Timestamps were off, so PAWS (RFC 7323), the modern second line of defence, could not reject it by"
                + " its old TSval; and both hosts used tcp_isn_mode=fixed, a teaching switch: RFC 6528's clock-driven ISNs"
                + " would have started the new connection far from the old sequence numbers.";
        if (!stale) {
            long tw = w.server.sysctls().timeWait().toSeconds();
            long absorbed = w.client.counters().drops(DropReason.TIME_WAIT);
            return Explanation.of(
                    "The server's first reply (" + Stories.body(REPLY_1) + ") was held in the network for " + HELD_SECONDS
                            + " s; its retransmission completed the first exchange and the client closed first at "
                            + Conversation.at(firstGone) + ", entering TIME_WAIT.",
                    refusedAt >= 0
                            ? "connect() from the same port at " + Conversation.at(refusedAt) + " failed with EADDRINUSE: the"
                            + " 4-tuple was still in TIME_WAIT (" + tw + " s), so the client had to wait until "
                            + Conversation.at(secondAt) + "."
                            : "The second connect() succeeded at once at " + Conversation.at(secondAt) + ".",
                    heldArrival >= 0
                            ? "The held-up copy arrived at " + Conversation.at(heldArrival) + ", while TIME_WAIT still held the"
                            + " 4-tuple: it was absorbed there (" + absorbed + " segment" + (absorbed == 1 ? "" : "s")
                            + " counted as TIME_WAIT drops) and never reached a new connection. TIME_WAIT's ACK of it drew"
                            + " an RST from the server's listener, which tcp_rfc1337=1 (set for this story) told TIME_WAIT"
                            + " to ignore; without it the RST would have ended TIME_WAIT early, RFC 1337's hazard."
                            : "The held-up copy never arrived.",
                    "The second connection read only its own reply, " + got + ". 2MSL of TIME_WAIT outlasts any segment"
                            + " of the old connection still in the network.",
                    defences);
        }
        return Explanation.of(
                "With TIME_WAIT ablated (tcp_max_tw_buckets=0) the client forgot the first connection the moment it closed, at "
                        + Conversation.at(firstGone) + ", and connected again from port " + CLIENT_PORT + " at once.",
                "The server's first reply, held in the network for " + HELD_SECONDS + " s, arrived at " + Conversation.at(heldArrival)
                        + " on the new connection: its sequence numbers fell in the new receive window and its ACK covered"
                        + " what the new client had sent, so it was accepted as new data.",
                "The second connection's application read " + got + ", the FIRST server's reply; the real answer, "
                        + Stories.body(REPLY_2) + ", came " + SECOND_THINK / 1_000_000_000
                        + " s after the request and was discarded as a duplicate of bytes already received. Meanwhile the"
                        + " client's ACKs of the stale bytes acknowledged data the new server had never sent: it dropped "
                        + w.server.counters().drops(DropReason.ACK_UNACCEPTABLE) + " of them as ACK_UNACCEPTABLE.",
                defences,
                "This is the second reason TIME_WAIT exists: while it holds the 4-tuple for 2MSL, no new incarnation can"
                        + " receive the old one's wandering segments.");
    }

    private Stories.Asker connect(Run run, World w) throws ErrnoException {
        SocketOptions opts = new SocketOptions(w.client.sysctls());
        opts.reuseAddr = true;
        Stories.Asker app = new Stories.Asker(Conversation.REQUEST, REPLY_1.length);
        String local = World.CLIENT_ADDRESS + ":" + CLIENT_PORT, remote = World.SERVER_ADDRESS + ":" + Conversation.PORT;
        try {
            Connection c = w.client.connect(CLIENT_PORT, World.SERVER, Conversation.PORT, opts, app, w.net.now());
            app.conn = c;
            Stories.call(run, w, "client", local, remote, "connect (bind " + CLIENT_PORT + ", SO_REUSEADDR)", "in progress");
        } catch (ErrnoException e) {
            Stories.call(run, w, "client", local, remote, "connect (bind " + CLIENT_PORT + ", SO_REUSEADDR)",
                    "-1 " + e.errno());
            throw e;
        }
        clients.add(app);
        return app;
    }

    /** When the held-up packet reached the client: the first server payload the client received after the hold. */
    private static long arrivalOfHeld(World w) {
        return w.events.stream().filter(e -> e instanceof TraceEvent.SegmentEvent s && s.host().equals("client")
                        && TraceEvent.SegmentEvent.IN.equals(s.dir()) && s.segment().payloadLength > 0
                        && s.timeNanos() >= World.seconds(HELD_SECONDS))
                .mapToLong(TraceEvent::timeNanos).findFirst().orElse(-1);
    }
}
