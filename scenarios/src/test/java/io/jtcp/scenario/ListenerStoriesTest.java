package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.host.Listening;
import io.jtcp.host.StackCounters;
import io.jtcp.link.sim.FaultRule;
import io.jtcp.link.sim.PacketMatch;
import io.jtcp.observe.TraceEvent;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.Connection;
import io.jtcp.api.ConnectionStatus;
import io.jtcp.api.Errno;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static io.jtcp.scenario.World.*;
import static org.assertj.core.api.Assertions.assertThat;

/** A listener's queues and SYN cookies, played on the simulator by two jtcp hosts. */
class ListenerStoriesTest {
    private final Sysctls linux = Sysctls.linux();

    /** What one request/response exchange left behind. */
    private record Exchange(World pair, ConnectionStatus server, ConnectionStatus client, StackCounters counters,
                            App serverApp, App clientApp) {}

    /** The client sends 300 kB and the server 300 kB back, both half-close and then close on end of stream. */
    private Exchange exchange(Sysctls cfg, byte[] up, byte[] down) throws Exception {
        World p = new World(21, cfg);
        App serverApp = new App(p.net).sends(down, App.AfterSending.SHUTDOWN_OUTPUT).closesOnEof(0);
        ConnectionStatus[] serverStatus = new ConnectionStatus[1];
        p.server.listen(80, (c, now) -> {
            serverStatus[0] = c.status(now);
            return serverApp;
        });
        App clientApp = new App(p.net).sends(up, App.AfterSending.SHUTDOWN_OUTPUT).closesOnEof(0);
        Connection client = p.client.connect(SERVER, 80, clientApp, 0);
        p.net.runUntil(ms(100));
        ConnectionStatus clientStatus = client.status(p.net.now());
        assertThat(p.runUntilEmpty()).isTrue();
        return new Exchange(p, serverStatus[0], clientStatus, p.server.counters(), serverApp, clientApp);
    }

    @Test
    void aCookieConnectionCarriesDataBothWaysWithTheSameOptionsAsANormalOne() throws Exception {
        byte[] up = new byte[300_000], down = new byte[300_000];
        new Random(1).nextBytes(up);
        new Random(2).nextBytes(down);
        Exchange normal = exchange(linux, up, down);
        Exchange cookie = exchange(linux.set("tcp_syncookies", "2"), up, down);

        assertThat(normal.counters().syncookiesSent).isZero();
        assertThat(cookie.counters().syncookiesSent).isEqualTo(1);
        assertThat(cookie.counters().syncookiesRecv).isEqualTo(1);
        assertThat(cookie.counters().syncookiesFailed).isZero();
        assertThat(cookie.counters().passiveOpens).isEqualTo(1);
        assertThat(cookie.pair().sawCause("server", Cause.SYN_COOKIE_ACK)).isTrue();
        assertThat(cookie.pair().states("server")).startsWith("LISTEN -> SYN_RECEIVED", "SYN_RECEIVED -> ESTABLISHED");
        assertThat(cookie.pair().states("server")).last().isEqualTo("TIME_WAIT -> CLOSED");

        for (Exchange e : List.of(normal, cookie)) {
            assertThat(e.serverApp().digest()).isEqualTo(App.sha256(up));
            assertThat(e.clientApp().digest()).isEqualTo(App.sha256(down));
            assertThat(e.serverApp().error).isNull();
            assertThat(e.clientApp().error).isNull();
        }
        ConnectionStatus n = normal.server(), c = cookie.server();
        assertThat(c.state()).isEqualTo(State.ESTABLISHED);
        assertThat(c.sndMss()).isEqualTo(n.sndMss()).isEqualTo(1460 - 12);
        assertThat(c.advertisedMss()).isEqualTo(n.advertisedMss());
        assertThat(c.sndWscale()).isEqualTo(n.sndWscale()).isEqualTo(10);
        assertThat(c.rcvWscale()).isEqualTo(n.rcvWscale()).isEqualTo(10);
        assertThat(c.timestamps()).isEqualTo(n.timestamps()).isTrue();
        assertThat(c.sack()).isEqualTo(n.sack()).isTrue();
        assertThat(c.sndWnd()).isEqualTo(n.sndWnd());
        assertThat(c.rcvWnd()).isEqualTo(n.rcvWnd());
        assertThat(c.iss() + 1).as("the cookie is the ISS").isEqualTo(c.sndUna());
        // The client cannot tell the difference either.
        assertThat(cookie.client().sndMss()).isEqualTo(normal.client().sndMss());
        assertThat(cookie.client().sndWscale()).isEqualTo(normal.client().sndWscale());
        assertThat(cookie.client().sack()).isTrue();
    }

