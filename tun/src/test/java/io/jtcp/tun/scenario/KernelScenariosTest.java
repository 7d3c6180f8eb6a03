package io.jtcp.tun.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.scenario.Explanation;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.State;
import io.jtcp.tun.NetNs;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every kernel-peer story, run for real against Linux in a fresh namespace, with its outcome
 * checked from jtcp's recorded events and the kernel's ss output. Skips when not root (fails
 * with JTCP_REQUIRE_KERNEL=1). About 20 s in all.
 */
class KernelScenariosTest {
    @BeforeEach
    void kernel() {
        String why = KernelRun.whyNot();
        if (why == null) return;
        if ("1".equals(System.getenv("JTCP_REQUIRE_KERNEL"))) fail("JTCP_REQUIRE_KERNEL=1 but " + why);
        assumeTrue(false, "skipped: " + why);
    }

    @AfterAll
    static void nothingLeaks() {
        assertThat(NetNs.live()).as("namespaces left behind").noneMatch(n -> n.startsWith("jtcp-s"));
    }

    /** Runs the named story with its default sysctls, then checks what it recorded (before the run is closed). */
    static Explanation play(String name, Consumer<KernelRun> check) throws Exception {
        return play(name, false, check);
    }

    static Explanation play(String name, boolean ipv6, Consumer<KernelRun> check) throws Exception {
        KernelScenario s = KernelScenarios.named(name).orElseThrow();
        Sysctls cfg = Sysctls.linux();
        for (String d : s.defaultSysctls()) cfg = cfg.set(d);
        try (KernelRun run = KernelRun.open(cfg, QUIET, ipv6)) {
            Explanation e = s.run(run);
            check.accept(run);
            assertThat(run.failures()).as("failures on the stack loop or the applications").isEmpty();
            assertThat(e.lines()).isNotEmpty();
            return e;
        }
    }

    static final KernelReporter QUIET = new KernelReporter() {
        @Override public TraceSink trace() { return TraceSink.NONE; }
        @Override public void views(long t, String moment, List<StackSnapshot> snapshots) { }
        @Override public void explain(String scenario, Explanation explanation) { }
        @Override public void kernelView(long t, String moment, String command, String output) { }
        @Override public void note(String text) { }
    };

    static List<String> jtcpSteps(KernelRun run) {
        return run.states().stream().map(s -> s.from() + " -> " + s.to()).toList();
    }

    static String kernelAt(KernelRun run, int view) {
        return run.kernelViews().get(view).output();
    }

    static String result(KernelRun run, String who, String call) {
        return run.calls(who).stream().filter(u -> u.call().equals(call)).reduce((a, b) -> b).map(TraceEvent.UserEvent::result).orElse(null);
    }

    @Test
    void handshake() throws Exception {
        play("handshake", run -> {
            assertThat(jtcpSteps(run)).containsSubsequence("CLOSED -> SYN_SENT", "SYN_SENT -> ESTABLISHED",
                    "LISTEN -> SYN_RECEIVED", "SYN_RECEIVED -> ESTABLISHED");
            assertThat(kernelAt(run, 1)).contains("ESTAB").contains(":80 ");
        });
    }

    @Test
    void fourWayClose() throws Exception {
        play("four-way-close", run -> {
            // Act 1: jtcp closed first and held TIME_WAIT until it expired; the kernel sat in CLOSE-WAIT meanwhile.
            assertThat(jtcpSteps(run)).containsSubsequence("ESTABLISHED -> FIN_WAIT_1", "FIN_WAIT_1 -> FIN_WAIT_2",
                    "FIN_WAIT_2 -> TIME_WAIT", "TIME_WAIT -> CLOSED",
                    // Act 2: the kernel closed first; jtcp went the passive way.
                    "ESTABLISHED -> CLOSE_WAIT", "CLOSE_WAIT -> LAST_ACK", "LAST_ACK -> CLOSED");
            assertThat(kernelAt(run, 0)).contains("CLOSE-WAIT");
            assertThat(kernelAt(run, 1)).doesNotContain("TIME-WAIT");
            assertThat(kernelAt(run, 2)).contains("FIN-WAIT-2");
            assertThat(kernelAt(run, 3)).containsPattern("TIME-WAIT .*timer:\\(timewait,");
        });
    }

    @Test
    void serverClose() throws Exception {
        play("server-close", run -> {
            assertThat(run.states(State.TIME_WAIT, 80)).isNotEmpty();
            assertThat(kernelAt(run, 1)).doesNotContain("TIME-WAIT");
            assertThat(kernelAt(run, 3)).containsPattern("TIME-WAIT .*:8081 .*timer:\\(timewait,");
        });
    }

