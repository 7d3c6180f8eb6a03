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
import io.jtcp.wire.TcpFlags;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonlTracePrinterTest {
    private final StringBuilder out = new StringBuilder();
    private final JsonlTracePrinter printer = new JsonlTracePrinter(out);

    @Test
    void synWithOptions() {
        printer.accept(SegmentEvent.sent(0, "10.0.0.1", Segments.syn()));
        assertThat(out).hasToString("""
                {"t":0.000000,"type":"segment","host":"10.0.0.1","local":"10.0.0.1:49152","remote":"10.0.0.2:80",\
                "dir":"out","flags":"S","seq":1000,"win":65535,"len":0,\
                "options":{"mss":1460,"wscale":7,"sackOK":true,"tsval":1,"tsecr":0}}
                """);
        Map<String, Object> o = MiniJson.object(out.toString().strip());
        assertThat(o).containsEntry("t", new BigDecimal("0.000000")).doesNotContainKey("ack");
    }

    @Test
    void receivedDataWithUnsignedNumbersAndSack() {
        Segment s = Segments.clientToServer(TcpFlags.ACK | TcpFlags.PSH);
        s.seq = 0xFFFF_FFF0;
        s.ack = 0x8000_0000;
        s.window = 502;
        s.addSack(-100, -50);
        s.payload(new byte[18], 0, 18);
        String line = printer.line(SegmentEvent.received(1_234_567, "10.0.0.2", s));
        assertThat(line).isEqualTo("""
                {"t":0.001234,"type":"segment","host":"10.0.0.2","local":"10.0.0.2:80","remote":"10.0.0.1:49152",\
                "dir":"in","flags":"P.","seq":4294967280,"ack":2147483648,"win":502,"len":18,\
                "options":{"sack":[[4294967196,4294967246]]}}""");
        Map<String, Object> o = MiniJson.object(line);
        assertThat(o.get("options")).isEqualTo(Map.of("sack", List.of(
                List.of(new BigDecimal("4294967196"), new BigDecimal("4294967246")))));
    }

    @Test
    void plainAckHasNoOptions() {
        Segment s = Segments.clientToServer(TcpFlags.ACK);
        s.seq = 1001;
        s.ack = 5001;
        s.window = 512;
        assertThat(printer.line(SegmentEvent.sent(0, "10.0.0.1", s))).endsWith("\"ack\":5001,\"win\":512,\"len\":0}");
    }

    @Test
    void stateLine() {
        String line = printer.line(new StateEvent(512_000, "10.0.0.1", CLIENT, SERVER, State.FIN_WAIT_1, State.FIN_WAIT_2, "ACK of our FIN"));
        assertThat(line).isEqualTo("""
                {"t":0.000512,"type":"state","host":"10.0.0.1","local":"10.0.0.1:49152","remote":"10.0.0.2:80",\
                "from":"FIN_WAIT_1","to":"FIN_WAIT_2","cause":"ACK of our FIN"}""");
        MiniJson.parse(line);
    }

    @Test
    void dropLineWithUnknownEndpoints() {
        String line = printer.line(new DropEvent(3_000_000, "link", null, null, "LOST", null));
        assertThat(line).isEqualTo("""
                {"t":0.003000,"type":"drop","host":"link","local":null,"remote":null,"reason":"LOST","detail":null}""");
        assertThat(MiniJson.object(line)).containsEntry("local", null).containsEntry("reason", "LOST");
    }

    @Test
    void lossLine() {
        String line = printer.line(new LossEvent(4_000_000, "10.0.0.1", CLIENT, SERVER, "TCPLossProbes", "cwnd 10 Open"));
        assertThat(line).isEqualTo("""
                {"t":0.004000,"type":"loss","host":"10.0.0.1","local":"10.0.0.1:49152","remote":"10.0.0.2:80","event":"TCPLossProbes","detail":"cwnd 10 Open"}""");
    }

    @Test
    void userLine() {
        String line = printer.line(new UserEvent(0, "10.0.0.1", null, SERVER, "connect", "0"));
        assertThat(line).isEqualTo("""
                {"t":0.000000,"type":"user","host":"10.0.0.1","local":null,"remote":"10.0.0.2:80","call":"connect","result":"0"}""");
        MiniJson.parse(line);
    }

    @Test
    void awkwardCauseSurvivesTheRoundTrip() {
        String cause = "peer said \"bye\"\nand then\\ \t\u0001 left \u00e9\ud83d\ude00";
        printer.accept(new StateEvent(0, "h", CLIENT, SERVER, State.CLOSE_WAIT, State.LAST_ACK, cause));
        assertThat(out.toString()).endsWith("}\n");
        assertThat(out.toString().strip().lines()).hasSize(1);
        assertThat(out.toString()).contains("\"cause\":\"peer said \\\"bye\\\"\\nand then\\\\ \\t\\u0001 left \u00e9\ud83d\ude00\"");
        assertThat(MiniJson.object(out.toString().strip())).containsEntry("cause", cause);
    }

    @Test
    void oneObjectPerLine() {
        printer.accept(SegmentEvent.sent(0, "10.0.0.1", Segments.syn()));
        printer.accept(new StateEvent(0, "10.0.0.1", CLIENT, SERVER, State.CLOSED, State.SYN_SENT, "connect"));
        printer.accept(new DropEvent(1, "10.0.0.2", SERVER, CLIENT, "NO_SOCKET", "no listener on port 80"));
        printer.accept(new UserEvent(2, "10.0.0.1", CLIENT, SERVER, "close", null));
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.stream().map(l -> MiniJson.object(l).get("type")))
                .containsExactly("segment", "state", "drop", "user");
        for (String l : lines) assertThat(MiniJson.object(l)).containsKeys("t", "type", "host", "local", "remote");
    }
}
