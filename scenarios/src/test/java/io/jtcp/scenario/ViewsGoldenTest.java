package io.jtcp.scenario;

import io.jtcp.observe.NetstatView;
import io.jtcp.observe.NstatView;
import io.jtcp.observe.SsView;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TraceSink;
import io.jtcp.config.Sysctls;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The views of both hosts at the four-way close's last telling moment (the client in
 * TIME_WAIT, 0.150 s of virtual time, seed 1), against golden text: virtual time makes
 * every figure, timers included, exactly repeatable.
 */
class ViewsGoldenTest {
    static StackSnapshot client, server;

    @BeforeAll
    static void play() throws Exception {
        List<List<StackSnapshot>> moments = new ArrayList<>();
        Reporter r = new Reporter() {
            @Override public TraceSink trace() { return TraceSink.NONE; }
            @Override public void views(long t, String moment, List<StackSnapshot> s) { moments.add(s); }
            @Override public void explain(String scenario, Explanation e) { }
        };
        Scenarios.named("four-way-close").orElseThrow().run(new Run(ScenarioOptions.defaults(), r));
        client = moments.getLast().get(0);
        server = moments.getLast().get(1);
    }

    @Test
    void ssWithTimers() {
        assertThat(SsView.format(client, true, false)).isEqualTo("""
                State      Recv-Q Send-Q    Local Address:Port     Peer Address:Port
                TIME-WAIT  0      0             10.0.0.1:50746           10.0.0.2:80 timer:(timewait,59sec,0)
                """);
        assertThat(SsView.format(server, true, false)).isEqualTo("""
                State      Recv-Q Send-Q    Local Address:Port     Peer Address:Port
                LISTEN     0      4096              0.0.0.0:80             0.0.0.0:*
                """);
    }

    @Test
    void netstatWithItsTimerColumn() {
        assertThat(NetstatView.format(client)).isEqualTo("""
                Active Internet connections (servers and established)
                Proto Recv-Q Send-Q Local Address           Foreign Address         State       Timer
                tcp        0      0 10.0.0.1:50746          10.0.0.2:80             TIME_WAIT   timewait (59.98/0/0)
                """);
    }

    @Test
    void summaryCountsPerState() {
        assertThat(SsView.summary(client)).isEqualTo("""
                TCP:   1 (estab 0, closed 0, orphaned 0, synrecv 0, timewait 1)
                  TIME-WAIT   1
                """);
    }

    @Test
    void countersUnderLinuxNames() {
        assertThat(NstatView.format(client)).contains("TcpActiveOpens                   1\n", "TcpInSegs                        5\n",
                "TcpOutSegs                       6\n", "TcpExtTW                         1\n");
        assertThat(NstatView.format(server)).contains("TcpPassiveOpens                  1\n", "TcpExtTW                         0\n");
    }
}
