package io.jtcp.scenario;

import io.jtcp.fixtures.SvgDoc;
import io.jtcp.config.Sysctls;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TraceEvent;
import io.jtcp.tcp.Cause;
import io.jtcp.api.ConnectionStatus;
import io.jtcp.api.Errno;
import io.jtcp.tcp.State;
import io.jtcp.wire.DropReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed stories added to the scenarios, each judged from its run's events, counters and views. */
class ScenariosMoreTest {
    record Played(Scenario scenario, World world, Explanation explanation, ScenariosTest.Recorder recorder) {}

    static Played play(Scenario s, Set<String> ablations) throws Exception {
        ScenariosTest.Recorder r = new ScenariosTest.Recorder();
        Run run = new Run(new ScenarioOptions(1, Sysctls.linux(), ablations, List.of(), 0), r);
        Explanation e = s.run(run);
        assertThat(e.lines()).isNotEmpty();
        assertThat(run.world().open()).as("client and server end empty").isZero();
        return new Played(s, run.world(), e, r);
    }

    static Played play(Scenario s) throws Exception {
        return play(s, Set.of());
    }

    /** Bytes the client's application read on connection number {@code index} (0-based) of old-duplicate. */
    private static String clientRead(Played p, int index) {
        return ((OldDuplicateScenario) p.scenario).clients.get(index).received.toString(StandardCharsets.US_ASCII);
    }

    private static void assertValidXml(String svg) throws Exception {
        assertThat(svg).startsWith("<?xml").contains("<svg").contains("<polyline").contains("class=\"marker\"");
        SvgDoc.parse(svg);
    }

    @Test
    void allSixteenScenariosAreListed() {
        assertThat(Scenarios.all()).extracting(Scenario::name).doesNotHaveDuplicates().hasSize(16)
                .contains("old-duplicate", "address-in-use", "port-exhaustion", "half-open-keepalive",
                        "fin-wait-2-timeout", "syn-flood", "rst-abort", "tw-recycle-nat");
    }

    @Test
    void oldDuplicateIsAbsorbedByTimeWaitAndNeverDelivered() throws Exception {
        Played p = play(new OldDuplicateScenario());
        // The second connect failed while TIME_WAIT held the 4-tuple, and succeeded after it.
        assertThat(p.world.events).filteredOn(e -> e instanceof TraceEvent.UserEvent u && u.host().equals("client")
                && u.result() != null && u.result().contains("EADDRINUSE")).hasSize(1);
        List<TraceEvent.StateEvent> opens = p.world.stateEvents("client", State.SYN_SENT);
        long twEnd = p.world.stateEvents("client", State.CLOSED).stream()
                .filter(e -> e.from() == State.TIME_WAIT).findFirst().orElseThrow().timeNanos();
        assertThat(opens).hasSize(2);
        assertThat(opens.get(1).timeNanos()).isGreaterThanOrEqualTo(twEnd);
        assertThat(opens.get(1).local()).isEqualTo(opens.get(0).local());
        // The held-up reply landed on TIME_WAIT, and the new connection read only its own reply.
        assertThat(p.world.client.counters().drops(DropReason.TIME_WAIT)).isPositive();
        assertThat(clientRead(p, 1)).isEqualTo(new String(OldDuplicateScenario.REPLY_2, StandardCharsets.US_ASCII));
        assertThat(p.explanation.lines()).anyMatch(l -> l.contains("EADDRINUSE")).anyMatch(l -> l.contains("PAWS"));
    }

    @Test
    void withoutTimeWaitTheOldDuplicateIsDeliveredToTheNewConnection() throws Exception {
        Played p = play(new OldDuplicateScenario(), Set.of(ScenarioOptions.ABLATE_TIME_WAIT));
        assertThat(p.world.sawCause("client", Cause.TIME_WAIT_OVERFLOW)).isTrue();
        List<TraceEvent.StateEvent> opens = p.world.stateEvents("client", State.SYN_SENT);
        assertThat(opens).hasSize(2);
        assertThat(opens.get(1).local()).isEqualTo(opens.get(0).local());
        assertThat(opens.get(1).timeNanos()).isLessThan(World.seconds(1));
        // The stale bytes are what the new connection's application read.
        assertThat(clientRead(p, 1)).isEqualTo(new String(OldDuplicateScenario.REPLY_1, StandardCharsets.US_ASCII));
        assertThat(p.explanation.lines()).anyMatch(l -> l.contains("FIRST server's reply"));
    }

    @Test
    void addressInUseUntilBothListenersSetSoReuseaddr() throws Exception {
        AddressInUseScenario s = new AddressInUseScenario();
        Played p = play(s);
        assertThat(s.binds).extracting(AddressInUseScenario.Bind::errno)
                .containsExactly(null, Errno.EADDRINUSE, Errno.EADDRINUSE, null, null);
        assertThat(s.binds.get(2).reuseAddr()).isTrue();
        // At the failed bind the server's ss shows the TIME-WAIT line with its timer, and no listener.
        StackSnapshot server = p.recorder.views.get(1).get(1);
        assertThat(server.listeners()).isEmpty();
        assertThat(server.connections()).singleElement().satisfies(c -> {
            assertThat(c.state()).isEqualTo(State.TIME_WAIT);
            assertThat(c.timer()).isEqualTo("timewait");
        });
        // The last restart bound beside a live TIME_WAIT entry.
        StackSnapshot last = p.recorder.views.get(2).get(1);
        assertThat(last.listeners()).hasSize(1);
        assertThat(last.connections()).extracting(ConnectionStatus::state).containsExactly(State.TIME_WAIT);
    }

