package io.jtcp.observe;

import io.jtcp.observe.TraceEvent.DropEvent;
import io.jtcp.observe.TraceEvent.SegmentEvent;
import io.jtcp.observe.TraceEvent.StateEvent;
import io.jtcp.observe.TraceEvent.UserEvent;
import io.jtcp.tcp.State;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceFiltersTest {
    static Segment syn(int srcPort, int dstPort) {
        Segment s = new Segment();
        s.srcAddr = IpAddress.parse("10.0.0.1");
        s.dstAddr = IpAddress.parse("10.0.0.2");
        s.srcPort = srcPort;
        s.dstPort = dstPort;
        s.flags = TcpFlags.SYN;
        return s;
    }

    final List<TraceEvent> events = List.of(
            SegmentEvent.sent(0, "client", syn(40000, 80)),
            SegmentEvent.received(1, "server", syn(40000, 80)),
            SegmentEvent.sent(2, "client", syn(40001, 8080)),
            new StateEvent(3, "client", "10.0.0.1:40000", "10.0.0.2:80", State.CLOSED, State.SYN_SENT, "connect"),
            new DropEvent(4, "server", "10.0.0.2:8080", "10.0.0.1:40001", "NO_SOCKET", null),
            new UserEvent(5, "client", null, "10.0.0.2:80", "connect", null));

    private List<Long> timesKeptBy(java.util.function.Predicate<TraceEvent> keep) {
        List<Long> times = new ArrayList<>();
        TraceSink sink = ((TraceSink) e -> times.add(e.timeNanos())).filter(keep);
        events.forEach(sink::accept);
        return times;
    }

    @Test
    void directionKeepsOnlySegmentsSentOrReceived() {
        assertThat(timesKeptBy(TraceFilters.outgoing())).containsExactly(0L, 2L);
        assertThat(timesKeptBy(TraceFilters.incoming())).containsExactly(1L);
        assertThat(timesKeptBy(TraceFilters.segments())).containsExactly(0L, 1L, 2L);
    }

    @Test
    void portMatchesEitherEndAndFiltersCompose() {
        assertThat(timesKeptBy(TraceFilters.port(80))).containsExactly(0L, 1L, 3L, 5L);
        assertThat(timesKeptBy(TraceFilters.port(8))).isEmpty();
        assertThat(timesKeptBy(TraceFilters.outgoing().and(TraceFilters.port(8080)))).containsExactly(2L);
        assertThat(timesKeptBy(TraceFilters.host("server").or(TraceFilters.port(8080).negate()))).containsExactly(0L, 1L, 3L, 4L, 5L);
    }
}
