package io.jtcp.scenario;

import io.jtcp.observe.SsView;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TraceSink;
import io.jtcp.config.Sysctls;
import io.jtcp.api.ConnectionStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ss -i} prints from TCP_INFO, in iproute2's order and units; the algorithm is Linux's default, cubic. */
class SsInfoTest {

    @Test
    void theInfoLineIsTcpInfoAsSsPrintsIt() throws Exception {
        List<StackSnapshot> moments = new ArrayList<>();
        Reporter r = new Reporter() {
            @Override public TraceSink trace() { return TraceSink.NONE; }
            @Override public void views(long t, String moment, List<StackSnapshot> s) { moments.addAll(s); }
            @Override public void explain(String scenario, Explanation e) { }
        };
        Scenarios.named("four-way-close").orElseThrow().run(new Run(ScenarioOptions.defaults(), r));
        StackSnapshot snap = moments.stream()
                .filter(s -> s.connections().stream().anyMatch(c -> c.info() != null)).findFirst().orElseThrow();
        String line = SsView.format(snap, false, true).lines().filter(l -> l.startsWith("\t")).findFirst().orElseThrow();
        List<ConnectionStatus> withInfo = snap.connections().stream().filter(x -> x.info() != null).toList();
        assertThat(withInfo).anySatisfy(c -> assertThat(line)
                .startsWith("\tts sack cubic wscale:" + c.info().sndWscale() + "," + c.info().rcvWscale() + " rto:")
                .contains(" mss:" + c.info().sndMss() + " ", " cwnd:" + c.info().sndCwnd(),
                        " segs_out:" + c.info().segsOut() + " ", " snd_wnd:" + c.info().sndWnd()));
    }
}
