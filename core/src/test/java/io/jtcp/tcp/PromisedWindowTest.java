package io.jtcp.tcp;

import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jtcp.tcp.DataTransferTest.only;
import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every byte the peer sends inside the window we advertised is taken, even once the
 * promised edge has run ahead of the buffer. A window is never taken back (RFC 9293
 * §3.8.6.2.2), and with window scaling a shrinking one is rounded up to its unit
 * (Linux's tcp_select_window), so ACK by ACK the edge can pass the free space. Linux
 * queues such data; the buffer once trimmed it silently, the peer had to retransmit,
 * and a kernel sender over TUN spent a fourteenth of its bytes on retransmissions.
 */
class PromisedWindowTest {
    @Test
    void dataUpToTheAdvertisedEdgeIsAcceptedWhileTheApplicationReadsNothing() throws Exception {
        Transcript t = withSysctls(only("tcp_window_scaling"));
        t.c.openActive(t.now);
        t.expect(out().syn().seq(ISS).mss(1460).wscale(10).win(WIN));
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460).wscale(0).win(65535));
        long edge = PEER_ISS + 1 + ((long) lastAck(t.drain()).window << 10);
        long next = PEER_ISS + 1;
        int piece = 1001; // never a multiple of the 1024-byte unit, so every rounding moves the edge
        int rounds = 0;
        while (next < edge && rounds++ < 10_000) {
            int len = (int) Math.min(piece, edge - next);
            t.send(in().seq(next).ack(ISS + 1).win(65535).payload(new byte[len]));
            next += len;
            List<Segment> out = t.drain();
            if (out.isEmpty() && next == edge) {
                t.advance(ms(500)); // the delayed ACK
                out = t.drain();
            }
            if (out.isEmpty()) continue;
            Segment ack = lastAck(out);
            assertThat(Integer.toUnsignedLong(ack.ack - (PEER_ISS + 1)))
                    .as("every byte inside the advertised window is acknowledged")
                    .isEqualTo(next - (PEER_ISS + 1));
            edge = Math.max(edge, Integer.toUnsignedLong(ack.ack) + ((long) ack.window << 10));
        }
        assertThat(next).as("the window closed").isEqualTo(edge);
        assertThat((long) t.c.available()).as("all of it held for the application").isEqualTo(next - (PEER_ISS + 1));
        assertThat(t.drops).isEmpty();
    }

    private static Segment lastAck(List<Segment> out) {
        Segment last = out.getLast();
        assertThat(last.flags & TcpFlags.ACK).isNotZero();
        return last;
    }
}
