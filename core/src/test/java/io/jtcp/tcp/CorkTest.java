package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/** TCP_CORK and MSG_MORE (Linux's TCP_NAGLE_CORK in tcp_push, tcp_nagle_test, tcp_write_wakeup). */
class CorkTest {
    static final String MSS_OF_X = DataTransferTest.text(1460, 'x');

    private static Transcript corked() throws ErrnoException {
        return withOptions(o -> o.cork = true).established();
    }

    private static void uncork(Transcript t) {
        t.c.options().cork = false;
        t.c.optionsChanged(t.now);
    }

    @Test
    void whileCorkedOnlyFullSegmentsGoOutAndUncorkingSendsTheRest() throws Exception {
        Transcript t = corked();
        t.write("GET / HTTP/1.1\r\n").expectNothing(); // nothing in flight: plain Nagle would send it
        t.write(MSS_OF_X.substring(16));
        t.expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("GET / HTTP/1.1\r\n" + MSS_OF_X.substring(16)));
        t.write("tail").expectNothing();
        uncork(t);
        // Nagle still applies after uncorking; the full segment in flight is not a small one (Minshall).
        t.expect(out().psh().seq(ISS + 1461).ack(PEER_ISS + 1).payload("tail"));
    }

    @Test
    void turningNoDelayOnPushesWhatTheCorkHoldsOnce() throws Exception {
        // Linux's __tcp_sock_set_nodelay: TCP_NAGLE_PUSH, then tcp_push_pending_frames, cork or not.
        Transcript t = corked();
        t.write("one").expectNothing();
        t.c.options().setNoDelay(true);
        t.c.optionsChanged(t.now);
        t.expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("one"));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 4));
        t.write("two").expectNothing(); // still corked: the push was for what waited then
    }

    @Test
    void aFinIsNotHeldByTheCork() throws Exception {
        Transcript t = corked();
        t.write("bye").expectNothing();
        t.close().expect(out().psh().fin().seq(ISS + 1).ack(PEER_ISS + 1).payload("bye"));
    }

    @Test
    void corkedDataGoesOutWhenTheProbeTimerFiresNotAfterAFixed200ms() throws Exception {
        Transcript t = withOptions(o -> o.cork = true).synSent();
        t.advance(ms(700));
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        // The probe interval is max(RTO, TCP_RTO_MIN): SRTT 700 ms and RTTVAR 350 ms make it 2.1 s.
        t.write("late").expectNothing();
        t.advance(ms(200)).expectNothing();
        t.advance(ms(1_899)).expectNothing();
        t.advance(ms(1)).expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("late"));
    }

    @Test
    void msgMoreCorksOnlyItsOwnPush() throws Exception {
        Transcript t = new Transcript().established();
        byte[] head = bytes("HTTP/1.1 200 OK\r\n");
        assertThat(t.c.send(head, 0, head.length, true, t.now)).isEqualTo(head.length);
        t.expectNothing();
        t.write("body").expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("HTTP/1.1 200 OK\r\nbody"));
    }

    @Test
    void dataWrittenWithMsgMoreCarriesNoPshWhenNoDelayPushesIt() throws Exception {
        // tcp_sendmsg_locked marks PSH only on a write without MSG_MORE (upstream nagle/sendmsg_msg_more.pkt).
        Transcript t = new Transcript().established();
        byte[] part = bytes("part");
        t.c.send(part, 0, part.length, true, t.now);
        t.expectNothing();
        t.c.options().setNoDelay(true);
        t.c.optionsChanged(t.now);
        t.expect(out().seq(ISS + 1).ack(PEER_ISS + 1).payload("part"));
    }
}
