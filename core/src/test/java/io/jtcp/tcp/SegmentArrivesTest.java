package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import io.jtcp.api.Errno;

import io.jtcp.wire.DropReason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** RFC 9293 §3.10.7 SEGMENT ARRIVES, one "If the state is ..." branch at a time, with RFC 5961's blind-attack rules. */
class SegmentArrivesTest {

    /** A state fixture, with the RCV.NXT and SND.NXT it leaves behind. */
    record Fixture(String name, Setup setup, int rcvNxt, int sndNxt) {
        /** The window we advertise in this state: one less once the peer's FIN has been taken in. */
        int win() { return rcvNxt == PEER_ISS + 2 ? WIN_AFTER_FIN : WIN; }

        Transcript start() throws ErrnoException { return setup.apply(new Transcript()); }
        @Override public String toString() { return name; }
    }

    interface Setup { Transcript apply(Transcript t) throws ErrnoException; }

    static final Fixture ESTABLISHED = new Fixture("ESTABLISHED", Transcript::established, PEER_ISS + 1, ISS + 1);
    static final Fixture FIN_WAIT_1 = new Fixture("FIN_WAIT_1", Transcript::finWait1, PEER_ISS + 1, ISS + 2);
    static final Fixture FIN_WAIT_2 = new Fixture("FIN_WAIT_2", Transcript::finWait2, PEER_ISS + 1, ISS + 2);
    static final Fixture CLOSE_WAIT = new Fixture("CLOSE_WAIT", Transcript::closeWait, PEER_ISS + 2, ISS + 1);
    static final Fixture CLOSING = new Fixture("CLOSING", Transcript::closing, PEER_ISS + 2, ISS + 2);
    static final Fixture LAST_ACK = new Fixture("LAST_ACK", Transcript::lastAck, PEER_ISS + 2, ISS + 2);

    static Stream<Fixture> synchronizedFixtures() {
        return Stream.of(ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK);
    }

    @Nested
    class Closed {
        @Test
        void segmentWithAckGetsResetAtItsAck() {
            Transcript t = new Transcript();
            t.send(in().seq(100).ack(200)).expect(outRst().seq(200)).assertState(State.CLOSED);
        }

        @Test
        void segmentWithoutAckGetsResetAckCoveringIt() {
            Transcript t = new Transcript();
            t.send(in().seq(100).payload("abc")).expect(outRst().seq(0).ack(103));
            t.send(in().syn().seq(300)).expect(outRst().seq(0).ack(301));
            t.send(in().fin().seq(400).payload("xy")).expect(outRst().seq(0).ack(403));
        }

        @Test
        void resetIsNeverAnswered() {
            Transcript t = new Transcript();
            t.send(in().rst().seq(100)).expectNothing();
            t.send(in().rst().seq(100).ack(5)).expectNothing();
            assertThat(t.drops).containsOnly(DropReason.CLOSED);
        }
    }

    @Nested
    class Listen {
        @Test
        void resetIsIgnored() throws Exception {
            Transcript t = new Transcript().listening();
            t.send(in().rst().seq(100)).expectNothing().assertState(State.LISTEN);
            assertThat(t.drops).containsExactly(DropReason.LISTEN_RST);
        }

        @Test
        void ackGetsReset() throws Exception {
            Transcript t = new Transcript().listening();
            t.send(in().seq(100).ack(777)).expect(outRst().seq(777)).assertState(State.LISTEN);
            t.send(in().syn().seq(100).ack(778)).expect(outRst().seq(778)).assertState(State.LISTEN);
            assertThat(t.drops).containsExactly(DropReason.LISTEN_ACK, DropReason.LISTEN_ACK);
        }

        @Test
        void synGetsSynAck() throws Exception {
            Transcript t = new Transcript().synReceived();
            assertThat(t.lastTransition()).isEqualTo("LISTEN -> SYN_RECEIVED (SYN_RECEIVED)");
            assertThat(t.deadline()).isEqualTo(t.after(ms(1000)));
        }

        @Test
        void anythingElseIsDropped() throws Exception {
            Transcript t = new Transcript().listening();
            t.send(in().seq(100).payload("data")).expectNothing();
            t.send(in().fin().seq(100)).expectNothing().assertState(State.LISTEN);
            assertThat(t.drops).containsExactly(DropReason.UNEXPECTED_SEGMENT, DropReason.UNEXPECTED_SEGMENT);
        }
    }

