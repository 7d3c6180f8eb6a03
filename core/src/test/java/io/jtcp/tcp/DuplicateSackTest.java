package io.jtcp.tcp;

import io.jtcp.config.Sysctls;
import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.ISS;
import static io.jtcp.tcp.Transcript.PEER_ISS;
import static io.jtcp.tcp.Transcript.WIN;
import static io.jtcp.tcp.Transcript.in;
import static io.jtcp.tcp.Transcript.out;
import static io.jtcp.tcp.Transcript.withSysctls;
import static org.assertj.core.api.Assertions.assertThat;

/** Sending D-SACKs (RFC 2883) as Linux does: tcp_dsack_set for old data, tcp_dsack_extend for held out-of-order data. */
class DuplicateSackTest {

    private static Transcript sackConnection(Sysctls cfg) throws Exception {
        Transcript t = withSysctls(cfg);
        t.c.openActive(t.now);
        t.expect(out().syn().seq(ISS).mss(1460).sackOk());
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460).sackOk()).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        return t;
    }

    private static Transcript sackConnection() throws Exception {
        return sackConnection(DataTransferTest.only("tcp_sack"));
    }

    @Test
    void oldDataIsReportedBelowTheAckOnce() throws Exception {
        Transcript t = sackConnection();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("abc")).expect(out().seq(ISS + 1).ack(PEER_ISS + 4).win(WIN - 3));
        // The peer missed that ACK and sends "abc" again: the answer says so in a D-SACK block below SEG.ACK (RFC 2883 §4.1.1).
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("abc"))
                .expect(out().seq(ISS + 1).ack(PEER_ISS + 4).win(WIN - 3).sack(PEER_ISS + 1, PEER_ISS + 4));
        assertThat(t.recoveryEvents).containsExactly(RecoveryEvent.DSACK_OLD_SENT);
        // Sent once: the next ACK carries no block.
        t.send(in().seq(PEER_ISS + 4).ack(ISS + 1).payload("def")).expect(out().seq(ISS + 1).ack(PEER_ISS + 7).win(WIN - 6));
    }

    @Test
    void aDuplicateOfHeldOutOfOrderDataComesFirstThenTheSackBlocks() throws Exception {
        Transcript t = sackConnection();
        t.send(in().seq(PEER_ISS + 4).ack(ISS + 1).payload("def"))
                .expect(out().seq(ISS + 1).ack(PEER_ISS + 1).sack(PEER_ISS + 4, PEER_ISS + 7));
        t.send(in().seq(PEER_ISS + 10).ack(ISS + 1).payload("jkl"))
                .expect(out().seq(ISS + 1).ack(PEER_ISS + 1).sack(PEER_ISS + 10, PEER_ISS + 13).sack(PEER_ISS + 4, PEER_ISS + 7));
        // "ef" again: a D-SACK inside the block that holds it (RFC 2883 §4.2.1), then the usual blocks.
        t.send(in().seq(PEER_ISS + 5).ack(ISS + 1).payload("ef"))
                .expect(out().seq(ISS + 1).ack(PEER_ISS + 1).sack(PEER_ISS + 5, PEER_ISS + 7)
                        .sack(PEER_ISS + 4, PEER_ISS + 7).sack(PEER_ISS + 10, PEER_ISS + 13));
        assertThat(t.recoveryEvents).containsExactly(RecoveryEvent.DSACK_OFO_SENT);
    }

    @Test
    void aSegmentOverlappingHeldDataReportsOnlyTheOverlap() throws Exception {
        Transcript t = sackConnection();
        t.send(in().seq(PEER_ISS + 4).ack(ISS + 1).payload("def")).drain();
        t.send(in().seq(PEER_ISS + 6).ack(ISS + 1).payload("fgh"))
                .expect(out().seq(ISS + 1).ack(PEER_ISS + 1).sack(PEER_ISS + 6, PEER_ISS + 7).sack(PEER_ISS + 4, PEER_ISS + 9));
    }

    @Test
    void tcpDsackOffSendsNone() throws Exception {
        Transcript t = sackConnection(DataTransferTest.only("tcp_sack").set("tcp_dsack", "0"));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("abc")).drain();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("abc")).expect(out().seq(ISS + 1).ack(PEER_ISS + 4).win(WIN - 3));
        assertThat(t.recoveryEvents).isEmpty();
    }
}
