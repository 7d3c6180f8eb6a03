package io.jtcp.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtcp.observe.TraceEvent.SegmentEvent;
import io.jtcp.wire.Segment;
import org.junit.jupiter.api.Test;

class TraceEventTest {

    @Test
    void endpointsFollowTheDirection() {
        Segment s = Segments.syn();
        var out = SegmentEvent.sent(0, "10.0.0.1", s);
        var in = SegmentEvent.received(0, "10.0.0.2", s);
        assertThat(out.local()).isEqualTo("10.0.0.1:49152");
        assertThat(out.remote()).isEqualTo("10.0.0.2:80");
        assertThat(out.dir()).isEqualTo("out");
        assertThat(in.local()).isEqualTo("10.0.0.2:80");
        assertThat(in.remote()).isEqualTo("10.0.0.1:49152");
        assertThat(in.dir()).isEqualTo("in");
    }

    @Test
    void segmentEventKeepsItsOwnCopy() {
        Segment s = Segments.syn();
        s.payload(new byte[] {1, 2, 3, 4}, 1, 2);
        var e = SegmentEvent.sent(0, "10.0.0.1", s);
        s.seq = 7;
        s.payload[1] = 9;
        assertThat(e.segment().seq).isEqualTo(1000);
        assertThat(e.segment().payloadLength).isEqualTo(2);
        assertThat(e.segment().payload[e.segment().payloadOffset]).isEqualTo((byte) 2);
    }

    @Test
    void directionIsInOrOut() {
        assertThatThrownBy(() -> new SegmentEvent(0, "h", "a:1", "b:2", "sideways", new Segment()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sinksCompose() {
        var seen = new java.util.ArrayList<String>();
        TraceSink a = e -> seen.add("a" + e.timeNanos());
        TraceSink b = e -> seen.add("b" + e.timeNanos());
        TraceSink both = a.andThen(b).filter(e -> e.timeNanos() > 0);
        both.accept(new TraceEvent.UserEvent(0, "h", null, null, "listen", null));
        both.accept(new TraceEvent.UserEvent(5, "h", null, null, "listen", null));
        TraceSink.NONE.accept(new TraceEvent.UserEvent(6, "h", null, null, "listen", null));
        assertThat(seen).containsExactly("a5", "b5");
    }
}
