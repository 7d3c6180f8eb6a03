package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.observe.TraceEvent;
import io.jtcp.api.Errno;
import io.jtcp.wire.DropReason;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The tw-recycle-nat story's outcome, read from what the run recorded. */
class TwRecycleNatScenarioTest {

    private record Played(TwRecycleNatScenario scenario, World world, Explanation explanation) {}

    private static Played play(long seed, Sysctls cfg) throws Exception {
        TwRecycleNatScenario s = new TwRecycleNatScenario();
        Run run = new Run(new ScenarioOptions(seed, cfg, Set.of(), List.of(), 0), new ScenariosTest.Recorder());
        Explanation e = s.run(run);
        return new Played(s, run.world(), e);
    }

    private static long pawsDrops(World w, String host) {
        return w.drops(host).stream().filter(d -> d.reason().equals(DropReason.PAWS_PASSIVE.name())).count();
    }

    @Test
    void theRecyclingServerDropsOneLaptopsSynsUntilItsStampIsSixtySecondsOldWhileThePlainServerTakesEveryone() throws Exception {
        Played p = play(1, Sysctls.linux());
        List<TwRecycleNatScenario.Attempt> recycling = p.scenario().attempts.stream().filter(a -> a.server().equals("server")).toList();
        List<TwRecycleNatScenario.Attempt> plain = p.scenario().attempts.stream().filter(a -> a.server().equals("server-plain")).toList();

        assertThat(plain).hasSize(3).allSatisfy(a -> {
            assertThat(a.connected()).isTrue();
            assertThat(a.pawsDrops()).isZero();
        });
        assertThat(pawsDrops(p.world(), "server-plain")).isZero();

        TwRecycleNatScenario.Attempt victim = recycling.stream().filter(a -> a.pawsDrops() > 0).findFirst().orElseThrow();
        // tcp_syn_retries = 6: SYNs at 0, 1, 3, 7, 15, 31 s are dropped; the one at 63 s finds the stamp 60 s old.
        assertThat(victim.pawsDrops()).isEqualTo(6);
        assertThat(victim.connected()).isTrue();
        assertThat(victim.end() - victim.start()).isGreaterThan(World.seconds(63));
        assertThat(recycling).filteredOn(a -> a != victim).allSatisfy(a -> assertThat(a.pawsDrops()).isZero());
        assertThat(pawsDrops(p.world(), "server")).isEqualTo(6);
        assertThat(p.world().server.counters().pawsPassive).isEqualTo(6);
        assertThat(p.world().server.snapshot(p.world().net.now()).counters()).containsEntry("TcpExtPAWSPassive", 6L);
        assertThat(p.world().sent("server", "R")).as("dropped silently, no RST").isEmpty();
    }

    @Test
    void withFewerSynRetriesTheVictimsConnectTimesOut() throws Exception {
        Played p = play(1, Sysctls.linux().set("tcp_syn_retries", "5"));
        TwRecycleNatScenario.Attempt victim = p.scenario().attempts.stream().filter(a -> a.pawsDrops() > 0).findFirst().orElseThrow();
        assertThat(victim.connected()).isFalse();
        assertThat(victim.error()).isEqualTo(Errno.ETIMEDOUT);
        assertThat(victim.pawsDrops()).isEqualTo(6);
        assertThat(p.explanation().lines()).anyMatch(l -> l.contains("ETIMEDOUT"));
    }

    @Test
    void recyclingShortensTheServersTimeWaitToThreeAndAHalfRto() throws Exception {
        Played p = play(1, Sysctls.linux());
        // Phase 1 ends with the server's RTO at SRTT + TCP_RTO_MIN, 10 + 200 ms (__tcp_set_rto): 3.5 x 210 ms.
        assertThat(TwRecycleNatScenario.timeWaitLength(p.world(), "server")).isEqualTo(World.ms(735));
        assertThat(TwRecycleNatScenario.timeWaitLength(p.world(), "server-plain")).isEqualTo(World.seconds(60));
    }

    @Test
    void theSameSeedGivesTheSameTrace() throws Exception {
        List<String> first = play(7, Sysctls.linux()).world().events.stream().map(TraceEvent::toString).toList();
        List<String> second = play(7, Sysctls.linux()).world().events.stream().map(TraceEvent::toString).toList();
        assertThat(second).isEqualTo(first);
        assertThat(first).anyMatch(e -> e.contains(DropReason.PAWS_PASSIVE.name()));
    }
}