    @Test
    void portExhaustionAndItsTwoCures() throws Exception {
        PortExhaustionScenario s = new PortExhaustionScenario();
        Played p = play(s);
        PortExhaustionScenario.Phase plain = s.phases.get(0), reuse = s.phases.get(1), capped = s.phases.get(2);
        assertThat(plain.failure).isEqualTo(Errno.EADDRNOTAVAIL);
        assertThat(plain.completed).isEqualTo(100);
        assertThat(plain.host.counters().timeWait).isEqualTo(100);
        assertThat(reuse.failure).isNull();
        assertThat(reuse.completed).isEqualTo(PortExhaustionScenario.CURE_CONNECTIONS);
        assertThat(reuse.host.counters().timeWaitRecycled).isEqualTo(PortExhaustionScenario.CURE_CONNECTIONS - 100);
        assertThat(capped.failure).isNull();
        assertThat(capped.completed).isEqualTo(PortExhaustionScenario.CURE_CONNECTIONS);
        assertThat(capped.host.counters().timeWaitOverflow).isEqualTo(PortExhaustionScenario.CURE_CONNECTIONS - PortExhaustionScenario.BUCKETS);
        // The telling moment: every port's 4-tuple busy, nearly all in TIME_WAIT.
        StackSnapshot atFailure = p.recorder.views.getFirst().getFirst();
        assertThat(atFailure.connections()).filteredOn(c -> c.state() == State.TIME_WAIT).hasSizeGreaterThanOrEqualTo(99);
        assertThat(p.explanation.lines()).anyMatch(l -> l.contains("EADDRNOTAVAIL")).anyMatch(l -> l.contains("t (s)"));
        assertValidXml(s.plotSvg());
        assertThat(s.plotSvg()).contains("EADDRNOTAVAIL").contains("TIME_WAIT, client-reuse");
    }

    @Test
    void keepaliveFindsTheVanishedPeer() throws Exception {
        Played p = play(new HalfOpenKeepaliveScenario());
        assertThat(p.world.sawCause("client", Cause.KEEPALIVE_TIMEOUT)).isTrue();
        assertThat(p.world.sent("client", "R.")).hasSize(1);
        ConnectionStatus probing = p.recorder.views.get(1).getFirst().connections().getFirst();
        assertThat(probing.timer()).isEqualTo("keepalive");
        assertThat(p.explanation.lines()).anyMatch(l -> l.contains("3 probes")).anyMatch(l -> l.contains("ETIMEDOUT"));
    }

    @Test
    void finWait2OrphanTimesOutWhileTheHalfClosedSocketStays() throws Exception {
        Played p = play(new FinWait2TimeoutScenario());
        assertThat(p.world.stateEvents("client").stream().filter(e -> e.cause().equals(Cause.FIN_WAIT_2_TIMEOUT.toString())))
                .singleElement().satisfies(e -> assertThat(e.timeNanos()).isBetween(World.seconds(30), World.seconds(31)));
        List<ConnectionStatus> at10s = p.recorder.views.getFirst().getFirst().connections();
        assertThat(at10s).extracting(ConnectionStatus::state).containsOnly(State.FIN_WAIT_2);
        assertThat(at10s).extracting(ConnectionStatus::timer).containsExactlyInAnyOrder("timewait", "off");
        List<ConnectionStatus> at60s = p.recorder.views.get(1).getFirst().connections();
        assertThat(at60s).singleElement().satisfies(c -> assertThat(c.state()).isEqualTo(State.FIN_WAIT_2));
        assertThat(p.world.stateEvents("client", State.TIME_WAIT)).hasSize(1);
    }

    @Test
    void synFloodWithAndWithoutCookies() throws Exception {
        SynFloodScenario s = new SynFloodScenario();
        Played p = play(s);
        SynFloodScenario.Phase cookies = s.phases.get(0), none = s.phases.get(1);
        assertThat(cookies.established).isEqualTo(SynFloodScenario.LEGIT_CONNECTS);
        assertThat(cookies.errors).isEmpty();
        assertThat(cookies.server.counters().syncookiesSent).isPositive();
        assertThat(cookies.server.counters().syncookiesRecv).isEqualTo(SynFloodScenario.LEGIT_CONNECTS);
        assertThat(cookies.server.counters().listenDrops).isZero();
        assertThat(none.established).isZero();
        assertThat(none.errors).containsExactly(Errno.ETIMEDOUT);
        assertThat(none.server.counters().listenDrops).isPositive();
        assertThat(none.server.counters().syncookiesSent).isZero();
        assertThat(Stories.open(none.server)).isZero();
        assertValidXml(s.plotSvg());
    }

    @Test
    void lingerZeroAndUnreadDataBothAbortWithRst() throws Exception {
        RstAbortScenario s = new RstAbortScenario();
        Played p = play(s);
        assertThat(p.world.sent("client", "R.")).hasSize(2);
        assertThat(p.world.sawCause("client", Cause.ABORT)).isTrue();
        assertThat(p.world.sawCause("client", Cause.ABORT_UNREAD_DATA)).isTrue();
        assertThat(p.world.stateEvents("client", State.TIME_WAIT)).isEmpty();
        assertThat(p.world.stateEvents("client", State.FIN_WAIT_1)).isEmpty();
        assertThat(s.servers).extracting(a -> a.error).containsExactly(Errno.ECONNRESET, Errno.ECONNRESET);
    }
}
