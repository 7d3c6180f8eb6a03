package io.jtcp.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.config.Sysctls;
import io.jtcp.observe.LadderDiagram;
import io.jtcp.fixtures.SvgDoc;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceEvent.DropEvent;
import io.jtcp.observe.TraceEvent.SegmentEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo drawn as a ladder diagram: every segment the run sent is an arrow, every loss is marked. */
class DemoLadderTest {
    @TempDir
    Path dir;

    private record Run(LadderDiagram ladder, List<TraceEvent> events) {
        long sent() {
            return events.stream().filter(e -> e instanceof SegmentEvent s && s.dir().equals(SegmentEvent.OUT)).count();
        }
    }

    private static Run demo(boolean serverClosesFirst, long seed, double loss) {
        LadderDiagram ladder = new LadderDiagram();
        List<TraceEvent> events = new ArrayList<>();
        RequestReply.run(new RequestReply.Options(serverClosesFirst, seed, loss, Sysctls.linux()),
                ladder.andThen(events::add));
        return new Run(ladder, events);
    }

    @Test
    void demoIsWellFormedSvgWithOneArrowPerSentSegment() throws Exception {
        Run run = demo(false, 1, 0.0);
        Path file = dir.resolve("demo.svg");
        run.ladder().write(file);
        SvgDoc svg = SvgDoc.parse(Files.readString(file));

        assertThat(svg.doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(svg.doc.getDocumentElement().getAttribute("version")).isEqualTo("1.1");
        assertThat(svg.withClass("segment")).hasSize((int) run.sent());
        assertThat(svg.withClass("segment", "lost")).isEmpty();
        assertThat(svg.texts("host")).containsExactly("client 10.0.0.1", "server 10.0.0.2");
        assertThat(svg.texts("segment")).contains("SYN seq=0", "SYN,ACK seq=0 ack=1", "ACK ack=1",
                "PSH,ACK seq=1:35 ack=1", "PSH,ACK seq=1:53 ack=35", "FIN,ACK seq=35 ack=53", "FIN,ACK seq=53 ack=36",
                "ACK ack=54");
        assertThat(svg.texts("state")).contains("SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
                "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSED");
        assertThat(svg.texts("call")).contains("connect()", "close()");
        assertThat(svg.withClass("drop")).isEmpty();
        assertThat(svg.texts("timer")).contains("TIME_WAIT 2MSL = 60 s");
        // The 60 s of TIME_WAIT is a break, not 60,000 px.
        assertThat(svg.texts("break")).anySatisfy(t -> assertThat(t).matches("\u22ef (59\\.\\d|60(\\.0)?) s \u22ef"));
        assertThat(svg.height()).isLessThan(1400);
        assertThat(Files.readString(file)).doesNotContain("href", "<image", "<script", "@import", "url(http");
    }

    @Test
    void lossyDemoMarksEveryLostSegmentAndTheTimeouts() throws Exception {
        // A seed whose run loses segments on the way; the ladder must show each loss and the RTO that repaired it.
        Run run = null;
        long lost = 0;
        for (long seed = 1; seed < 50 && lost < 2; seed++) {
            run = demo(false, seed, 0.2);
            lost = run.events().stream().filter(e -> e instanceof DropEvent d && d.host().equals("net")
                    && d.reason().equals("LOST")).count();
        }
        assertThat(lost).isGreaterThanOrEqualTo(2);
        SvgDoc svg = SvgDoc.parse(run.ladder().svg());
        assertThat(svg.withClass("segment")).hasSize((int) run.sent());
        assertThat(svg.withClass("segment", "lost")).hasSize((int) lost);
        assertThat(svg.texts("timer")).anySatisfy(t -> assertThat(t).startsWith("RTO "));
        assertThat(svg.texts("segment")).anySatisfy(t -> assertThat(t).endsWith("(retx)"));
    }
}