    @Nested
    class SynSent {
        @Test
        void unacceptableAckGetsReset() throws Exception {
            Transcript t = new Transcript().synSent();
            t.send(in().syn().seq(PEER_ISS).ack(ISS)).expect(outRst().seq(ISS));
            t.send(in().seq(PEER_ISS).ack(ISS + 2)).expect(outRst().seq(ISS + 2));
            t.send(in().rst().seq(PEER_ISS).ack(ISS + 2)).expectNothing();
            t.assertState(State.SYN_SENT);
            assertThat(t.drops).containsExactly(DropReason.BAD_SYN_ACK, DropReason.BAD_SYN_ACK, DropReason.BAD_SYN_ACK);
        }

        @Test
        void unacceptableSynAckResendsTheSynAtOnce() throws Exception {
            // Linux's tcp_rcv_synsent_state_process: the retransmission timer is cut to TCP_TIMEOUT_MIN.
            Transcript t = new Transcript().synSent();
            t.advance(ms(100));
            t.send(in().syn().seq(PEER_ISS).ack(ISS + 5)).expect(outRst().seq(ISS + 5));
            assertThat(t.deadline()).isEqualTo(t.after(ms(2)));
            t.advance(ms(2)).expect(out().syn().seq(ISS).mss(1460));
            // That counted as a retransmission; with tcp_syn_linear_timeouts the next keeps the initial RTO.
            assertThat(t.deadline()).isEqualTo(t.after(java.time.Duration.ofSeconds(1)));
            t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
            t.assertState(State.ESTABLISHED);
        }

        @Test
        void resetWithBadAckResendsTheSynAtOnceButOnlyBeforeAnyRetransmission() throws Exception {
            Transcript t = new Transcript().synSent();
            t.advance(ms(100));
            t.send(in().rst().seq(0).ack(ISS + 5000)).expectNothing();
            t.advance(ms(2)).expect(out().syn().seq(ISS).mss(1460));
            long backedOff = t.deadline();
            t.send(in().rst().seq(0).ack(ISS + 5000)).expectNothing();
            assertThat(t.deadline()).isEqualTo(backedOff);
            t.assertState(State.SYN_SENT);
        }

        @Test
        void resetAcknowledgingOurSynRefusesTheConnection() throws Exception {
            Transcript t = new Transcript().synSent();
            t.send(in().rst().seq(0).ack(ISS + 1)).expectNothing().assertState(State.CLOSED);
            assertThat(t.failures).containsExactly(Errno.ECONNREFUSED);
            assertThat(t.deadline()).isEqualTo(Long.MAX_VALUE);
            assertThat(errnoOf(() -> t.write("x"))).isEqualTo(Errno.ECONNREFUSED);
        }

        @Test
        void resetWithoutAckIsIgnored() throws Exception {
            Transcript t = new Transcript().synSent();
            t.send(in().rst().seq(PEER_ISS)).expectNothing().assertState(State.SYN_SENT);
            assertThat(t.drops).containsExactly(DropReason.RST_OUT_OF_WINDOW);
        }

        @Test
        void segmentWithNeitherSynNorRstIsDropped() throws Exception {
            Transcript t = new Transcript().synSent();
            t.send(in().seq(PEER_ISS).payload("x")).expectNothing().assertState(State.SYN_SENT);
        }

        @Test
        void synAckEstablishes() throws Exception {
            Transcript t = new Transcript().synSent();
            t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460))
                    .expect(out().seq(ISS + 1).ack(PEER_ISS + 1))
                    .assertState(State.ESTABLISHED);
            assertThat(t.deadline()).as("nothing outstanding, no keepalive").isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void bareSynIsSimultaneousOpen() throws Exception {
            Transcript t = new Transcript().synSent();
            t.send(in().syn().seq(PEER_ISS).mss(1460))
                    .expect(out().syn().seq(ISS).ack(PEER_ISS + 1).mss(1460))
                    .assertState(State.SYN_RECEIVED);
            assertThat(t.lastTransition()).isEqualTo("SYN_SENT -> SYN_RECEIVED (SIMULTANEOUS_OPEN)");
            t.send(in().seq(PEER_ISS + 1).ack(ISS + 1)).expectNothing().assertState(State.ESTABLISHED);
        }

