package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import io.jtcp.api.Errno;

import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/** What the user calls of RFC 9293 §3.10.1–§3.10.6 report when misused, with Linux's errno values. */
class UserCallErrorsTest {

    static int receive(Transcript t) throws ErrnoException {
        return t.c.receive(new byte[100], 0, 100, t.now);
    }

    @Test
    void sendAfterShutdownOutputIsEpipe() throws Exception {
        Transcript t = new Transcript().established();
        t.shutdownOutput().drain();
        assertThat(errnoOf(() -> t.write("late"))).isEqualTo(Errno.EPIPE);
        assertThat(t.c.sendSpace()).isZero();
    }

    @Test
    void sendOnAResetConnectionReportsTheResetOnceThenEpipe() throws Exception {
        Transcript t = new Transcript().established();
        t.send(in().rst().seq(PEER_ISS + 1)).assertState(State.CLOSED);
        assertThat(errnoOf(() -> t.write("x"))).isEqualTo(Errno.ECONNRESET);
        assertThat(errnoOf(() -> t.write("x"))).isEqualTo(Errno.EPIPE);
        assertThat(errnoOf(() -> t.write("x"))).isEqualTo(Errno.EPIPE);
    }

    @Test
    void receiveOnAResetConnectionReportsTheResetOnceThenEndOfStream() throws Exception {
        Transcript t = new Transcript().established();
        t.send(in().rst().seq(PEER_ISS + 1));
        assertThat(errnoOf(() -> receive(t))).isEqualTo(Errno.ECONNRESET);
        assertThat(receive(t)).isEqualTo(-1);
        assertThat(receive(t)).isEqualTo(-1);
    }

    @Test
    void takingTheErrorClearsItAsSoErrorDoes() throws Exception {
        Transcript t = new Transcript().established();
        t.send(in().rst().seq(PEER_ISS + 1)).assertState(State.CLOSED);
        assertThat(t.c.pendingError()).isEqualTo(Errno.ECONNRESET);
        assertThat(t.c.takeError()).isEqualTo(Errno.ECONNRESET);
        assertThat(t.c.pendingError()).isNull();
        assertThat(t.c.takeError()).isNull();
        assertThat(t.c.error()).as("what ended the connection stays known").isEqualTo(Errno.ECONNRESET);
        assertThat(receive(t)).isEqualTo(-1);
        assertThat(errnoOf(() -> t.write("x"))).isEqualTo(Errno.EPIPE);
    }

    @Test
    void aResetInCloseWaitIsABrokenPipeAndReadsStayAtEndOfStream() throws Exception {
        Transcript t = new Transcript().established();
        t.send(in().fin().seq(PEER_ISS + 1).ack(ISS + 1)).assertState(State.CLOSE_WAIT);
        t.send(in().rst().seq(PEER_ISS + 2)).assertState(State.CLOSED);
        // tcp_recvmsg: the FIN (SOCK_DONE) ends the read before sk_err is looked at.
        assertThat(receive(t)).isEqualTo(-1);
        assertThat(t.c.pendingError()).isEqualTo(Errno.EPIPE);
        assertThat(errnoOf(() -> t.write("x"))).isEqualTo(Errno.EPIPE);
        assertThat(t.c.pendingError()).isNull();
    }

    @Test
    void openActiveTwice() throws Exception {
        Transcript t = new Transcript().synSent();
        assertThat(errnoOf(() -> t.c.openActive(t.now))).isEqualTo(Errno.EALREADY);
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).drain();
        assertThat(errnoOf(() -> t.c.openActive(t.now))).isEqualTo(Errno.EISCONN);
        assertThat(errnoOf(() -> t.c.openPassive(t.now))).isEqualTo(Errno.EISCONN);
        t.expectNothing().assertState(State.ESTABLISHED);
    }

    @Test
    void sendWithoutAConnection() throws Exception {
        Transcript listening = new Transcript().listening();
        assertThat(errnoOf(() -> listening.write("x"))).isEqualTo(Errno.ENOTCONN);
        assertThat(errnoOf(listening::shutdownOutput)).isEqualTo(Errno.ENOTCONN);
        Transcript fresh = new Transcript();
        assertThat(errnoOf(() -> fresh.write("x"))).isEqualTo(Errno.ENOTCONN);
        assertThat(errnoOf(() -> receive(fresh))).isEqualTo(Errno.ENOTCONN);
        listening.expectNothing();
        fresh.expectNothing();
    }

    @Test
    void receiveReturnsEndOfStreamOnceThePeersFinIsRead() throws Exception {
        Transcript t = new Transcript().established();
        assertThat(receive(t)).as("nothing yet").isZero();
        t.send(in().fin().seq(PEER_ISS + 1).ack(ISS + 1).payload("bye"));
        assertThat(t.c.atEndOfStream()).isFalse();
        assertThat(t.read()).isEqualTo("bye");
        assertThat(receive(t)).isEqualTo(-1);
        assertThat(receive(t)).isEqualTo(-1);
        assertThat(t.c.atEndOfStream()).isTrue();
    }

    @Test
    void dataWrittenBeforeTheHandshakeGoesOutWithIt() throws Exception {
        Transcript t = new Transcript().synSent();
        t.write("early").expectNothing();
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460))
                .expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("early"))
                .expectNothing();
    }

    @Test
    void reopeningAClosedConnectionStartsAFreshIncarnation() throws Exception {
        Transcript t = new Transcript().lastAck();
        t.send(in().seq(PEER_ISS + 2).ack(ISS + 2)).assertState(State.CLOSED);
        t.c.openActive(t.now);
        t.expect(out().syn().seq(ISS).mss(1460));
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460).payload("hello"))
                .expect(out().seq(ISS + 1).ack(PEER_ISS + 6).win(WIN - 5))
                .assertState(State.ESTABLISHED);
        assertThat(t.read()).isEqualTo("hello");
        t.write("again").expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 6).win(WIN - 5).payload("again"));
    }

    @Test
    void receiveAfterShutdownInputIsEndOfStreamOnceTheQueueIsRead() throws Exception {
        Transcript t = new Transcript().established();
        t.c.shutdownInput(t.now);
        assertThat(receive(t)).isEqualTo(-1);
        // Linux keeps queuing what arrives after SHUT_RD (tcp_recvmsg alone tests RCV_SHUTDOWN).
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("more"));
        assertThat(t.c.available()).isEqualTo(4);
        assertThat(t.c.atEndOfStream()).isFalse();
    }
}
