package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.link.sim.FaultRule;
import io.jtcp.link.sim.PacketMatch;
import io.jtcp.observe.TraceEvent;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.Connection;
import io.jtcp.api.Errno;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static io.jtcp.scenario.World.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The seeds' timer stories at host level: keepalive against a vanished and a live peer, and tcp_fin_timeout. */
class TimerStoriesTest {
    private final Sysctls linux = Sysctls.linux();

    @Test
    void keepaliveDetectsAPeerThatVanishedAndResetsWithEtimedout() throws Exception {
        // SO_KEEPALIVE with the sysctls' defaults, here shortened: idle 60 s, a probe every 10 s, 3 probes.
        Sysctls cfg = linux.set("tcp_keepalive_time", "60").set("tcp_keepalive_intvl", "10").set("tcp_keepalive_probes", "3");
        World p = new World(41, cfg);
        p.server.listen(80, (c, now) -> new App(p.net));
        SocketOptions opts = new SocketOptions(cfg);
        opts.keepAlive = true;
        App client = new App(p.net);
        Connection conn = p.client.connect(0, SERVER, 80, opts, client, 0);
        p.net.runUntil(seconds(1));
        assertThat(conn.state()).isEqualTo(State.ESTABLISHED);
        // The half-open connection of the seed: the server's host is gone, nothing it sends arrives any more.
        FaultRule vanished = FaultRule.drop(PacketMatch.from(SERVER).and(PacketMatch.after(seconds(1))));
        p.net.addRule(vanished);

        p.net.runUntil(seconds(200));

        assertThat(client.error).isEqualTo(Errno.ETIMEDOUT);
        assertThat(client.closedNotice).isTrue();
        assertThat(conn.state()).isEqualTo(State.CLOSED);
        assertThat(p.sawCause("client", Cause.KEEPALIVE_TIMEOUT)).isTrue();
        List<TraceEvent.SegmentEvent> probes = p.probes("client", conn);
        assertThat(probes).hasSize(3);
        long established = p.stateEvents("client", State.ESTABLISHED).getFirst().timeNanos();
        assertThat(probes.get(0).timeNanos() - established).as("first probe after tcp_keepalive_time").isEqualTo(seconds(60));
        assertThat(probes.get(1).timeNanos() - probes.get(0).timeNanos()).isEqualTo(seconds(10));
        assertThat(probes.get(2).timeNanos() - probes.get(1).timeNanos()).isEqualTo(seconds(10));
        List<TraceEvent.SegmentEvent> resets = p.sent("client", "R.");
        assertThat(resets).hasSize(1);
        assertThat(resets.getFirst().timeNanos() - probes.get(2).timeNanos()).as("one interval after the last probe")
                .isEqualTo(seconds(10));
        assertThat(vanished.applied()).as("the server answered every probe, in vain").isGreaterThanOrEqualTo(3);
        assertThat(p.client.connectionCount()).isZero();
    }

    @Test
    void keepaliveProbesAnsweredByALivePeerKeepTheConnection() throws Exception {
        World p = new World(42, linux);
        p.server.listen(80, (c, now) -> new App(p.net));
        // setsockopt(TCP_KEEPIDLE = 30 s, TCP_KEEPINTVL = 5 s, TCP_KEEPCNT = 2) over the sysctls' defaults.
        SocketOptions opts = new SocketOptions(linux);
        opts.keepAlive = true;
        opts.keepIdle = Duration.ofSeconds(30);
        opts.keepIntvl = Duration.ofSeconds(5);
        opts.keepCnt = 2;
        App client = new App(p.net);
        Connection conn = p.client.connect(0, SERVER, 80, opts, client, 0);

        p.net.runUntil(seconds(3600));

        assertThat(conn.state()).isEqualTo(State.ESTABLISHED);
        assertThat(client.error).isNull();
        List<TraceEvent.SegmentEvent> probes = p.probes("client", conn);
        // One probe per idle period, each answered at once: 3600 s / (30 s + a round trip).
        assertThat(probes).hasSizeBetween(110, 120);
        assertThat(p.sent("client", "R.")).isEmpty();
        assertThat(p.server.connections()).singleElement().extracting(s -> s.state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void anOrphanInFinWait2IsClosedAfterTcpFinTimeout() throws Exception {
        World p = new World(43, linux.set("tcp_fin_timeout", "30"));
        // The server reads but never closes: its end stays in CLOSE_WAIT.
        p.server.listen(80, (c, now) -> new App(p.net));
        App client = new App(p.net).sends("bye".getBytes(), App.AfterSending.CLOSE);
        p.client.connect(SERVER, 80, client, 0);

        p.net.runUntil(seconds(120));

        assertThat(p.states("client")).containsExactly("CLOSED -> SYN_SENT", "SYN_SENT -> ESTABLISHED",
                "ESTABLISHED -> FIN_WAIT_1", "FIN_WAIT_1 -> FIN_WAIT_2", "FIN_WAIT_2 -> CLOSED");
        assertThat(p.sawCause("client", Cause.FIN_WAIT_2_TIMEOUT)).isTrue();
        long entered = p.stateEvents("client", State.FIN_WAIT_2).getFirst().timeNanos();
        long closed = p.stateEvents("client", State.CLOSED).getFirst().timeNanos();
        assertThat(closed - entered).isEqualTo(seconds(30));
        assertThat(client.error).isNull();
        assertThat(p.client.connectionCount()).isZero();
        assertThat(p.server.connections()).singleElement().extracting(s -> s.state()).isEqualTo(State.CLOSE_WAIT);
    }

    @Test
    void aHalfClosedSocketStillHeldByItsOwnerWaitsInFinWait2() throws Exception {
        World p = new World(44, linux.set("tcp_fin_timeout", "30"));
        p.server.listen(80, (c, now) -> new App(p.net));
        App client = new App(p.net).sends("request".getBytes(), App.AfterSending.SHUTDOWN_OUTPUT);
        Connection conn = p.client.connect(SERVER, 80, client, 0);

        p.net.runUntil(seconds(600));

        // shutdown(SHUT_WR) only: the application may still read, so no timer ends it (Linux: the
        // FIN_WAIT_2 timer is for orphans, SOCK_DEAD).
        assertThat(conn.state()).isEqualTo(State.FIN_WAIT_2);
        assertThat(conn.status(p.net.now()).timer()).isEqualTo("off");
        assertThat(p.sawCause("client", Cause.FIN_WAIT_2_TIMEOUT)).isFalse();

        // Once the application closes it too, it is an orphan and tcp_fin_timeout runs from then.
        conn.close(p.net.now());
        p.net.runUntil(seconds(700));
        assertThat(conn.state()).isEqualTo(State.CLOSED);
        long closed = p.stateEvents("client", State.CLOSED).getFirst().timeNanos();
        assertThat(closed).isEqualTo(seconds(630));
        assertThat(p.sawCause("client", Cause.FIN_WAIT_2_TIMEOUT)).isTrue();
    }
}