    @Test
    void halfClose() throws Exception {
        play("half-close", run -> {
            assertThat(result(run, "jtcp", "read")).isEqualTo("EOF after " + HalfCloseStory.CHUNKS * HalfCloseStory.CHUNK + " bytes");
            assertThat(kernelAt(run, 0)).contains("CLOSE-WAIT");
            assertThat(jtcpSteps(run)).containsSubsequence("FIN_WAIT_1 -> FIN_WAIT_2", "FIN_WAIT_2 -> TIME_WAIT");
        });
    }

    @Test
    void lostFinalAck() throws Exception {
        lostFinalAck(false);
    }

    /** The same story over IPv6: the kernel's and jtcp's views name the ends as Linux does, [fd77::2]:80. */
    @Test
    void lostFinalAckOverIpv6() throws Exception {
        lostFinalAck(true);
    }

    private static void lostFinalAck(boolean ipv6) throws Exception {
        play("lost-final-ack", ipv6, run -> {
            String jtcp = ipv6 ? "[fd77::2]:" : "10.77.0.2:", kernel = ipv6 ? "[fd77::1]:" : "10.77.0.1:";
            assertThat(run.states()).isNotEmpty().allMatch(s -> s.local().startsWith(jtcp) && (s.remote() == null
                    || s.remote().startsWith(kernel) || s.remote().startsWith(ipv6 ? "[::]:" : "0.0.0.0:")), "on " + jtcp);
            // The kernel's JDK sockets are AF_INET6 even over IPv4, so its ss shows [::ffff:10.77.0.1]:8080 there.
            assertThat(kernelAt(run, 0)).containsPattern("LAST-ACK .*" + java.util.regex.Pattern.quote(ipv6 ? kernel : "10.77.0.1"));
            long reAcks = run.states().stream().filter(s -> s.cause().equals(Cause.TIME_WAIT_FIN_REACKED.toString())).count();
            assertThat(reAcks).as("retransmitted FINs re-ACKed from TIME_WAIT").isPositive();
            // The final ACK is dropped, and so is any re-ACK sent while ss was being read; the last re-ACK got through.
            assertThat(run.link().faultDroppedOut()).isBetween(1L, reAcks);
            assertThat(kernelAt(run, 0)).containsPattern("LAST-ACK .*timer:\\(on,");
            assertThat(kernelAt(run, 1)).doesNotContain("LAST-ACK");
            assertThat(run.events()).noneMatch(e -> e instanceof TraceEvent.SegmentEvent s && s.segment().rst());
        });
    }

    @Test
    void rstAbort() throws Exception {
        play("rst-abort", run -> {
            assertThat(result(run, "kernel", "read")).containsIgnoringCase("reset");
            assertThat(result(run, "jtcp", "read")).contains("ECONNRESET");
            assertThat(run.events()).anyMatch(e -> e instanceof TraceEvent.SegmentEvent s && s.dir().equals("out") && s.segment().rst());
            assertThat(run.events()).anyMatch(e -> e instanceof TraceEvent.SegmentEvent s && s.dir().equals("in") && s.segment().rst());
            assertThat(run.kernelViews()).allMatch(v -> !v.output().contains("TIME-WAIT"));
            assertThat(run.states()).noneMatch(s -> s.to() == State.TIME_WAIT);
        });
    }

    @Test
    void addressInUse() throws Exception {
        play("address-in-use", run -> {
            assertThat(run.calls("jtcp")).anyMatch(u -> u.local().contains("no SO_REUSEADDR") && u.result().contains("EADDRINUSE"));
            assertThat(run.calls("jtcp")).anyMatch(u -> u.local().contains("with SO_REUSEADDR") && u.result().equals("0"));
            assertThat(run.states(State.TIME_WAIT, 80)).isNotEmpty();
            assertThat(run.states(State.ESTABLISHED, 80)).hasSize(2);
        });
    }

    @Test
    void keepalive() throws Exception {
        play("keepalive", run -> {
            assertThat(result(run, "jtcp", "read")).contains("ETIMEDOUT");
            assertThat(run.states()).anyMatch(s -> s.cause().equals(Cause.KEEPALIVE_TIMEOUT.toString()));
            assertThat(run.link().faultDroppedOut()).isGreaterThanOrEqualTo(KeepaliveStory.PROBES);
            assertThat(kernelAt(run, 1)).contains("ESTAB");
        });
    }

    @Test
    void simultaneousClose() throws Exception {
        play("simultaneous-close", run -> {
            assertThat(kernelAt(run, 0)).contains("CLOSING");
            assertThat(jtcpSteps(run)).containsSubsequence("ESTABLISHED -> FIN_WAIT_1", "FIN_WAIT_1 -> CLOSING", "CLOSING -> TIME_WAIT");
            assertThat(kernelAt(run, 1)).containsPattern("TIME-WAIT .*timer:\\(timewait,");
        });
    }
}
