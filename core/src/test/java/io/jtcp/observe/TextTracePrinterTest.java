package io.jtcp.observe;

import static io.jtcp.observe.Segments.CLIENT;
import static io.jtcp.observe.Segments.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.observe.TraceEvent.DropEvent;
import io.jtcp.observe.TraceEvent.LossEvent;
import io.jtcp.observe.TraceEvent.SegmentEvent;
import io.jtcp.observe.TraceEvent.StateEvent;
import io.jtcp.observe.TraceEvent.UserEvent;
import io.jtcp.tcp.State;
import io.jtcp.wire.Segment;
import org.junit.jupiter.api.Test;

class TextTracePrinterTest {
    private final StringBuilder out = new StringBuilder();
    private final TextTracePrinter printer = new TextTracePrinter(out);

    @Test
    void segmentLinesAreTcpdumpsLines() {
        Segment syn = Segments.syn();
        printer.accept(SegmentEvent.sent(0, "10.0.0.1", syn));
        assertThat(out.toString())
                .isEqualTo(new TcpdumpFormat().format(0, syn) + "\n")
                .startsWith("0.000000 IP 10.0.0.1.49152 > 10.0.0.2.80: Flags [S], seq 1000, ");
    }

    @Test
    void stateLine() {
        printer.accept(new StateEvent(512_345, "10.0.0.1", CLIENT, SERVER, State.FIN_WAIT_1, State.FIN_WAIT_2, "ACK of our FIN"));
        assertThat(out).hasToString("0.000512 10.0.0.1.49152 > 10.0.0.2.80 FIN_WAIT_1 -> FIN_WAIT_2 (ACK of our FIN)\n");
    }

    @Test
    void stateLineOfAListenerHasNoRemote() {
        var e = new StateEvent(0, "10.0.0.2", SERVER, null, State.CLOSED, State.LISTEN, "listen");
        assertThat(printer.line(e)).isEqualTo("0.000000 10.0.0.2.80 > * CLOSED -> LISTEN (listen)");
    }

    @Test
    void stateLineWithoutCause() {
        var e = new StateEvent(60_000_512_000L, "10.0.0.1", CLIENT, SERVER, State.TIME_WAIT, State.CLOSED, null);
        assertThat(printer.line(e)).isEqualTo("60.000512 10.0.0.1.49152 > 10.0.0.2.80 TIME_WAIT -> CLOSED");
    }

    @Test
    void dropLine() {
        var e = new DropEvent(1_000_000, "10.0.0.2", SERVER, CLIENT, "OUT_OF_WINDOW", "seq 9000 beyond RCV.NXT+RCV.WND 7001");
        assertThat(printer.line(e))
                .isEqualTo("0.001000 drop 10.0.0.2.80 < 10.0.0.1.49152 OUT_OF_WINDOW: seq 9000 beyond RCV.NXT+RCV.WND 7001");
    }

    @Test
    void dropLineWithoutDetailOrPorts() {
        var e = new DropEvent(2_000, "10.0.0.2", null, null, "IP_BAD_CHECKSUM", null);
        assertThat(printer.line(e)).isEqualTo("0.000002 drop 10.0.0.2 < * IP_BAD_CHECKSUM");
    }

    @Test
    void lossLineNamesTheCounterThenTheWindow() {
        var e = new LossEvent(52_000_000, "10.0.0.1", CLIENT, SERVER, "TCPSackRecovery", "cwnd 7 ssthresh 7 Recovery");
        assertThat(printer.line(e)).isEqualTo("0.052000 10.0.0.1.49152 > 10.0.0.2.80 TCPSackRecovery cwnd 7 ssthresh 7 Recovery");
    }

    @Test
    void userLines() {
        printer.accept(new UserEvent(0, "10.0.0.1", null, SERVER, "connect", null));
        printer.accept(new UserEvent(0, "10.0.0.2", SERVER, null, "listen", "0"));
        printer.accept(new UserEvent(1_500_000, "10.0.0.1", CLIENT, SERVER, "send", "18"));
        printer.accept(new UserEvent(2_000_000, "10.0.0.1", CLIENT, SERVER, "recv", "ECONNRESET"));
        assertThat(out).hasToString("""
                0.000000 10.0.0.1 connect 10.0.0.2:80
                0.000000 10.0.0.2 listen 10.0.0.2:80 = 0
                0.001500 10.0.0.1 send 10.0.0.2:80 = 18
                0.002000 10.0.0.1 recv 10.0.0.2:80 = ECONNRESET
                """);
    }

    @Test
    void freeTextCannotBreakTheLine() {
        var e = new StateEvent(0, "h", CLIENT, SERVER, State.ESTABLISHED, State.CLOSE_WAIT, "FIN\nthen more");
        printer.accept(e);
        assertThat(out.toString().lines()).containsExactly("0.000000 10.0.0.1.49152 > 10.0.0.2.80 ESTABLISHED -> CLOSE_WAIT (FIN\\nthen more)");
    }
}
