package io.jtcp.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.config.Sysctls;
import io.jtcp.link.sim.LinkParams;
import io.jtcp.observe.LadderDiagram;
import io.jtcp.observe.PcapWriter;
import io.jtcp.fixtures.SvgDoc;
import io.jtcp.observe.TraceEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A long, lossy transfer still gives a readable ladder: one arrow per sent segment, every
 * loss marked, and a height that grows with the events rather than with virtual time.
 */
class LadderLongRunTest {
    /** Set -Djtcp.ladder.out=DIR to keep the SVGs and the pcap for a look (e.g. rendered to PNG). */
    private static final String OUT = System.getProperty("jtcp.ladder.out");

    @Test
    void sixtyPlusSegmentsUnderLossStayBoundedInHeight() throws Exception {
        World p = new World(7, Sysctls.linux());
        p.net.setDefaultLink(LinkParams.DEFAULT.withLoss(0.2));
        App server = new App(p.net).closesOnEof(World.ms(100));
        p.server.listen(80, (c, now) -> server);
        byte[] data = new byte[40_000];
        new Random(7).nextBytes(data);
        App client = new App(p.net).sends(data, App.AfterSending.CLOSE);
        p.client.connect(World.SERVER, 80, client, 0);
        assertThat(p.runUntilEmpty()).isTrue();
        assertThat(server.receivedBytes).isEqualTo(data.length);

        LadderDiagram ladder = new LadderDiagram();
        p.events.forEach(ladder::accept);
        long sent = p.events.stream().filter(e -> e instanceof TraceEvent.SegmentEvent s && s.dir().equals("out")).count();
        long lost = p.events.stream().filter(e -> e instanceof TraceEvent.DropEvent d && d.host().equals("net")
                && d.reason().equals("LOST")).count();
        assertThat(sent).isGreaterThanOrEqualTo(60);
        assertThat(lost).isPositive();

        String text = ladder.svg();
        SvgDoc svg = SvgDoc.parse(text);
        assertThat(svg.withClass("segment")).hasSize((int) sent);
        assertThat(svg.withClass("segment", "lost")).hasSize((int) lost);
        assertThat(svg.texts("timer")).anySatisfy(t -> assertThat(t).startsWith("RTO"));
        assertThat(svg.texts("break")).isNotEmpty();
        // Bounded by the events, not by the minutes of virtual time the run took.
        assertThat(svg.height()).isLessThan(100.0 * sent);

        if (OUT != null) {
            Path dir = Files.createDirectories(Path.of(OUT));
            Files.writeString(dir.resolve("lossy.svg"), text);
            LadderDiagram demo = new LadderDiagram();
            try (PcapWriter pcap = PcapWriter.create(dir.resolve("demo.pcap"))) {
                RequestReply.run(new RequestReply.Options(false, 1, 0.0, Sysctls.linux()), demo.andThen(pcap));
            }
            demo.write(dir.resolve("demo.svg"));
            LadderDiagram lossyDemo = new LadderDiagram();
            RequestReply.run(new RequestReply.Options(true, 3, 0.2, Sysctls.linux()), lossyDemo);
            lossyDemo.write(dir.resolve("demo-loss.svg"));
        }
    }
}