    @Test
    void withoutTimestampsACookieConnectionKeepsOnlyItsMss() throws Exception {
        byte[] up = new byte[50_000], down = new byte[50_000];
        Exchange cookie = exchange(linux.set("tcp_syncookies", "2").set("tcp_timestamps", "0"), up, down);
        assertThat(cookie.counters().syncookiesRecv).isEqualTo(1);
        assertThat(cookie.server().sndMss()).isEqualTo(1460);
        assertThat(cookie.server().sndWscale()).as("window scaling lost, as in Linux").isEqualTo(-1);
        assertThat(cookie.server().sack()).isFalse();
        assertThat(cookie.serverApp().receivedBytes).isEqualTo(up.length);
        assertThat(cookie.clientApp().receivedBytes).isEqualTo(down.length);
    }

    @Test
    void dataOnTheCookieAckIsDelivered() throws Exception {
        // The client's bare ACK is lost: the first segment to reach the server is its data, carrying the cookie.
        World p = new World(22, linux.set("tcp_syncookies", "2"));
        FaultRule dropAck = FaultRule.drop(PacketMatch.path(CLIENT, SERVER).and(PacketMatch.ackOnly())).nth(1);
        p.net.addRule(dropAck);
        App serverApp = new App(p.net).closesOnEof(0);
        p.server.listen(80, (c, now) -> serverApp);
        App clientApp = new App(p.net).sends("hello".getBytes(), App.AfterSending.CLOSE);
        p.client.connect(SERVER, 80, clientApp, 0);
        assertThat(p.runUntilEmpty()).isTrue();
        assertThat(dropAck.applied()).isEqualTo(1);
        assertThat(p.server.counters().syncookiesRecv).isEqualTo(1);
        assertThat(serverApp.receivedBytes).isEqualTo(5);
        assertThat(serverApp.error).isNull();
    }

    @Test
    void aForgedAckToAListenerThatSentCookiesIsCountedAndReset() throws Exception {
        World p = new World(23, linux.set("tcp_syncookies", "2"));
        p.server.listen(80, (c, now) -> new App(p.net));
        p.client.connect(SERVER, 80, new App(p.net), 0);
        p.net.runUntil(ms(100));
        assertThat(p.server.counters().syncookiesRecv).isEqualTo(1);
        int before = p.server.connectionCount();

        IpAddress forger = IpAddress.parse("10.9.9.9");
        p.net.inject(packet(forger, 1234, SERVER, 80, TcpFlags.ACK, 5000, 0x1234_5678), p.net.now());
        p.net.runFor(ms(10));

        assertThat(p.server.counters().syncookiesFailed).isEqualTo(1);
        assertThat(p.server.connectionCount()).isEqualTo(before);
        List<TraceEvent.SegmentEvent> resets = p.sent("server", "R");
        assertThat(resets).hasSize(1);
        assertThat(resets.getFirst().segment().seq).as("<SEQ=SEG.ACK><CTL=RST>").isEqualTo(0x1234_5678);
    }

    @Test
    void aStrayAckToAListenerThatSentNoCookiesIsJustReset() throws Exception {
        World p = new World(24, linux);
        p.server.listen(80, (c, now) -> new App(p.net));
        p.net.inject(packet(IpAddress.parse("10.9.9.9"), 1234, SERVER, 80, TcpFlags.ACK, 5000, 77), 0);
        p.net.runFor(ms(10));
        assertThat(p.server.counters().syncookiesFailed).isZero();
        assertThat(p.sent("server", "R")).hasSize(1);
        assertThat(p.server.connectionCount()).isZero();
    }

    @Test
    void anExpiredCookieIsRejectedAndTheClientReset() throws Exception {
        World p = new World(25, linux.set("tcp_syncookies", "2"));
        p.server.listen(80, (c, now) -> new App(p.net));
        // Made in the first 64 s slot, checked in the third: two slots old.
        FaultRule holdAck = FaultRule.delay(PacketMatch.path(CLIENT, SERVER).and(PacketMatch.ackOnly()), Duration.ofSeconds(66))
                .nth(1);
        p.net.addRule(holdAck);
        App clientApp = new App(p.net);
        p.net.at(seconds(63), () -> connect(p, clientApp));
        p.net.runUntil(seconds(63));
        assertThat(p.runUntilEmpty()).isTrue();
        assertThat(holdAck.applied()).isEqualTo(1);
        assertThat(p.server.counters().syncookiesSent).isEqualTo(1);
        assertThat(p.server.counters().syncookiesRecv).isZero();
        assertThat(p.server.counters().syncookiesFailed).isEqualTo(1);
        assertThat(clientApp.error).isEqualTo(Errno.ECONNRESET);
    }

