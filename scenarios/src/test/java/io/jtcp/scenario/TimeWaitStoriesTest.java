package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.host.Listening;
import io.jtcp.host.SocketHandler;
import io.jtcp.link.sim.FaultRule;
import io.jtcp.link.sim.PacketMatch;
import io.jtcp.observe.TraceEvent;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.Connection;
import io.jtcp.api.ConnectionStatus;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.jtcp.scenario.World.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seeds' TIME_WAIT stories on the simulator, played against the host's
 * compact TIME_WAIT table: restart over TIME_WAIT (seed 000), port exhaustion
 * and its cures (seed 002), old duplicates (seeds 002/004), and each rule of
 * TIME_WAIT (RFC 9293 §3.10.7.4, RFC 1337, RFC 6191, RFC 7323 §5).
 */
class TimeWaitStoriesTest {
    private static final byte[] REQUEST = "request".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY = "reply".getBytes(StandardCharsets.US_ASCII);
    private final Sysctls linux = Sysctls.linux();

    // ---- seed 000: a restarted server and SO_REUSEADDR ----

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void restartedServerBindsOverItsTimeWaitOnlyWithSoReuseaddr(boolean reuseAddr) throws Exception {
        World p = new World(0, linux);
        SocketOptions opts = new SocketOptions(linux);
        opts.reuseAddr = reuseAddr;
        // The server speaks first and closes first: its side ends in TIME_WAIT.
        Listening old = p.server.listen(80, 16, opts, acceptAll(() -> new ClosesAtOnce()));
        p.client.connect(SERVER, 80, new App(p.net).closesOnEof(0), 0);
        p.net.runUntil(seconds(1));
        assertThat(p.server.timeWaitCount()).isEqualTo(1);
        assertThat(p.server.connectionCount()).as("no TCB is kept for TIME_WAIT").isZero();

        old.close(p.net.now());
        SocketOptions again = new SocketOptions(linux);
        again.reuseAddr = reuseAddr;
        if (reuseAddr) {
            Listening restarted = p.server.listen(80, 16, again, acceptAll(() -> new ClosesAtOnce()));
            assertThat(restarted.port()).isEqualTo(80);
        } else {
            assertThatThrownBy(() -> p.server.listen(80, 16, again, acceptAll(() -> new ClosesAtOnce())))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EADDRINUSE));
            // Once 2MSL is over the port is free again.
            assertThat(p.runUntilEmpty()).isTrue();
            assertThat(p.server.portsInUse()).isZero();
            p.server.listen(80, 16, again, acceptAll(() -> new ClosesAtOnce()));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void connectFromABoundPortTakesOverTimeWaitWithTimestampsWhateverTwReuseSays(boolean timestamps) throws Exception {
        // tcp_tw_reuse=0 (Linux's default is 2, loopback only): only the explicit port can take the tuple over.
        Sysctls cfg = linux.set("tcp_tw_reuse", "0").set("tcp_timestamps", timestamps ? "1" : "0");
        World p = new World(3, cfg);
        p.server.listen(80, 16, new SocketOptions(cfg), acceptAll(() -> new App(p.net).closesOnEof(0)));
        // Both sockets have SO_REUSEADDR, so bind(2) allows the port (inet_csk_bind_conflict); connect decides.
        SocketOptions opts = new SocketOptions(cfg);
        opts.reuseAddr = true;
        Connection first = p.client.connect(0, SERVER, 80, opts, new ClosesAtOnce(), 0);
        p.net.runUntil(seconds(1));
        assertThat(p.client.timeWaitCount()).isEqualTo(1);

        int port = first.tuple().localPort();
        if (timestamps) {
            p.client.connect(port, SERVER, 80, opts, new App(p.net), p.net.now());
            assertThat(p.client.counters().timeWaitRecycled).isEqualTo(1);
            assertThat(p.client.timeWaitCount()).isZero();
        } else {
            // Without timestamps PAWS cannot keep the old incarnation's segments out: Linux refuses.
            assertThatThrownBy(() -> p.client.connect(port, SERVER, 80, opts, new App(p.net), p.net.now()))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EADDRINUSE));
        }
    }

    // ---- seed 002: ephemeral port exhaustion, tcp_tw_reuse, tcp_max_tw_buckets ----

    /** Runs 300 request/reply exchanges, one every 20 ms, the client closing first, through 100 ephemeral ports. */
    private static Churn churn(Sysctls cfg) throws Exception {
        World p = new World(2, cfg.set("ip_local_port_range", "40000 40099"));
        p.server.listen(80, (c, now) -> new App(p.net).sends(REPLY, App.AfterSending.NOTHING).closesOnEof(0));
        Churn churn = new Churn(p);
        for (int i = 0; i < 300; i++) {
            p.net.at(ms(20) * i, () -> {
                RequestThenClose app = new RequestThenClose();
                try {
                    p.client.connect(SERVER, 80, app, p.net.now());
                    churn.clients.add(app);
                } catch (ErrnoException e) {
                    churn.failures.add(e.errno());
                }
            });
        }
        p.net.runUntil(seconds(10));
        return churn;
    }

    private record Churn(World p, List<RequestThenClose> clients, List<Errno> failures) {
        Churn(World p) { this(p, new ArrayList<>(), new ArrayList<>()); }

        long completed() {
            return clients.stream().filter(c -> Arrays.equals(c.received(), REPLY) && c.error == null && c.closed).count();
        }
    }

    @Test
    void activeCloserRunsOutOfEphemeralPortsWhileTheyAreInTimeWait() throws Exception {
        Churn churn = churn(linux);
        assertThat(churn.clients).hasSize(100);
        assertThat(churn.completed()).isEqualTo(100);
        assertThat(churn.failures).hasSize(200).containsOnly(Errno.EADDRNOTAVAIL);
        assertThat(churn.p.client.timeWaitCount()).isEqualTo(100);
        assertThat(churn.p.client.counters().timeWait).isEqualTo(100);
        assertThat(churn.p.client.counters().timeWaitRecycled).isZero();
    }

    @Test
    void twReuseLetsTheClientTakeOverTimeWaitTuplesOnceTheyAreASecondOld() throws Exception {
        Churn churn = churn(linux.set("tcp_tw_reuse", "1"));
        assertThat(churn.failures).isEmpty();
        assertThat(churn.clients).hasSize(300);
        assertThat(churn.completed()).as("more connections than ports, all complete").isEqualTo(300);
        assertThat(churn.p.client.counters().timeWaitRecycled).isEqualTo(200);
        assertThat(churn.p.sent("server", "R")).isEmpty();
        assertThat(churn.p.sent("client", "R")).isEmpty();
        // Each successor starts 65537 past its predecessor's SND.NXT (Linux's tcp_twsk_unique).
        assertThat(churn.p.sawCause("client", Cause.TIME_WAIT_REUSED)).isTrue();
        assertThat(churn.p.runUntilEmpty()).isTrue();
        assertThat(churn.p.client.portsInUse()).isZero();
    }

    @Test
    void twReuseTwoIsForLoopbackOnly() throws Exception {
        Churn churn = churn(linux.set("tcp_tw_reuse", "2"));
        assertThat(churn.clients).hasSize(100);
        assertThat(churn.failures).containsOnly(Errno.EADDRNOTAVAIL);
    }

    @Test
    void aFullTimeWaitTableSendsClosingConnectionsStraightToClosed() throws Exception {
        Churn churn = churn(linux.set("tcp_max_tw_buckets", "10"));
        assertThat(churn.failures).isEmpty();
        assertThat(churn.completed()).isEqualTo(300);
        assertThat(churn.p.client.timeWaitCount()).isEqualTo(10);
        assertThat(churn.p.client.counters().timeWaitOverflow).isEqualTo(290);
        assertThat(churn.p.client.counters().timeWait).isEqualTo(10);
        assertThat(churn.p.sawCause("client", Cause.TIME_WAIT_OVERFLOW)).isTrue();
        assertThat(churn.p.runUntilEmpty()).isTrue();
        assertThat(churn.p.client.portsInUse()).isZero();
    }

    // ---- seeds 002/004: an old duplicate meets the next incarnation ----

    @Test
    void oldDuplicateFromThePreviousIncarnationIsDroppedByPaws() throws Exception {
        // One ephemeral port and tcp_tw_reuse: the second connection reuses the first one's 4-tuple.
        OldDuplicate story = oldDuplicate(linux.set("tcp_tw_reuse", "1"), seconds(5));
        assertThat(story.p.client.counters().timeWaitRecycled).isEqualTo(1);
        assertThat(story.p.server.counters().drops(DropReason.PAWS)).isEqualTo(1);
        assertThat(story.p.server.counters().pawsEstablished).isEqualTo(1);
    }

    @Test
    void oldDuplicateWithoutTimestampsFallsBelowTheNewWindow() throws Exception {
        // No timestamps, so no reuse: a short TIME_WAIT (msl 1 s) lets the 4-tuple come back after 2 s.
        OldDuplicate story = oldDuplicate(linux.set("tcp_timestamps", "0").set("msl", "1"), seconds(4));
        assertThat(story.p.client.counters().timeWaitRecycled).isZero();
        assertThat(story.p.server.counters().drops(DropReason.OLD_SEQUENCE)
                + story.p.server.counters().drops(DropReason.OUT_OF_WINDOW)).isEqualTo(1);
    }

    private record OldDuplicate(World p) {}

    private OldDuplicate oldDuplicate(Sysctls cfg, long secondAt) throws Exception {
        World p = new World(4, cfg.set("ip_local_port_range", "40000 40000"));
        // The first data segment of the first connection wanders for 10 s; its retransmission does the job.
        FaultRule wander = FaultRule.delay(PacketMatch.path(CLIENT, SERVER).and(PacketMatch.withPayload()),
                Duration.ofSeconds(10)).nth(1);
        p.net.addRule(wander);
        List<App> served = new ArrayList<>();
        p.server.listen(80, (c, now) -> {
            App app = new App(p.net).sends(REPLY, App.AfterSending.NOTHING).closesOnEof(0);
            served.add(app);
            return app;
        });
        RequestThenClose first = new RequestThenClose();
        Connection one = p.client.connect(SERVER, 80, first, 0);
        byte[] second = "second".getBytes(StandardCharsets.US_ASCII);
        Connection[] two = new Connection[1];
        p.net.at(secondAt, () -> {
            try {
                two[0] = p.client.connect(SERVER, 80, new App(p.net).sends(second, App.AfterSending.NOTHING),
                        p.net.now());
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        });
        // The second connection is still open when the wanderer lands at 10 s; it closes at 20 s.
        p.net.at(seconds(20), () -> two[0].close(p.net.now()));
        p.net.runUntil(seconds(21));
        assertThat(p.runUntilEmpty()).isTrue();

        assertThat(wander.applied()).isEqualTo(1);
        assertThat(two[0].tuple()).isEqualTo(one.tuple());
        assertThat(served).hasSize(2);
        assertThat(served.get(0).receivedBytes).isEqualTo(REQUEST.length);
        assertThat(served.get(1).receivedBytes).as("only the new incarnation's bytes").isEqualTo(second.length);
        assertThat(served.get(1).digest()).isEqualTo(App.sha256(second));
        assertThat(served.get(1).error).isNull();
        return new OldDuplicate(p);
    }

    // ---- TIME_WAIT's rules, from the table ----

    @Test
    void timeWaitIsACompactEntryThatEndsAfterExactlyTwoMsl() throws Exception {
        World p = new World(20, linux);
        p.server.listen(80, (c, now) -> new App(p.net).sends(REPLY, App.AfterSending.NOTHING).closesOnEof(0));
        RequestThenClose app = new RequestThenClose();
        p.client.connect(SERVER, 80, app, 0);
        p.net.runUntil(seconds(1));

        assertThat(p.client.connectionCount()).isZero();
        assertThat(p.client.timeWaitCount()).isEqualTo(1);
        assertThat(app.closed).as("the application's socket is done").isTrue();
        List<ConnectionStatus> status = p.client.connections();
        assertThat(status).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(State.TIME_WAIT);
            assertThat(s.timer()).isEqualTo("timewait");
            assertThat(s.timerRemaining()).isBetween(seconds(59), seconds(60));
        });
        assertThat(p.client.portsInUse()).as("TIME_WAIT keeps its port share").isEqualTo(1);

        assertThat(p.runUntilEmpty()).isTrue();
        TraceEvent.StateEvent entered = p.stateEvents("client", State.TIME_WAIT).getFirst();
        TraceEvent.StateEvent expired = p.stateEvents("client", State.CLOSED).getFirst();
        assertThat(expired.cause()).isEqualTo(Cause.TIME_WAIT_EXPIRED.toString());
        assertThat(expired.from()).isEqualTo(State.TIME_WAIT);
        assertThat(expired.local()).isEqualTo(entered.local());
        assertThat(expired.remote()).isEqualTo(entered.remote());
        assertThat(expired.timeNanos() - entered.timeNanos()).isEqualTo(seconds(60));
        assertThat(p.client.portsInUse()).isZero();
        assertThat(p.client.counters().timeWait).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void exactRstKillsTimeWaitUnlessRfc1337(boolean rfc1337) throws Exception {
        World p = new World(21, linux.set("tcp_rfc1337", rfc1337 ? "1" : "0"));
        p.server.listen(80, (c, now) -> new App(p.net).sends(REPLY, App.AfterSending.NOTHING).closesOnEof(0));
        p.client.connect(SERVER, 80, new RequestThenClose(), 0);
        p.net.runUntil(seconds(1));
        ConnectionStatus tw = p.client.connections().getFirst();
        Segment rst = toward(tw);
        rst.seq = tw.rcvNxt();
        rst.flags = TcpFlags.RST;
        p.net.inject(packet(rst), seconds(2));
        p.net.runUntil(seconds(3));

        if (rfc1337) {
            assertThat(p.client.timeWaitCount()).isEqualTo(1);
            assertThat(p.client.counters().timeWaitKilled).isZero();
            assertThat(p.client.counters().drops(DropReason.TIME_WAIT)).isEqualTo(1);
        } else {
            assertThat(p.client.timeWaitCount()).isZero();
            assertThat(p.client.counters().timeWaitKilled).isEqualTo(1);
            assertThat(p.sawCause("client", Cause.RESET_TIME_WAIT)).isTrue();
            assertThat(p.client.portsInUse()).as("the killed entry's port share is released").isZero();
        }
    }

    @Test
    void synWithHigherSequenceStartsANewIncarnationWithLinuxsIss() throws Exception {
        World p = new World(22, linux);
        List<Connection> accepted = new ArrayList<>();
        // The server closes first, so its side holds TIME_WAIT while its listener stays open.
        p.server.listen(80, (c, now) -> {
            accepted.add(c);
            return new ClosesAtOnce();
        });
        Connection first = p.client.connect(SERVER, 80, new App(p.net).closesOnEof(0), 0);
        p.net.runUntil(seconds(1));
        ConnectionStatus tw = p.server.connections().getFirst();
        assertThat(tw.state()).isEqualTo(State.TIME_WAIT);

        // The client's next SYN from the same port: a later ISN and a later timestamp (RFC 6191).
        SocketOptions opts = new SocketOptions(linux);
        p.client.connect(first.tuple().localPort(), SERVER, 80, opts, new App(p.net).closesOnEof(0), p.net.now());
        p.net.runUntil(seconds(2));

        assertThat(p.sawCause("server", Cause.TIME_WAIT_NEW_INCARNATION)).isTrue();
        assertThat(accepted).hasSize(2);
        assertThat(accepted.get(1).tuple()).isEqualTo(accepted.get(0).tuple());
        assertThat(accepted.get(1).iss()).isEqualTo(tw.sndNxt() + 65535 + 2);
        assertThat(p.server.counters().passiveOpens).isEqualTo(2);
    }

    @Test
    void synThatCannotStartANewIncarnationIsAnsweredWithAnAck() throws Exception {
        World p = new World(23, linux);
        p.server.listen(80, (c, now) -> new ClosesAtOnce());
        p.client.connect(SERVER, 80, new App(p.net).closesOnEof(0), 0);
        p.net.runUntil(seconds(1));
        ConnectionStatus tw = p.server.connections().getFirst();
        // The client host would answer the ACK with an RST (it has no such connection); keep that off the stage.
        p.net.addRule(FaultRule.drop(PacketMatch.path(CLIENT, SERVER).and(PacketMatch.hasFlags(TcpFlags.RST))));
        Segment syn = new Segment();
        syn.srcAddr = CLIENT;
        syn.dstAddr = SERVER;
        syn.srcPort = tw.tuple().remotePort();
        syn.dstPort = 80;
        syn.seq = tw.rcvNxt() - 1000;
        syn.flags = TcpFlags.SYN;
        syn.window = 65535;
        long acksBefore = p.sent("server", ".").size();
        p.net.inject(packet(syn), seconds(2));
        p.net.runUntil(seconds(3));

        List<TraceEvent.SegmentEvent> acks = p.sent("server", ".");
        assertThat(acks).hasSize((int) acksBefore + 1);
        Segment ack = acks.getLast().segment();
        assertThat(ack.seq).isEqualTo(tw.sndNxt());
        assertThat(ack.ack).isEqualTo(tw.rcvNxt());
        assertThat(ack.hasTimestamps).isTrue();
        assertThat(p.server.timeWaitCount()).isEqualTo(1);
        assertThat(p.server.connectionCount()).isZero();
        assertThat(p.sawCause("server", Cause.TIME_WAIT_NEW_INCARNATION)).isFalse();
        assertThat(p.server.counters().drops(DropReason.TIME_WAIT)).isEqualTo(1);
    }

    @Test
    void pawsDropsAnOldTimestampOnAnEstablishedConnection() throws Exception {
        World p = new World(24, linux);
        App server = new App(p.net);
        p.server.listen(80, (c, now) -> server);
        Connection client = p.client.connect(SERVER, 80, new App(p.net), 0);
        p.net.runUntil(seconds(1));
        Segment last = p.sent("client", ".").getLast().segment();
        ConnectionStatus st = p.server.connections().getFirst();
        Segment old = new Segment();
        old.srcAddr = CLIENT;
        old.dstAddr = SERVER;
        old.srcPort = client.tuple().localPort();
        old.dstPort = 80;
        old.seq = st.rcvNxt();
        old.ack = st.sndNxt();
        old.flags = TcpFlags.ACK | TcpFlags.PSH;
        old.window = 1000;
        old.hasTimestamps = true;
        old.tsVal = last.tsVal - 5000;
        old.tsEcr = last.tsEcr;
        old.payload("stale".getBytes(StandardCharsets.US_ASCII), 0, 5);
        p.net.inject(packet(old), seconds(2));
        p.net.runUntil(seconds(3));

        assertThat(p.server.counters().pawsEstablished).isEqualTo(1);
        assertThat(p.server.counters().drops(DropReason.PAWS)).isEqualTo(1);
        assertThat(server.receivedBytes).isZero();
    }

    // ---- helpers ----

    /** A segment from the peer of {@code tw} toward its TIME_WAIT side. */
    private static Segment toward(ConnectionStatus tw) {
        Segment s = new Segment();
        s.srcAddr = tw.tuple().remoteAddr();
        s.dstAddr = tw.tuple().localAddr();
        s.srcPort = tw.tuple().remotePort();
        s.dstPort = tw.tuple().localPort();
        s.window = 65535;
        return s;
    }

    private static byte[] packet(Segment s) {
        byte[] buf = new byte[PacketCodec.MAX_PACKET_LENGTH];
        int n = PacketCodec.encode(s, buf, 0);
        return Arrays.copyOf(buf, n);
    }

    private static io.jtcp.host.ListenHandler acceptAll(java.util.function.Supplier<SocketHandler> handlers) {
        return (l, now) -> {
            while (l.accept((c, t) -> handlers.get()) != null) {
                // each accepted connection gets its own handler
            }
        };
    }

    /** Speaks first and closes at once: the side that ends up in TIME_WAIT. */
    private static final class ClosesAtOnce implements SocketHandler {
        @Override
        public void established(Connection c, long now) {
            try {
                c.send(REPLY, 0, REPLY.length, now);
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
            c.close(now);
        }
    }

    /** Sends the request, reads the reply, then closes first: the client of seed 002. */
    static final class RequestThenClose implements SocketHandler {
        private final java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        Errno error;
        boolean closed;

        byte[] received() { return got.toByteArray(); }

        @Override
        public void established(Connection c, long now) {
            try {
                c.send(REQUEST, 0, REQUEST.length, now);
            } catch (ErrnoException e) {
                error = e.errno();
            }
        }

        @Override
        public void readable(Connection c, long now) {
            byte[] buf = new byte[64];
            try {
                for (int n; (n = c.receive(buf, 0, buf.length, now)) > 0; ) got.write(buf, 0, n);
            } catch (ErrnoException e) {
                error = e.errno();
                return;
            }
            if (got.size() >= REPLY.length && c.state() == State.ESTABLISHED) c.close(now);
        }

        @Override
        public void closed(Connection c, Errno err, long now) {
            closed = true;
            if (err != null) error = err;
        }
    }
}
