package io.jtcp.tcp;

import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection that has moved more than half the sequence space keeps working.
 * Sequence numbers compare modulo 2^32, so anything compared with the ISS stops
 * meaning "after the SYN" once 2^31 bytes have gone by: moving 4 GiB once stalled
 * because "is our SYN acknowledged?" was asked of SND.UNA and ISS.
 */
class LongTransferTest {
    /** 2^31 + 1000 bytes already sent and acknowledged, as after a long bulk transfer. */
    static final long MOVED = (1L << 31) + 1000;

    private static Transcript afterLongTransfer() throws Exception {
        Transcript t = new Transcript().established();
        int una = (int) (ISS + 1 + MOVED);
        t.c.sndUna = t.c.sndNxt = t.c.sndMax = t.c.sndSml = t.c.sendHeadSeq = una;
        return t;
    }

    @Test
    void dataStillGoesOutPastHalfTheSequenceSpace() throws Exception {
        Transcript t = afterLongTransfer();
        t.write("more");
        t.expect(out().psh().seq(ISS + 1 + MOVED).ack(PEER_ISS + 1).payload("more"));
    }

    @Test
    void itsAcknowledgmentIsTakenPastHalfTheSequenceSpace() throws Exception {
        Transcript t = afterLongTransfer();
        t.write("more");
        t.expect(out().psh().seq(ISS + 1 + MOVED).ack(PEER_ISS + 1).payload("more"));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1 + MOVED + 4));
        assertThat(t.c.status(t.now).sendQueue()).isZero();
        assertThat(t.c.nextDeadline()).as("nothing left to retransmit").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void closeStillSendsItsFinPastHalfTheSequenceSpace() throws Exception {
        Transcript t = afterLongTransfer();
        t.c.close(t.now);
        t.expect(out().fin().seq(ISS + 1 + MOVED).ack(PEER_ISS + 1));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2 + MOVED));
        t.assertState(State.FIN_WAIT_2);
    }
}