        @Test
        void simultaneousOpenCompletesOnThePeersSynAck() throws Exception {
            // RFC 9293 Figure 7: each side's SYN-ACK completes the other's handshake (Linux: tcp_rcv_state_process).
            Transcript t = new Transcript().synSent();
            t.send(in().syn().seq(PEER_ISS).mss(1460)).expect(out().syn().seq(ISS).ack(PEER_ISS + 1).mss(1460));
            // Linux acknowledges that SYN-ACK at once: its SYN repeats one held, so tcp_data_queue sees old data.
            t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1))
                    .assertState(State.ESTABLISHED);
        }

        @Test
        void dataOnSynAckIsDelivered() throws Exception {
            Transcript t = new Transcript().synSent();
            t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460).payload("hello"))
                    .expect(out().seq(ISS + 1).ack(PEER_ISS + 6).win(WIN - 5))
                    .assertState(State.ESTABLISHED);
            assertThat(t.read()).isEqualTo("hello");
        }

        @Test
        void dataOnSynAckIsDeliveredWhateverThePeersIss() throws Exception {
            // The receive window starts at RCV.NXT once IRS is known, wherever IRS lies in the 2^32 space.
            for (long irs : new long[] {0x7FFFFFF0L, 0x90000000L, 0xFFFFFFFEL}) {
                Transcript t = new Transcript().synSent();
                t.send(in().syn().seq(irs).ack(ISS + 1).mss(1460).payload("hello"))
                        .expect(out().seq(ISS + 1).ack(irs + 6).win(WIN - 5));
                assertThat(t.read()).as("irs %x", irs).isEqualTo("hello");
                t.send(in().seq(irs + 6 + 10_000_000).ack(ISS + 1).payload("far"))
                        .expect(out().seq(ISS + 1).ack(irs + 6).win(WIN - 5));
                assertThat(t.drops).as("irs %x", irs).containsExactly(DropReason.OUT_OF_WINDOW);
            }
        }
    }

    @Nested
    class SynReceived {
        @Test
        void unacceptableAckGetsReset() throws Exception {
            Transcript t = new Transcript().synReceived();
            t.send(in().seq(PEER_ISS + 1).ack(ISS + 5)).expect(outRst().seq(ISS + 5)).assertState(State.SYN_RECEIVED);
            assertThat(t.drops).containsExactly(DropReason.ACK_UNACCEPTABLE);
        }

        @Test
        void exactResetReturnsPassiveOpenToListen() throws Exception {
            Transcript t = new Transcript().synReceived();
            t.send(in().rst().seq(PEER_ISS + 1)).expectNothing().assertState(State.LISTEN);
            assertThat(t.deadline()).isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void exactResetRefusesActiveOpen() throws Exception {
            Transcript t = new Transcript().synSent();
            t.send(in().syn().seq(PEER_ISS)).drain();
            t.send(in().rst().seq(PEER_ISS + 1)).expectNothing().assertState(State.CLOSED);
            assertThat(t.failures).containsExactly(Errno.ECONNREFUSED);
        }

        @Test
        void outOfWindowDataOnPassiveOpenIsAckedAndDropped() throws Exception {
            // Half of all initial sequence numbers lie above 2^31: the window must still start at RCV.NXT.
            Transcript t = new Transcript().listening();
            t.send(in().syn().seq(0x90000000L).mss(1460)).expect(out().syn().seq(ISS).ack(0x90000001L).mss(1460));
            t.send(in().seq(0x90000001L + 1_000_000).ack(ISS + 1).payload("far"))
                    .expect(out().seq(ISS + 1).ack(0x90000001L));
            assertThat(t.drops).containsExactly(DropReason.OUT_OF_WINDOW);
            t.assertState(State.SYN_RECEIVED);
        }
    }

    @Nested
    class SynchronizedStates {
        @ParameterizedTest
        @MethodSource("io.jtcp.tcp.SegmentArrivesTest#synchronizedFixtures")
        void outOfWindowSegmentIsAckedAndDropped(Fixture f) throws Exception {
            Transcript t = f.start();
            t.send(in().seq(f.rcvNxt() + 70_000).ack(f.sndNxt()).payload("x"))
                    .expect(out().seq(f.sndNxt()).ack(f.rcvNxt()).win(f.win()))
                    .assertState(State.valueOf(f.name()));
            assertThat(t.drops).containsExactly(DropReason.OUT_OF_WINDOW);
        }

        @ParameterizedTest
        @MethodSource("io.jtcp.tcp.SegmentArrivesTest#synchronizedFixtures")
        void oldDuplicateIsAckedAndDropped(Fixture f) throws Exception {
            Transcript t = f.start();
            t.send(in().seq(f.rcvNxt() - 3).ack(f.sndNxt()).payload("abc"))
                    .expect(out().seq(f.sndNxt()).ack(f.rcvNxt()).win(f.win()));
            assertThat(t.drops).containsExactly(DropReason.OLD_SEQUENCE);
        }

        @ParameterizedTest
        @MethodSource("io.jtcp.tcp.SegmentArrivesTest#exactResets")
        void exactResetCloses(Fixture f, Errno errno) throws Exception {
            Transcript t = f.start();
            t.send(in().rst().seq(f.rcvNxt())).expectNothing().assertState(State.CLOSED);
            if (errno == null) assertThat(t.failures).isEmpty();
            else assertThat(t.failures).containsExactly(errno);
            assertThat(t.deadline()).isEqualTo(Long.MAX_VALUE);
        }

        @ParameterizedTest
        @MethodSource("io.jtcp.tcp.SegmentArrivesTest#afterPeerFin")
        void resetAtThePeersFinSequenceCloses(Fixture f) throws Exception {
            // Linux's tcp_reset_check: after the peer's FIN, a RST at RCV.NXT - 1 counts as exact.
            Transcript t = f.start();
            t.send(in().rst().seq(f.rcvNxt() - 1)).expectNothing().assertState(State.CLOSED);
            assertThat(t.failures).hasSize(1);
        }

        @Test
        void resetJustBeforeRcvNxtIsDroppedWhileEstablished() throws Exception {
            Transcript t = ESTABLISHED.start();
            t.send(in().rst().seq(ESTABLISHED.rcvNxt() - 1)).expectNothing().assertState(State.ESTABLISHED);
            assertThat(t.drops).containsExactly(DropReason.RST_OUT_OF_WINDOW);
        }

        @ParameterizedTest
        @MethodSource("io.jtcp.tcp.SegmentArrivesTest#synchronizedFixtures")
        void resetInWindowButNotExactGetsChallengeAck(Fixture f) throws Exception {
            Transcript t = f.start();
            t.send(in().rst().seq(f.rcvNxt() + 100)).expect(out().seq(f.sndNxt()).ack(f.rcvNxt()).win(f.win()));
            t.assertState(State.valueOf(f.name()));
            assertThat(t.drops).containsExactly(DropReason.RST_IN_WINDOW);
        }

        @ParameterizedTest
        @MethodSource("io.jtcp.tcp.SegmentArrivesTest#synchronizedFixtures")
        void resetOutOfWindowIsSilentlyDropped(Fixture f) throws Exception {
            Transcript t = f.start();
            t.send(in().rst().seq(f.rcvNxt() + 100_000)).expectNothing().assertState(State.valueOf(f.name()));
            assertThat(t.drops).containsExactly(DropReason.RST_OUT_OF_WINDOW);
        }

        @ParameterizedTest
        @MethodSource("io.jtcp.tcp.SegmentArrivesTest#synchronizedFixtures")
        void synGetsChallengeAck(Fixture f) throws Exception {
            Transcript t = f.start();
            t.send(in().syn().seq(f.rcvNxt() + 10)).expect(out().seq(f.sndNxt()).ack(f.rcvNxt()).win(f.win()));
            t.assertState(State.valueOf(f.name()));
            assertThat(t.drops).containsExactly(DropReason.SYN_IN_SYNCHRONIZED_STATE);
        }

        @Test
        void ackOfUnsentDataIsAckedAndDropped() throws Exception {
            Transcript t = new Transcript().established();
            t.send(in().seq(PEER_ISS + 1).ack(ISS + 500).payload("abc")).expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
            assertThat(t.drops).containsExactly(DropReason.ACK_UNACCEPTABLE);
            assertThat(t.c.available()).isZero();
        }

        @Test
        void ackOlderThanMaxSndWndGetsChallengeAck() throws Exception {
            Transcript t = new Transcript().established();
            t.send(in().seq(PEER_ISS + 1).ack(ISS + 1 - PEER_WIN - 1).payload("abc"))
                    .expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
            assertThat(t.drops).containsExactly(DropReason.ACK_UNACCEPTABLE);
            assertThat(t.c.available()).isZero();
        }

        @Test
        void slightlyOldAckStillDeliversItsData() throws Exception {
            Transcript t = new Transcript().established();
            t.send(in().seq(PEER_ISS + 1).ack(ISS + 1 - 100).payload("abc")).expect(out().seq(ISS + 1).ack(PEER_ISS + 4).win(WIN - 3));
            assertThat(t.read()).isEqualTo("abc");
        }

        @Test
        void oldAckDoesNotUpdateTheSendWindow() throws Exception {
            // §3.10.7.4: the window is updated only "if SND.UNA =< SEG.ACK =< SND.NXT".
            Transcript t = new Transcript().established();
            t.write("abc").expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("abc"));
            t.send(in().seq(PEER_ISS + 1).ack(ISS + 4)).expectNothing();
            // Newer in sequence (SND.WL1 < SEG.SEQ) but older in acknowledgment: the window stays.
            t.send(in().seq(PEER_ISS + 2).ack(ISS + 1).win(0).payload("z")).expect(out().seq(ISS + 4).ack(PEER_ISS + 1));
            assertThat(t.c.status(t.now).sndWnd()).isEqualTo(PEER_WIN);
        }

        @Test
        void segmentWithoutAckIsDropped() throws Exception {
            Transcript t = new Transcript().established();
            t.send(in().seq(PEER_ISS + 1).payload("abc")).expectNothing();
            assertThat(t.drops).containsExactly(DropReason.NO_ACK);
            assertThat(t.c.available()).isZero();
        }

        @ParameterizedTest
        @MethodSource("io.jtcp.tcp.SegmentArrivesTest#afterPeerFin")
        void dataAfterThePeersFinIsIgnored(Fixture f) throws Exception {
            Transcript t = f.start();
            // ACK only our SYN: an ACK of our FIN would end CLOSING and LAST_ACK before the text step.
            t.send(in().seq(f.rcvNxt()).ack(ISS + 1).payload("late")).expectNothing();
            assertThat(t.drops).containsExactly(DropReason.DATA_AFTER_FIN);
            assertThat(t.c.status(t.now).rcvNxt()).isEqualTo(f.rcvNxt());
            assertThat(t.c.available()).isZero();
        }
    }

    static Stream<Arguments> exactResets() {
        return Stream.of(
                arguments(ESTABLISHED, Errno.ECONNRESET), arguments(FIN_WAIT_1, Errno.ECONNRESET),
                arguments(FIN_WAIT_2, Errno.ECONNRESET), arguments(CLOSE_WAIT, Errno.EPIPE),
                // RFC 9293 only deletes the TCB here; Linux's tcp_reset also records ECONNRESET, and so do we.
                arguments(CLOSING, Errno.ECONNRESET), arguments(LAST_ACK, Errno.ECONNRESET));
    }

    static Stream<Fixture> afterPeerFin() {
        return Stream.of(CLOSE_WAIT, CLOSING, LAST_ACK);
    }

    @Nested
    class Fin {
        @Test
        void establishedGoesToCloseWaitWithDelayedAck() throws Exception {
            Transcript t = new Transcript().established();
            t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("a")).expect(out().seq(ISS + 1).ack(PEER_ISS + 2).win(WIN - 1));
            t.read();
            // Linux's tcp_fin enters interactive mode: the ACK waits one ACK timeout for a reply to carry it.
            t.send(in().fin().seq(PEER_ISS + 2).ack(ISS + 1)).expectNothing().assertState(State.CLOSE_WAIT);
            assertThat(t.deadline()).isEqualTo(t.after(ms(40)));
            t.advance(ms(40)).expect(out().seq(ISS + 1).ack(PEER_ISS + 3).win(WIN - 2));
            assertThat(t.c.atEndOfStream()).isTrue();
        }

        @Test
        void bareFinBeforeAnyDataIsAckedOnTheNextTick() throws Exception {
            // No data yet, so no ACK timeout: Linux arms the delayed-ACK timer for now, and it fires on the next tick.
            Transcript t = new Transcript().established();
            t.send(in().fin().seq(PEER_ISS + 1).ack(ISS + 1)).expectNothing().assertState(State.CLOSE_WAIT);
            t.advance(ms(1)).expect(out().seq(ISS + 1).ack(PEER_ISS + 2).win(WIN_AFTER_FIN));
        }

        @Test
        void finWait1GoesToClosing() throws Exception {
            Transcript t = new Transcript().closing();
            assertThat(t.lastTransition()).isEqualTo("FIN_WAIT_1 -> CLOSING (SIMULTANEOUS_CLOSE)");
            t.send(in().seq(PEER_ISS + 2).ack(ISS + 2)).expectNothing().assertState(State.TIME_WAIT);
        }

        @Test
        void finWait1WithFinAndAckOfFinGoesStraightToTimeWait() throws Exception {
            Transcript t = new Transcript().finWait1();
            t.send(in().fin().seq(PEER_ISS + 1).ack(ISS + 2))
                    .expect(out().seq(ISS + 2).ack(PEER_ISS + 2).win(WIN_AFTER_FIN))
                    .assertState(State.TIME_WAIT);
            assertThat(t.lastTransition()).isEqualTo("FIN_WAIT_1 -> TIME_WAIT (FIN_WITH_ACK_OF_FIN)");
        }

        @Test
        void finWait2GoesToTimeWait() throws Exception {
            Transcript t = new Transcript().timeWait();
            assertThat(t.lastTransition()).isEqualTo("FIN_WAIT_2 -> TIME_WAIT (FIN_RECEIVED)");
            assertThat(t.deadline()).isEqualTo(t.after(ms(60_000)));
        }

        @Test
        void timeWaitReAcksRetransmittedFinAndRestarts2Msl() throws Exception {
            Transcript t = new Transcript().timeWait();
            t.advance(ms(10_000));
            t.send(in().fin().seq(PEER_ISS + 1).ack(ISS + 2)).expect(out().seq(ISS + 2).ack(PEER_ISS + 2).win(WIN_AFTER_FIN));
            assertThat(t.deadline()).isEqualTo(t.after(ms(60_000)));
            assertThat(t.lastTransition()).isEqualTo("TIME_WAIT -> TIME_WAIT (TIME_WAIT_FIN_REACKED)");
            t.advance(ms(59_999)).assertState(State.TIME_WAIT).advance(ms(1)).assertState(State.CLOSED);
        }

        @Test
        void closeWaitReAcksRetransmittedFin() throws Exception {
            Transcript t = new Transcript().closeWait();
            t.send(in().fin().seq(PEER_ISS + 1).ack(ISS + 1)).expect(out().seq(ISS + 1).ack(PEER_ISS + 2).win(WIN_AFTER_FIN));
            t.assertState(State.CLOSE_WAIT);
        }

        @Test
        void finBeyondAHoleWaitsForTheHole() throws Exception {
            Transcript t = new Transcript().established();
            t.send(in().fin().seq(PEER_ISS + 4).ack(ISS + 1).payload("def"))
                    .expect(out().seq(ISS + 1).ack(PEER_ISS + 1))
                    .assertState(State.ESTABLISHED);
            t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload("abc"))
                    .expect(out().seq(ISS + 1).ack(PEER_ISS + 8).win(WIN - 7))
                    .assertState(State.CLOSE_WAIT);
            assertThat(t.read()).isEqualTo("abcdef");
        }
    }

    @Nested
    class ZeroWindow {
        /** Established with a 1000-byte receive window (a 2000-byte buffer) that the peer has just filled. */
        Transcript full() throws Exception {
            Transcript t = withOptions(o -> o.rcvBuf = 2000);
            t.c.openActive(t.now);
            t.expect(out().syn().seq(ISS).mss(1460).win(1000));
            t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1).win(1000));
            t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).payload(new byte[1000]));
            t.advance(ms(40)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1001).win(0));
            return t;
        }

        @Test
        void onlyRcvNxtIsAcceptable() throws Exception {
            Transcript t = full();
            t.send(in().seq(PEER_ISS + 1002).ack(ISS + 1)).expect(out().seq(ISS + 1).ack(PEER_ISS + 1001).win(0));
            assertThat(t.drops).containsExactly(DropReason.OUT_OF_WINDOW);
            t.send(in().rst().seq(PEER_ISS + 1002)).expectNothing().assertState(State.ESTABLISHED);
            t.send(in().rst().seq(PEER_ISS + 1001)).expectNothing().assertState(State.CLOSED);
            assertThat(t.failures).containsExactly(Errno.ECONNRESET);
        }

        @Test
        void dataAtRcvNxtIsTrimmedAndAcked() throws Exception {
            Transcript t = full();
            t.send(in().seq(PEER_ISS + 1001).ack(ISS + 1).payload("more"))
                    .expect(out().seq(ISS + 1).ack(PEER_ISS + 1001).win(0));
            assertThat(t.c.available()).isEqualTo(1000);
        }
    }
}
