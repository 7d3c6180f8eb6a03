package io.jtcp.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.fixtures.SvgDoc;
import io.jtcp.observe.TraceEvent.DropEvent;
import io.jtcp.observe.TraceEvent.SegmentEvent;
import io.jtcp.observe.TraceEvent.StateEvent;
import io.jtcp.tcp.State;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import org.junit.jupiter.api.Test;

class LadderDiagramTest {
    @Test
    void aSegmentWithNoArrivalAtATracedHostIsLostAndTextIsEscaped() throws Exception {
        LadderDiagram ladder = new LadderDiagram();
        Segment syn = Segments.syn();
        ladder.accept(new StateEvent(0, "a<&>\"'", Segments.CLIENT, Segments.SERVER, State.CLOSED, State.SYN_SENT, "x"));
        ladder.accept(SegmentEvent.sent(0, "a<&>\"'", syn));
        ladder.accept(new StateEvent(0, "b", Segments.SERVER, null, State.CLOSED, State.LISTEN, "listen"));
        ladder.accept(SegmentEvent.sent(1_000_000_000L, "a<&>\"'", syn));
        ladder.accept(SegmentEvent.received(1_005_000_000L, "b", syn));
        SvgDoc svg = SvgDoc.parse(ladder.svg());
        assertThat(svg.texts("host")).containsExactly("a<&>\"' 10.0.0.1", "b 10.0.0.2");
        assertThat(svg.withClass("segment")).hasSize(2);
        assertThat(svg.withClass("segment", "lost")).hasSize(1);
        assertThat(svg.texts("segment")).contains("SYN seq=0", "SYN seq=0 (retx)");
        assertThat(svg.texts("timer")).containsExactly("RTO 1 s");
    }

    @Test
    void aCopyMadeByTheLinkIsDrawnButNotCountedAsASegment() throws Exception {
        LadderDiagram ladder = new LadderDiagram();
        Segment ack = Segments.clientToServer(TcpFlags.ACK);
        ladder.accept(new StateEvent(0, "b", Segments.SERVER, null, State.CLOSED, State.LISTEN, "listen"));
        ladder.accept(SegmentEvent.sent(0, "a", ack));
        ladder.accept(new DropEvent(0, "net", Segments.SERVER, Segments.CLIENT, "DUPLICATED", null));
        ladder.accept(SegmentEvent.received(5_000_000L, "b", ack));
        ladder.accept(SegmentEvent.received(6_000_000L, "b", ack));
        SvgDoc svg = SvgDoc.parse(ladder.svg());
        assertThat(svg.withClass("segment")).hasSize(1);
        assertThat(svg.withClass("segment", "lost")).isEmpty();
        assertThat(svg.withClass("duplicate")).hasSize(1);
    }

    @Test
    void anEmptyTraceIsStillAnSvg() throws Exception {
        SvgDoc svg = SvgDoc.parse(new LadderDiagram().svg());
        assertThat(svg.withClass("segment")).isEmpty();
    }
}
