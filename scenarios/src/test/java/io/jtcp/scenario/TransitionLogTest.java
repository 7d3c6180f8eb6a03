package io.jtcp.scenario;

import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TraceSink;
import io.jtcp.observe.TransitionLog;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransitionLogTest {

    @Test
    void keepsEachConnectionsStepsWithTheirRfcSections() throws Exception {
        TransitionLog log = new TransitionLog();
        Reporter r = new Reporter() {
            @Override public TraceSink trace() { return log; }
            @Override public void views(long t, String moment, List<StackSnapshot> s) { }
            @Override public void explain(String scenario, Explanation e) { }
        };
        Scenarios.named("lost-final-ack").orElseThrow().run(new Run(ScenarioOptions.defaults(), r));

        String client = log.connections().stream().filter(c -> c.startsWith("client ")).findFirst().orElseThrow();
        String[] parts = client.split(" ");
        List<String> steps = log.of("client", parts[1], parts[3]).stream().map(Object::toString).toList();
        assertThat(steps).containsExactly(
                "CLOSED -> SYN_SENT: active OPEN, SYN sent (3.10.1)",
                "SYN_SENT -> ESTABLISHED: SYN-ACK received, ACK sent (3.10.7.3)",
                "ESTABLISHED -> FIN_WAIT_1: CLOSE, FIN queued after pending data (3.10.4)",
                "FIN_WAIT_1 -> FIN_WAIT_2: ACK of our FIN (3.10.7.4)",
                "FIN_WAIT_2 -> TIME_WAIT: FIN received (3.10.7.4)",
                "TIME_WAIT: retransmitted FIN re-ACKed, 2MSL timer restarted (3.10.7.4)",
                "TIME_WAIT -> CLOSED: 2MSL timer expired (3.10.8)");
        assertThat(log.of("nobody", "x", "y")).isEmpty();
    }
}