    @Test
    void aFullAcceptQueueHoldsTheThirdHandshakeUntilTheApplicationAccepts() throws Exception {
        World p = new World(26, linux);
        List<Connection> accepted = new ArrayList<>();
        // backlog 1: Linux's queue is full only past the backlog, so two connections wait; nobody accepts yet.
        Listening l = p.server.listen(80, 1, new SocketOptions(linux), (listener, now) -> { });
        List<App> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            App app = new App(p.net);
            clients.add(app);
            p.client.connect(SERVER, 80, app, 0);
        }
        p.net.runUntil(ms(500));
        assertThat(l.acceptQueueLength()).isEqualTo(2);
        assertThat(l.synQueueLength()).as("the third is held in SYN_RECEIVED").isEqualTo(1);
        assertThat(p.server.counters().listenOverflows).isEqualTo(1);
        assertThat(p.server.counters().listenDrops).isEqualTo(1);
        assertThat(clients).allMatch(c -> c.conn != null, "each client thinks it is connected");

        // The SYN-ACK is retransmitted (1 s, then 2 s later); each ACK it draws still finds the queue full.
        p.net.runUntil(ms(2500));
        assertThat(p.server.counters().listenOverflows).isEqualTo(2);
        assertThat(p.stateEvents("server", State.ESTABLISHED)).hasSize(2);
        l.accept((c, now) -> {
            accepted.add(c);
            return new App(p.net);
        });
        p.net.runUntil(seconds(10));

        List<TraceEvent.StateEvent> established = p.stateEvents("server", State.ESTABLISHED);
        assertThat(established).hasSize(3);
        assertThat(established.get(2).timeNanos()).as("only after the accept, on the next SYN-ACK retransmission")
                .isGreaterThan(ms(2500)).isLessThan(ms(3100));
        assertThat(p.sent("server", "S.")).as("three SYN-ACKs and two retransmissions").hasSize(5);
        assertThat(p.server.counters().listenOverflows).isEqualTo(2);
        assertThat(l.acceptQueueLength()).isEqualTo(2);
        assertThat(l.synQueueLength()).isZero();
        assertThat(accepted).hasSize(1);
    }

    @Test
    void withTcpAbortOnOverflowTheHandshakeIntoAFullQueueIsReset() throws Exception {
        World p = new World(26, linux.set("tcp_abort_on_overflow", "1"));
        Listening l = p.server.listen(80, 1, new SocketOptions(linux), (listener, now) -> { });
        List<App> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            App app = new App(p.net);
            clients.add(app);
            p.client.connect(SERVER, 80, app, 0);
        }
        p.net.runUntil(ms(500));
        // tcp_check_req's embryonic_reset: a RST answers the third final ACK and the request is gone.
        assertThat(l.acceptQueueLength()).isEqualTo(2);
        assertThat(l.synQueueLength()).isZero();
        assertThat(p.server.counters().listenOverflows).isEqualTo(1);
        assertThat(p.server.counters().embryonicRsts).isEqualTo(1);
        assertThat(p.sent("server", "R")).hasSize(1);
        assertThat(p.stateEvents("server", State.CLOSED)).hasSize(1);
        assertThat(clients).filteredOn(c -> c.error == Errno.ECONNRESET).hasSize(1);
        p.net.runUntil(seconds(10));
        assertThat(p.sent("server", "S.")).as("no SYN-ACK is retransmitted for the dropped request").hasSize(3);
    }

    @Test
    void aSynFindingTheAcceptQueueFullIsDroppedAndCountedAsAnOverflow() throws Exception {
        World p = new World(27, linux.set("tcp_syn_retries", "1").set("tcp_syn_linear_timeouts", "0"));
        Listening l = p.server.listen(80, 0, new SocketOptions(linux), (listener, now) -> { });
        App first = new App(p.net);
        p.client.connect(SERVER, 80, first, 0);
        p.net.runUntil(ms(100));
        App second = new App(p.net);
        p.client.connect(SERVER, 80, second, p.net.now());
        p.net.runUntil(ms(200));
        // backlog 0 still queues one; the second SYN finds the queue full and is dropped (tcp_conn_request).
        assertThat(l.acceptQueueLength()).isEqualTo(1);
        assertThat(p.server.counters().listenOverflows).isEqualTo(1);
        assertThat(p.server.counters().listenDrops).isEqualTo(1);
        p.net.runUntil(seconds(10));
        assertThat(second.error).isEqualTo(Errno.ETIMEDOUT);
        assertThat(p.server.counters().listenOverflows).as("the SYN and its one retransmission").isEqualTo(2);
    }

    private static void connect(World p, App app) {
        try {
            p.client.connect(SERVER, 80, app, p.net.now());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] packet(IpAddress src, int srcPort, IpAddress dst, int dstPort, int flags, int seq, int ack) {
        Segment s = new Segment();
        s.srcAddr = src;
        s.dstAddr = dst;
        s.srcPort = srcPort;
        s.dstPort = dstPort;
        s.flags = flags;
        s.seq = seq;
        s.ack = ack;
        s.window = 64240;
        byte[] buf = new byte[PacketCodec.encodedLength(s)];
        PacketCodec.encode(s, buf, 0);
        return buf;
    }
}
