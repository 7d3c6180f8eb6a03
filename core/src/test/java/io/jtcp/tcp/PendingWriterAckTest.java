package io.jtcp.tcp;

import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.*;

/**
 * The handshake's ACK when a blocking writer waits in SYN_SENT (Linux's sk_write_pending in
 * tcp_rcv_synsent_state_process): it is held for the writer's data, and goes alone at once
 * when the writer returns with nothing left to send (all of it rode on a Fast Open SYN),
 * as Linux 6.18 does in fastopen/client/blocking-connect-bypass.pkt.
 */
class PendingWriterAckTest {

    @Test
    void theHeldAckRidesOnTheWritersData() throws Exception {
        Transcript t = new Transcript().synSent();
        t.c.writePending(true);
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460));
        t.expectNothing();
        t.write("hello");
        t.expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload(bytes("hello")));
        t.c.writerReturned(t.now);
        t.expectNothing();
    }

    @Test
    void aWriterWithNothingLeftToSendReleasesTheAckAtOnce() throws Exception {
        Transcript t = new Transcript().synSent();
        t.c.writePending(true);
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460));
        t.expectNothing();
        t.c.writerReturned(t.now);
        t.expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
    }

    /** Data written as the handshake completes looks like a reply (tcp_finish_connect's lrcvtime): the answer's ACK waits. */
    @Test
    void theWritersDataMakesTheConnectionInteractive() throws Exception {
        Transcript t = new Transcript().synSent();
        t.c.writePending(true);
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460));
        t.write("hello");
        t.expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload(bytes("hello")));
        t.c.writerReturned(t.now);
        t.advance(ms(20));
        t.send(in().psh().seq(PEER_ISS + 1).ack(ISS + 6).payload(bytes("world")));
        t.expectNothing();
        t.read();
        t.expectNothing();
    }
}
