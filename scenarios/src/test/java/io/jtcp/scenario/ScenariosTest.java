package io.jtcp.scenario;

import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TraceSink;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each scenario's outcome, read from the event stream of a run rather than from its printed text. */
class ScenariosTest {

    /** Keeps the views and explanation instead of printing them. */
    static final class Recorder implements Reporter {
        final List<String> moments = new ArrayList<>();
        final List<List<StackSnapshot>> views = new ArrayList<>();

        @Override public TraceSink trace() { return TraceSink.NONE; }

        @Override
        public void views(long timeNanos, String moment, List<StackSnapshot> snapshots) {
            moments.add(moment);
            views.add(snapshots);
        }

        @Override public void explain(String scenario, Explanation explanation) { }
    }

    record Played(World world, Explanation explanation, Recorder recorder) {}

    /** No scenario but the aborts should end in a reset: an RST there means the story's choreography is wrong. */
    static void assertNoResets(World w) {
        assertThat(w.sent("client", "R.")).isEmpty();
        assertThat(w.sent("server", "R.")).isEmpty();
        assertThat(w.sent("client", "R")).isEmpty();
        assertThat(w.sent("server", "R")).isEmpty();
    }

    static Played play(String name, Set<String> ablations) throws Exception {
        Recorder r = new Recorder();
        ScenarioOptions defaults = ScenarioOptions.defaults();
        Run run = new Run(new ScenarioOptions(1, defaults.sysctls(), ablations, List.of(), 0), r);
        Explanation e = Scenarios.named(name).orElseThrow().run(run);
        assertThat(e.lines()).isNotEmpty();
        assertThat(run.world().open()).as("both hosts end empty").isZero();
        if (ablations.isEmpty()) assertNoResets(run.world());
        return new Played(run.world(), e, r);
    }

    static Played play(String name) throws Exception {
        return play(name, Set.of());
    }

    @Test
    void everyScenarioIsListedOnceByName() {
        assertThat(Scenarios.all()).extracting(Scenario::name).doesNotHaveDuplicates()
                .contains("handshake", "four-way-close", "server-close", "simultaneous-open", "simultaneous-close",
                        "fin-ack-combined", "half-close", "lost-final-ack");
    }

    @Test
    void handshakeSettlesOnTheSmallerMss() throws Exception {
        Played p = play("handshake");
        assertThat(p.world.states("client")).startsWith("CLOSED -> SYN_SENT", "SYN_SENT -> ESTABLISHED");
        assertThat(p.world.sent("client", "S").getFirst().segment().mss).isEqualTo(1460);
        assertThat(p.world.sent("server", "S.").getFirst().segment().mss).isEqualTo(1360);
        // Data segments carry at most 1360 - 12 (timestamps) bytes.
        assertThat(p.world.events).filteredOn(e -> e instanceof io.jtcp.observe.TraceEvent.SegmentEvent s
                        && s.host().equals("client") && s.dir().equals("out"))
                .allSatisfy(e -> assertThat(((io.jtcp.observe.TraceEvent.SegmentEvent) e).segment().payloadLength).isLessThanOrEqualTo(1348));
        assertThat(p.explanation.lines().get(1)).contains("1348");
    }

    @Test
    void fourWayCloseLeavesTheClientInTimeWait() throws Exception {
        Played p = play("four-way-close");
        assertThat(p.world.states("client")).containsSubsequence("ESTABLISHED -> FIN_WAIT_1", "FIN_WAIT_1 -> FIN_WAIT_2",
                "FIN_WAIT_2 -> TIME_WAIT", "TIME_WAIT -> CLOSED");
        assertThat(p.world.states("server")).containsSubsequence("ESTABLISHED -> CLOSE_WAIT", "CLOSE_WAIT -> LAST_ACK",
                "LAST_ACK -> CLOSED");
        assertThat(p.world.stateEvents("server", State.TIME_WAIT)).isEmpty();
        // At the second telling moment the client's ss line is TIME-WAIT with its timer.
        StackSnapshot client = p.recorder.views.get(1).getFirst();
        assertThat(client.connections()).singleElement().satisfies(c -> {
            assertThat(c.state()).isEqualTo(State.TIME_WAIT);
            assertThat(c.timer()).isEqualTo("timewait");
        });
    }

    @Test
    void serverCloseLeavesTheServerInTimeWait() throws Exception {
        Played p = play("server-close");
        assertThat(p.world.stateEvents("server", State.TIME_WAIT)).hasSize(1);
        assertThat(p.world.stateEvents("client", State.TIME_WAIT)).isEmpty();
        assertThat(p.world.states("client")).contains("ESTABLISHED -> CLOSE_WAIT", "CLOSE_WAIT -> LAST_ACK");
    }

    @Test
    void simultaneousOpenPassesThroughSynReceivedOnBothSides() throws Exception {
        Played p = play("simultaneous-open");
        for (String host : List.of("client", "server")) {
            assertThat(p.world.states(host)).as(host).startsWith("CLOSED -> SYN_SENT", "SYN_SENT -> SYN_RECEIVED",
                    "SYN_RECEIVED -> ESTABLISHED");
            assertThat(p.world.sawCause(host, Cause.SIMULTANEOUS_OPEN)).isTrue();
        }
        assertThat(p.world.server.counters().passiveOpens).isZero();
    }

    @Test
    void simultaneousCloseGoesThroughClosing() throws Exception {
        Played p = play("simultaneous-close");
        for (String host : List.of("client", "server")) {
            assertThat(p.world.states(host)).as(host).containsSubsequence("ESTABLISHED -> FIN_WAIT_1",
                    "FIN_WAIT_1 -> CLOSING", "CLOSING -> TIME_WAIT", "TIME_WAIT -> CLOSED");
        }
    }

    @Test
    void finAckCombinedSkipsFinWait2() throws Exception {
        Played p = play("fin-ack-combined");
        assertThat(p.world.states("client")).contains("FIN_WAIT_1 -> TIME_WAIT").doesNotContain("FIN_WAIT_1 -> FIN_WAIT_2");
        assertThat(p.explanation.lines().get(2)).contains("straight to TIME_WAIT");
    }

    @Test
    void halfClosedClientReadsEverythingTheServerSends() throws Exception {
        Played p = play("half-close");
        assertThat(p.world.states("client")).containsSubsequence("ESTABLISHED -> FIN_WAIT_1", "FIN_WAIT_1 -> FIN_WAIT_2",
                "FIN_WAIT_2 -> TIME_WAIT");
        assertThat(p.explanation.lines().get(1)).contains("read all " + HalfCloseScenario.CHUNKS * HalfCloseScenario.CHUNK + " bytes");
    }

    @Test
    void lostFinalAckIsReAckedFromTimeWait() throws Exception {
        Played p = play("lost-final-ack");
        assertThat(p.world.sawCause("client", Cause.TIME_WAIT_FIN_REACKED)).isTrue();
        assertThat(p.world.sent("client", "R")).isEmpty();
        assertThat(p.world.stateEvents("server", State.CLOSED).getFirst().cause()).isEqualTo(Cause.ACK_OF_FIN.toString());
    }
}
