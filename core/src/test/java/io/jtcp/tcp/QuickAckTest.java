package io.jtcp.tcp;

import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.ISS;
import static io.jtcp.tcp.Transcript.PEER_ISS;
import static io.jtcp.tcp.Transcript.WIN;
import static io.jtcp.tcp.Transcript.in;
import static io.jtcp.tcp.Transcript.ms;
import static io.jtcp.tcp.Transcript.out;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Linux's receiver ACK engine ({@link AckPolicy}): quick-ACK mode at the start and
 * after trouble, interactive (pingpong) mode when we reply, and the ACK timeout.
 * packetdrill/corpus/data/in-window-data-acked.pkt and delayed-ack.pkt are the same
 * rules checked against Linux 6.18.
 */
class QuickAckTest {
    /** The peer's byte {@code offset} (0 = the first after its SYN) carrying {@code text}. */
    private static Transcript data(Transcript t, int offset, String text) {
        return t.send(in().seq(PEER_ISS + 1 + offset).ack(ISS + 1).payload(text));
    }

    private static Transcript expectAck(Transcript t, int peerBytes) {
        // Reading does not move the window's right edge until it can grow a lot, so it shrinks by all that came in.
        return t.expect(out().seq(ISS + 1).ack(PEER_ISS + 1 + peerBytes).win(WIN - peerBytes));
    }

    @Test
    void firstDataOfAConnectionIsAckedAtOnce() throws Exception {
        Transcript t = new Transcript().established();
        expectAck(data(t, 0, "hello"), 5);
    }

    @Test
    void sixteenQuickAcksThenTheAckTimeout() throws Exception {
        Transcript t = new Transcript().established();
        for (int i = 0; i < AckPolicy.MAX_QUICK_ACKS; i++) {
            expectAck(data(t, i, "x"), i + 1);
            t.read();
            t.advance(ms(100));
        }
        data(t, 16, "y").expectNothing();
        t.advance(ms(39)).expectNothing();
        expectAck(t.advance(ms(1)), 17);
    }

    @Test
    void replyingWithinTheAckTimeoutMakesTheConnectionInteractive() throws Exception {
        Transcript t = new Transcript().established();
        expectAck(data(t, 0, "ping"), 4);
        assertThat(t.c.quickAck()).isTrue();
        t.read();
        t.advance(ms(5));
        t.write("pong").expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 5).win(WIN - 4).payload("pong"));
        assertThat(t.c.quickAck()).as("interactive (pingpong) mode").isFalse();
        t.send(in().seq(PEER_ISS + 5).ack(ISS + 5).payload("ping")).expectNothing();
        t.read();
        t.advance(ms(5));
        t.write("pong").expect(out().psh().seq(ISS + 5).ack(PEER_ISS + 9).win(WIN - 8).payload("pong"));
    }

    @Test
    void aDelayedAckTimerThatFiresEndsInteractiveMode() throws Exception {
        Transcript t = new Transcript().established();
        t.c.setQuickAck(false, t.now);
        data(t, 0, "a").expectNothing();
        expectAck(t.advance(ms(40)), 1);
        assertThat(t.c.quickAck()).isTrue();
        // Quick ACKs granted by the first data are left: the next data is acknowledged at once.
        expectAck(data(t, 1, "b"), 2);
    }

    @Test
    void oldDataMeansOurAckWasLostSoTheNextAcksGoAtOnce() throws Exception {
        Transcript t = new Transcript().established();
        t.c.setQuickAck(false, t.now);
        data(t, 0, "abc").expectNothing();
        t.read();
        expectAck(data(t, 0, "abc"), 3);
        assertThat(t.c.quickAck()).as("tcp_enter_quickack_mode leaves interactive mode").isTrue();
        expectAck(data(t, 3, "def"), 6);
    }

    @Test
    void dataAfterASilenceLongerThanTheRtoIsAckedAtOnce() throws Exception {
        Transcript t = new Transcript().established();
        for (int i = 0; i < AckPolicy.MAX_QUICK_ACKS; i++) {
            expectAck(data(t, i, "x"), i + 1);
            t.read();
        }
        data(t, 16, "y").expectNothing();
        expectAck(t.advance(ms(40)), 17);
        t.read();
        t.advance(ms(1500));
        expectAck(data(t, 17, "z"), 18);
    }

    @Test
    void quickAckOnSendsTheOwedAckOnceEverythingIsRead() throws Exception {
        Transcript t = new Transcript().established();
        t.c.setQuickAck(false, t.now);
        data(t, 0, "abc").expectNothing();
        t.c.setQuickAck(true, t.now);
        t.expectNothing(); // unread data: Linux's tcp_cleanup_rbuf waits for the read
        t.c.setQuickAck(false, t.now);
        t.read();
        t.expectNothing();
        t.c.setQuickAck(true, t.now);
        expectAck(t, 3);
    }

    /** __tcp_ack_snd_check counts bytes: one segment carrying more than an MSS (GRO's super-segment) is acked at once. */
    @Test
    void oneSegmentOfMoreThanAnMssIsAckedAtOnceEvenWhenInteractive() throws Exception {
        Transcript t = new Transcript().established();
        t.c.setQuickAck(false, t.now);
        data(t, 0, "x".repeat(2 * 1460));
        expectAck(t, 2 * 1460);
    }
}
