package io.jtcp.tcp;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.Segment;
import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.ISS;
import static io.jtcp.tcp.Transcript.PEER_ISS;
import static io.jtcp.tcp.Transcript.WIN;
import static io.jtcp.tcp.Transcript.in;
import static io.jtcp.tcp.Transcript.ms;
import static io.jtcp.tcp.Transcript.out;
import static io.jtcp.tcp.Transcript.plain;
import static io.jtcp.tcp.Transcript.withSysctls;
import static org.assertj.core.api.Assertions.assertThat;

/** ECN (RFC 3168) as Linux's tcp_ecn.h: negotiation under tcp_ecn 0/1/2, ECT(0) on new data, the CE → ECE → CWR loop. */
class EcnTest {

    private static Transcript passive(Sysctls cfg) throws Exception {
        Transcript t = withSysctls(cfg);
        t.c.openPassive(t.now);
        return t;
    }

    /** A passive connection whose peer asked for ECN and got it. */
    private static Transcript negotiated() throws Exception {
        Transcript t = passive(plain());
        t.send(in().syn().ece().cwr().seq(PEER_ISS).mss(1460));
        t.expect(out().syn().ece().seq(ISS).ack(PEER_ISS + 1).mss(1460));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1));
        return t.assertState(State.ESTABLISHED);
    }

    @Test
    void theDefaultListenerAcceptsAnEcnSetupSynAndSendsDataEct0() throws Exception {
        Transcript t = negotiated();
        assertThat(t.c.tcpInfo(t.now).options() & TcpInfo.TCPI_OPT_ECN).isNotZero();
        t.write("hello");
        t.expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("hello").ecn(Segment.ECT0));
    }

    @Test
    void aSynArrivingEctOrWithoutBothFlagsGetsNoEcn() throws Exception {
        Transcript t = passive(plain());
        t.send(in().syn().ece().cwr().seq(PEER_ISS).mss(1460).ecn(Segment.ECT0));
        t.expect(out().syn().seq(ISS).ack(PEER_ISS + 1).mss(1460));
        Transcript u = passive(plain());
        u.send(in().syn().ece().seq(PEER_ISS).mss(1460));
        u.expect(out().syn().seq(ISS).ack(PEER_ISS + 1).mss(1460));
    }

    @Test
    void tcpEcnZeroRefuses() throws Exception {
        Transcript t = passive(plain().set("tcp_ecn", "0"));
        t.send(in().syn().ece().cwr().seq(PEER_ISS).mss(1460));
        t.expect(out().syn().seq(ISS).ack(PEER_ISS + 1).mss(1460));
    }

    @Test
    void tcpEcnOneRequestsOnConnectAndFallsBackOnTheResentSyn() throws Exception {
        Transcript t = withSysctls(plain().set("tcp_ecn", "1"));
        t.c.openActive(t.now);
        t.expect(out().syn().ece().cwr().seq(ISS).mss(1460));
        t.advance(ms(1000));
        // tcp_ecn_clear_syn: with tcp_ecn_fallback (default 1) the retransmitted SYN asks no more.
        t.expect(out().syn().seq(ISS).mss(1460));
    }

    @Test
    void theClientUsesEcnOnlyOnASynAckWithEceAlone() throws Exception {
        Transcript t = withSysctls(plain().set("tcp_ecn", "1"));
        t.c.openActive(t.now);
        t.drain();
        t.send(in().syn().ece().seq(PEER_ISS).ack(ISS + 1).mss(1460)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        t.write("x").expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("x").ecn(Segment.ECT0));

        Transcript u = withSysctls(plain().set("tcp_ecn", "1"));
        u.c.openActive(u.now);
        u.drain();
        u.send(in().syn().ece().cwr().seq(PEER_ISS).ack(ISS + 1).mss(1460)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        u.write("x").expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("x"));
    }

    @Test
    void ceIsEchoedOnEveryAckUntilCwrArrives() throws Exception {
        Transcript t = negotiated();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("a").ecn(Segment.ECT0)).advance(ms(40)).drain();
        // CE: acknowledged at once (tcp_enter_quickack_mode), with ECE.
        t.send(in().seq(PEER_ISS + 2).ack(ISS + 1).payload("b").ecn(Segment.CE))
                .expect(out().ece().seq(ISS + 1).ack(PEER_ISS + 3).win(WIN - 2));
        t.send(in().seq(PEER_ISS + 3).ack(ISS + 1).payload("c").ecn(Segment.ECT0))
                .expect(out().ece().seq(ISS + 1).ack(PEER_ISS + 4).win(WIN - 3));
        assertThat(t.c.tcpInfo(t.now).options() & TcpInfo.TCPI_OPT_ECN_SEEN).isNotZero();
        // CWR on data: the echo stops, and that data is acknowledged at once.
        t.send(in().cwr().seq(PEER_ISS + 4).ack(ISS + 1).payload("d").ecn(Segment.ECT0))
                .expect(out().seq(ISS + 1).ack(PEER_ISS + 5).win(WIN - 4));
    }

    @Test
    void anEchoReducesTheWindowOnceAndTheNextNewDataCarriesCwr() throws Exception {
        Transcript t = negotiated();
        t.write(DataTransferTest.text(4 * 1460, 'z'));
        assertThat(t.drain()).hasSize(4).allSatisfy(s -> assertThat(s.ecn).isEqualTo(Segment.ECT0));
        int cwndBefore = t.c.recovery.w.cwnd;
        t.send(in().ece().seq(PEER_ISS + 1).ack(ISS + 1 + 1460));
        assertThat(t.c.recovery.w.state).isEqualTo(CaState.CWR);
        int ssthresh = t.c.recovery.w.ssthresh;
        assertThat(ssthresh).isLessThan(cwndBefore);
        // A second echo in the same window changes nothing (tcp_enter_cwr only from Open or Disorder).
        t.send(in().ece().seq(PEER_ISS + 1).ack(ISS + 1 + 2 * 1460));
        assertThat(t.c.recovery.w.ssthresh).isEqualTo(ssthresh);
        t.drain();
        t.write("more");
        Segment next = t.drain().getLast();
        assertThat(next.has(io.jtcp.wire.TcpFlags.CWR)).isTrue();
        assertThat(next.ecn).isEqualTo(Segment.ECT0);
    }
}
