package io.jtcp.tcp;

import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.DataTransferTest.text;
import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow start as Linux's tcp_slow_start and tcp_is_cwnd_limited run it (upstream
 * slow_start/slow-start-app-limited*.pkt): every segment an ACK covers grows the window,
 * but only while the sender keeps at least half of it in flight.
 */
class SlowStartTest {
    private static final int MSS = 1460;

    private static long cwndSegments(Transcript t) {
        return t.c.tcpInfo(t.now).sndCwnd();
    }

    private static Transcript ackUpTo(Transcript t, int segments) {
        return t.send(in().seq(PEER_ISS + 1).ack(ISS + 1 + (long) segments * MSS));
    }

    @Test
    void anAckOfTwoSegmentsGrowsTheWindowByTwo() throws Exception {
        Transcript t = new Transcript().established();
        t.write(text(10 * MSS, 'a'));
        assertThat(t.drain()).hasSize(10);
        t.advance(ms(100));
        ackUpTo(t, 2);
        assertThat(cwndSegments(t)).isEqualTo(12);
        ackUpTo(t, 4);
        assertThat(cwndSegments(t)).isEqualTo(14);
    }

    @Test
    void aSenderUsingLessThanHalfTheWindowDoesNotGrowIt() throws Exception {
        Transcript t = new Transcript().established();
        t.write(text(4 * MSS, 'a'));
        assertThat(t.drain()).hasSize(4);
        t.advance(ms(100));
        ackUpTo(t, 4);
        assertThat(cwndSegments(t)).as("4 segments out never tested a window of 10").isEqualTo(10);
    }

    @Test
    void growthStopsAtTwiceThePeakInFlight() throws Exception {
        Transcript t = new Transcript().established();
        t.write(text(9 * MSS, 'a'));
        assertThat(t.drain()).hasSize(9);
        t.advance(ms(100));
        for (int acked = 2; acked <= 8; acked += 2) ackUpTo(t, acked);
        assertThat(cwndSegments(t)).isEqualTo(18);
        ackUpTo(t, 9);
        assertThat(cwndSegments(t)).isEqualTo(18);
    }
}
