package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.link.sim.FaultRule;
import io.jtcp.link.sim.PacketMatch;
import io.jtcp.tcp.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.jtcp.scenario.World.CLIENT;
import static io.jtcp.scenario.World.SERVER;
import static io.jtcp.scenario.World.ms;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Linux's SNMP counters only ever grow. A counter that is a sum over live connections
 * falls when one leaves: these tests walk a connection through TIME_WAIT and expiry and
 * read every cumulative counter at each step.
 */
class MonotonicCountersTest {
    /** Cumulative counters: everything nstat shows except the TcpCurrEstab gauge. */
    private static Map<String, Long> cumulative(World w) {
        Map<String, Long> m = new LinkedHashMap<>(w.client.snapshot(w.net.now()).counters());
        m.remove("TcpCurrEstab");
        return m;
    }

    @Test
    void retransmissionsStayCountedThroughTimeWaitAndItsExpiry() throws Exception {
        World w = new World(7, Sysctls.linux());
        // The client's first data segment is lost once, so the client retransmits it.
        w.net.addRule(FaultRule.drop(PacketMatch.path(CLIENT, SERVER).and(PacketMatch.withPayload())).nth(1));
        w.server.listen(80, (c, now) -> new App(w.net).closesOnEof(0));
        App client = new App(w.net).sends(new byte[3000], App.AfterSending.SHUTDOWN_OUTPUT).closesOnEof(0);
        Connection c = w.client.connect(SERVER, 80, client, 0);

        Map<String, Long> last = cumulative(w);
        boolean sawTimeWait = false;
        // Every 50 ms of virtual time, no cumulative counter may have gone down.
        while (w.open() > 0 && w.net.now() < ms(600_000)) {
            sawTimeWait |= w.client.timeWaitCount() > 0;
            w.net.runFor(ms(50));
            Map<String, Long> now = cumulative(w);
            for (var e : last.entrySet()) {
                assertThat(now.get(e.getKey())).as(e.getKey() + " at " + w.net.now()).isGreaterThanOrEqualTo(e.getValue());
            }
            last = now;
        }
        assertThat(sawTimeWait).as("the client went through the TIME_WAIT table").isTrue();
        assertThat(w.open()).as("TIME_WAIT expired").isZero();
        // The detached Connection still knows how often it retransmitted; the host must not have forgotten.
        long retransmitted = c.status(w.net.now()).retransmittedSegments();
        assertThat(retransmitted).as("the lost segment was sent again").isPositive();
        assertThat(last.get("TcpRetransSegs")).isEqualTo(retransmitted);
    }
}
