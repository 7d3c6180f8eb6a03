package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import io.jtcp.api.Errno;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.Seg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Connection teardown (RFC 9293 §3.6, §3.10.4, §3.10.5): FIN exchanges, half-close, resets, TIME_WAIT. */
class CloseTest {

    @Test
    void weCloseFirst() throws Exception {
        Transcript t = new Transcript().established();
        t.close().expect(out().fin().seq(ISS + 1).ack(PEER_ISS + 1)).assertState(State.FIN_WAIT_1);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2)).expectNothing().assertState(State.FIN_WAIT_2);
        t.send(in().fin().seq(PEER_ISS + 1).ack(ISS + 2)).expect(out().seq(ISS + 2).ack(PEER_ISS + 2).win(WIN_AFTER_FIN));
        t.assertState(State.TIME_WAIT).advance(ms(60_000)).assertState(State.CLOSED).expectNothing();
        assertThat(t.deadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void peerClosesFirst() throws Exception {
        Transcript t = new Transcript().established();
        t.send(in().fin().seq(PEER_ISS + 1).ack(ISS + 1)).assertState(State.CLOSE_WAIT);
        assertThat(t.c.receive(new byte[10], 0, 10, t.now)).isEqualTo(-1);
        // An application that closes within the delayed-ACK time sends its FIN with the ACK.
        t.close().expect(out().fin().seq(ISS + 1).ack(PEER_ISS + 2).win(WIN_AFTER_FIN)).assertState(State.LAST_ACK);
        t.send(in().seq(PEER_ISS + 2).ack(ISS + 2)).expectNothing().assertState(State.CLOSED);
        assertThat(t.deadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(t.failures).isEmpty();
    }

    @Test
    void simultaneousClose() throws Exception {
        Transcript t = new Transcript().established();
        t.close().expect(out().fin().seq(ISS + 1).ack(PEER_ISS + 1));
        t.send(in().fin().seq(PEER_ISS + 1).ack(ISS + 1)).expect(out().seq(ISS + 2).ack(PEER_ISS + 2).win(WIN_AFTER_FIN));
        t.assertState(State.CLOSING);
        t.send(in().seq(PEER_ISS + 2).ack(ISS + 2)).expectNothing().assertState(State.TIME_WAIT);
        assertThat(t.transitions).endsWith(
                "ESTABLISHED -> FIN_WAIT_1 (CLOSE_FIN_SENT)",
                "FIN_WAIT_1 -> CLOSING (SIMULTANEOUS_CLOSE)",
                "CLOSING -> TIME_WAIT (ACK_OF_FIN)");
    }

    @Test
    void halfCloseKeepsReceiving() throws Exception {
        Transcript t = new Transcript().established();
        t.shutdownOutput().expect(out().fin().seq(ISS + 1).ack(PEER_ISS + 1)).assertState(State.FIN_WAIT_1);
        assertThat(errnoOf(() -> t.write("more"))).isEqualTo(Errno.EPIPE);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2)).assertState(State.FIN_WAIT_2);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2).payload("still talking")).expect(out().seq(ISS + 2).ack(PEER_ISS + 14).win(WIN - 13));
        assertThat(t.read()).isEqualTo("still talking");
        t.send(in().fin().seq(PEER_ISS + 14).ack(ISS + 2)).expect(out().seq(ISS + 2).ack(PEER_ISS + 15).win(WIN - 14));
        t.assertState(State.TIME_WAIT);
        assertThat(t.c.receive(new byte[10], 0, 10, t.now)).isEqualTo(-1);
    }

    @Test
    void closeInSynSentDeletesTheTcbSilently() throws Exception {
        Transcript t = new Transcript().synSent();
        t.close().expectNothing().assertState(State.CLOSED);
        assertThat(t.deadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void closeInListenDeletesTheTcb() throws Exception {
        Transcript t = new Transcript().listening();
        t.close().expectNothing().assertState(State.CLOSED);
    }

    @Test
    void closeInSynReceivedSendsFin() throws Exception {
        // §3.10.4: "If no SENDs have been issued and there is no pending data to send, then form a FIN segment and send it".
        Transcript t = new Transcript().synReceived();
        t.close().expect(out().fin().seq(ISS + 1).ack(PEER_ISS + 1)).assertState(State.FIN_WAIT_1);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2)).expectNothing().assertState(State.FIN_WAIT_2);
    }

    @Test
    void closeWithUnreadDataResets() throws Exception {
        Transcript t = new Transcript().established();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("unread")).expect(out().seq(ISS + 1).ack(PEER_ISS + 7).win(WIN - 6));
        t.close().expect(outRst().seq(ISS + 1).ack(PEER_ISS + 7)).assertState(State.CLOSED);
        assertThat(t.lastTransition()).isEqualTo("ESTABLISHED -> CLOSED (ABORT_UNREAD_DATA)");
    }

    @Test
    void dataAfterCloseInFinWait2Resets() throws Exception {
        // Linux answers the segment itself (tcp_v4_send_reset): <SEQ=SEG.ACK><CTL=RST>, no ACK.
        Transcript t = new Transcript().finWait2();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2).payload("hello?"))
                .expect(outRst().seq(ISS + 2))
                .assertState(State.CLOSED);
        assertThat(t.lastTransition()).isEqualTo("FIN_WAIT_2 -> CLOSED (ABORT_DATA_AFTER_CLOSE)");
    }

    @Test
    void dataAfterCloseInFinWait1ResetsFromTheSegmentsAck() throws Exception {
        // The peer has not yet acknowledged our FIN: the RST takes its number from SEG.ACK, not SND.NXT.
        Transcript t = new Transcript().finWait1();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("hello?"))
                .expect(outRst().seq(ISS + 1))
                .assertState(State.CLOSED);
    }

    @Test
    void shutdownReadStillQueuesAndReadsDataThenEndsTheStream() throws Exception {
        // Linux's tcp_recvmsg reads what is queued before honouring RCV_SHUTDOWN (upstream shutdown-rd-wr-close.pkt).
        Transcript t = new Transcript().established();
        t.write("x").expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("x"));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2).payload("before"));
        t.c.shutdownInput(t.now);
        t.send(in().seq(PEER_ISS + 7).ack(ISS + 2).payload("after"));
        t.drain();
        assertThat(t.read()).isEqualTo("beforeafter");
        byte[] b = new byte[8];
        assertThat(t.c.receive(b, 0, b.length, t.now)).isEqualTo(-1);
    }

    @Test
    void thePeersFinShutsReceivingBeforeItsDataIsRead() throws Exception {
        // Linux's tcp_fin sets RCV_SHUTDOWN at once (poll's POLLRDHUP); end of stream waits for the data.
        Transcript t = new Transcript().established();
        t.send(in().fin().seq(PEER_ISS + 1).ack(ISS + 1).payload("bye"));
        assertThat(t.c.receiveShutdown()).isTrue();
        assertThat(t.c.atEndOfStream()).isFalse();
        assertThat(t.read()).isEqualTo("bye");
        assertThat(t.c.atEndOfStream()).isTrue();
    }

    @Test
    void closeAfterShutdownReadWithUnreadDataResets() throws Exception {
        // tcp_close counts unread data whatever the shutdowns: the close is an abort.
        Transcript t = new Transcript().established();
        t.c.shutdownInput(t.now);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("unread"));
        t.drain();
        t.close().expect(outRst().seq(ISS + 1).ack(PEER_ISS + 7)).assertState(State.CLOSED);
    }

    @Test
    void dataAfterBothShutdownsResetsAndReportsEconnreset() throws Exception {
        // Linux tests RCV_SHUTDOWN, not whether the socket was closed: shutdown(SHUT_RD) + (SHUT_WR) does it too.
        Transcript t = new Transcript().established();
        t.c.shutdownInput(t.now);
        t.shutdownOutput().expect(out().fin().seq(ISS + 1).ack(PEER_ISS + 1));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 2).payload("late")).expect(outRst().seq(ISS + 2)).assertState(State.CLOSED);
        assertThat(t.failures).containsExactly(Errno.ECONNRESET);
    }

    interface Setup { Transcript apply(Transcript t) throws ErrnoException; }

    /** §3.10.5: which states answer ABORT with a reset, and which one. */
    static Stream<Arguments> aborts() {
        return Stream.of(
                arguments("LISTEN", (Setup) Transcript::listening, null),
                arguments("SYN_SENT", (Setup) Transcript::synSent, null),
                arguments("SYN_RECEIVED", (Setup) Transcript::synReceived, outRst().seq(ISS + 1).ack(PEER_ISS + 1)),
                arguments("ESTABLISHED", (Setup) Transcript::established, outRst().seq(ISS + 1).ack(PEER_ISS + 1)),
                arguments("FIN_WAIT_1", (Setup) Transcript::finWait1, outRst().seq(ISS + 2).ack(PEER_ISS + 1)),
                arguments("FIN_WAIT_2", (Setup) Transcript::finWait2, outRst().seq(ISS + 2).ack(PEER_ISS + 1)),
                arguments("CLOSE_WAIT", (Setup) Transcript::closeWait, outRst().seq(ISS + 1).ack(PEER_ISS + 2)),
                arguments("CLOSING", (Setup) Transcript::closing, null),
                arguments("LAST_ACK", (Setup) Transcript::lastAck, null),
                arguments("TIME_WAIT", (Setup) Transcript::timeWait, null));
    }

    @ParameterizedTest(name = "abort in {0}")
    @MethodSource("aborts")
    void abortInEachState(String state, Setup setup, Seg reset) throws Exception {
        Transcript t = setup.apply(new Transcript());
        t.abort();
        if (reset == null) t.expectNothing();
        else t.expect(reset).expectNothing();
        t.assertState(State.CLOSED);
        assertThat(t.deadline()).isEqualTo(Long.MAX_VALUE);
    }

    static Sysctls plainRfc() {
        return Sysctls.rfc().set("tcp_timestamps", "0").set("tcp_sack", "0").set("tcp_window_scaling", "0");
    }

    @Test
    void timeWaitLastsTwoMslOnLinux() throws Exception {
        Transcript t = new Transcript().timeWait();
        t.advance(ms(59_999)).assertState(State.TIME_WAIT);
        t.advance(ms(1)).assertState(State.CLOSED).expectNothing();
        assertThat(t.lastTransition()).isEqualTo("TIME_WAIT -> CLOSED (TIME_WAIT_EXPIRED)");
    }

    @Test
    void timeWaitLastsFourMinutesWithRfcMsl() throws Exception {
        Transcript t = withSysctls(plainRfc()).timeWait();
        t.advance(ms(239_999)).assertState(State.TIME_WAIT);
        t.advance(ms(1)).assertState(State.CLOSED);
    }

    @Test
    void resetInTimeWaitKillsIt() throws Exception {
        Transcript t = new Transcript().timeWait();
        t.send(in().rst().seq(PEER_ISS + 2)).expectNothing().assertState(State.CLOSED);
        assertThat(t.lastTransition()).isEqualTo("TIME_WAIT -> CLOSED (RESET_TIME_WAIT)");
        assertThat(t.deadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void resetInTimeWaitIsIgnoredUnderRfc1337() throws Exception {
        Transcript t = withSysctls(plainRfc()).timeWait();
        t.send(in().rst().seq(PEER_ISS + 2)).expectNothing().assertState(State.TIME_WAIT);
        t.send(in().rst().ack(ISS + 2).seq(PEER_ISS + 2)).expectNothing().assertState(State.TIME_WAIT);
    }

    @Test
    void timeWaitAcceptsNoData() throws Exception {
        Transcript t = new Transcript().timeWait();
        t.send(in().seq(PEER_ISS + 2).ack(ISS + 2).payload("ghost")).expect(out().seq(ISS + 2).ack(PEER_ISS + 2).win(WIN_AFTER_FIN));
        assertThat(t.c.available()).isZero();
        assertThat(t.c.status(t.now).rcvNxt()).isEqualTo(PEER_ISS + 2);
    }

    @Test
    void lastAckRetransmitsFinUntilAcked() throws Exception {
        Transcript t = new Transcript().lastAck();
        t.advance(ms(1000)).expect(out().fin().seq(ISS + 1).ack(PEER_ISS + 2).win(WIN_AFTER_FIN));
        t.send(in().seq(PEER_ISS + 2).ack(ISS + 2)).assertState(State.CLOSED);
    }
}
