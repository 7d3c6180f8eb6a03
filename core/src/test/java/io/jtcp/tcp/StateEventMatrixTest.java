package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import io.jtcp.api.Errno;

import io.jtcp.wire.Seg;
import io.jtcp.wire.Segment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state x event matrix of DESIGN.md: every state fixture meets every event once,
 * and the row says what RFC 9293 §3.10 (with RFC 5961, and Linux where the RFC leaves
 * room) makes of it: the state after, what is sent, and the errno the user sees.
 *
 * <p>Segment events acknowledge our SYN but not our FIN (except ACK, which
 * acknowledges everything sent); SYN, ACK, RST and data sit at RCV.NXT; a FIN sits at
 * RCV.NXT, or is a retransmission once the peer's FIN is in. Replies are what goes out
 * within the 40 ms delayed-ACK time. TIMER fires the state's next deadline.
 */
class StateEventMatrixTest {

    enum Event { SYN, SYN_ACK, ACK, FIN, RST, DATA, OUT_OF_WINDOW, SEND, RECEIVE, CLOSE, ABORT, SHUTDOWN_WR, TIMER }

    enum Reply { NONE, ACK, RST, SYN, SYN_ACK, FIN, DATA }

    // state         event          state after   reply     errno
    static final String MATRIX = """
            CLOSED        SYN            =             RST
            CLOSED        SYN_ACK        =             RST
            CLOSED        ACK            =             RST
            CLOSED        FIN            =             RST
            CLOSED        RST            =             NONE
            CLOSED        DATA           =             RST
            CLOSED        OUT_OF_WINDOW  =             RST
            CLOSED        SEND           =             NONE      ENOTCONN
            CLOSED        RECEIVE        =             NONE      ENOTCONN
            CLOSED        CLOSE          =             NONE
            CLOSED        ABORT          =             NONE
            CLOSED        SHUTDOWN_WR    =             NONE      ENOTCONN
            CLOSED        TIMER          =             NONE

            LISTEN        SYN            SYN_RECEIVED  SYN_ACK
            LISTEN        SYN_ACK        =             RST
            LISTEN        ACK            =             RST
            LISTEN        FIN            =             RST
            LISTEN        RST            =             NONE
            LISTEN        DATA           =             RST
            LISTEN        OUT_OF_WINDOW  =             RST
            LISTEN        SEND           =             NONE      ENOTCONN
            LISTEN        RECEIVE        =             NONE
            LISTEN        CLOSE          CLOSED        NONE
            LISTEN        ABORT          CLOSED        NONE
            LISTEN        SHUTDOWN_WR    =             NONE      ENOTCONN
            LISTEN        TIMER          =             NONE

            SYN_SENT      SYN            SYN_RECEIVED  SYN_ACK
            SYN_SENT      SYN_ACK        ESTABLISHED   ACK
            SYN_SENT      ACK            =             NONE
            SYN_SENT      FIN            =             NONE
            SYN_SENT      RST            =             NONE
            SYN_SENT      DATA           =             NONE
            SYN_SENT      OUT_OF_WINDOW  =             NONE
            SYN_SENT      SEND           =             NONE
            SYN_SENT      RECEIVE        =             NONE
            SYN_SENT      CLOSE          CLOSED        NONE
            SYN_SENT      ABORT          CLOSED        NONE
            SYN_SENT      SHUTDOWN_WR    CLOSED        NONE
            SYN_SENT      TIMER          =             SYN

            SYN_RECEIVED  SYN            LISTEN        NONE
            SYN_RECEIVED  SYN_ACK        =             ACK
            SYN_RECEIVED  ACK            ESTABLISHED   NONE
            SYN_RECEIVED  FIN            CLOSE_WAIT    ACK
            SYN_RECEIVED  RST            LISTEN        NONE
            SYN_RECEIVED  DATA           ESTABLISHED   ACK
            SYN_RECEIVED  OUT_OF_WINDOW  =             ACK
            SYN_RECEIVED  SEND           =             NONE
            SYN_RECEIVED  RECEIVE        =             NONE
            SYN_RECEIVED  CLOSE          FIN_WAIT_1    FIN
            SYN_RECEIVED  ABORT          CLOSED        RST
            SYN_RECEIVED  SHUTDOWN_WR    FIN_WAIT_1    FIN
            SYN_RECEIVED  TIMER          =             SYN_ACK

            ESTABLISHED   SYN            =             ACK
            ESTABLISHED   SYN_ACK        =             ACK
            ESTABLISHED   ACK            =             NONE
            ESTABLISHED   FIN            CLOSE_WAIT    ACK
            ESTABLISHED   RST            CLOSED        NONE      ECONNRESET
            ESTABLISHED   DATA           =             ACK
            ESTABLISHED   OUT_OF_WINDOW  =             ACK
            ESTABLISHED   SEND           =             DATA
            ESTABLISHED   RECEIVE        =             NONE
            ESTABLISHED   CLOSE          FIN_WAIT_1    FIN
            ESTABLISHED   ABORT          CLOSED        RST
            ESTABLISHED   SHUTDOWN_WR    FIN_WAIT_1    FIN
            ESTABLISHED   TIMER          =             NONE

            FIN_WAIT_1    SYN            =             ACK
            FIN_WAIT_1    SYN_ACK        =             ACK
            FIN_WAIT_1    ACK            FIN_WAIT_2    NONE
            FIN_WAIT_1    FIN            CLOSING       ACK
            FIN_WAIT_1    RST            CLOSED        NONE      ECONNRESET
            FIN_WAIT_1    DATA           CLOSED        RST       ECONNRESET
            FIN_WAIT_1    OUT_OF_WINDOW  =             ACK
            FIN_WAIT_1    SEND           =             NONE      EPIPE
            FIN_WAIT_1    RECEIVE        =             NONE
            FIN_WAIT_1    CLOSE          =             NONE
            FIN_WAIT_1    ABORT          CLOSED        RST
            FIN_WAIT_1    SHUTDOWN_WR    =             NONE
            FIN_WAIT_1    TIMER          =             FIN

            FIN_WAIT_2    SYN            =             ACK
            FIN_WAIT_2    SYN_ACK        =             ACK
            FIN_WAIT_2    ACK            =             NONE
            FIN_WAIT_2    FIN            TIME_WAIT     ACK
            FIN_WAIT_2    RST            CLOSED        NONE      ECONNRESET
            FIN_WAIT_2    DATA           CLOSED        RST       ECONNRESET
            FIN_WAIT_2    OUT_OF_WINDOW  =             ACK
            FIN_WAIT_2    SEND           =             NONE      EPIPE
            FIN_WAIT_2    RECEIVE        =             NONE
            FIN_WAIT_2    CLOSE          =             NONE
            FIN_WAIT_2    ABORT          CLOSED        RST
            FIN_WAIT_2    SHUTDOWN_WR    =             NONE
            FIN_WAIT_2    TIMER          CLOSED        NONE

            CLOSE_WAIT    SYN            =             ACK
            CLOSE_WAIT    SYN_ACK        =             ACK
            CLOSE_WAIT    ACK            =             NONE
            CLOSE_WAIT    FIN            =             ACK
            CLOSE_WAIT    RST            CLOSED        NONE      EPIPE
            CLOSE_WAIT    DATA           =             NONE
            CLOSE_WAIT    OUT_OF_WINDOW  =             ACK
            CLOSE_WAIT    SEND           =             DATA
            CLOSE_WAIT    RECEIVE        =             NONE
            CLOSE_WAIT    CLOSE          LAST_ACK      FIN
            CLOSE_WAIT    ABORT          CLOSED        RST
            CLOSE_WAIT    SHUTDOWN_WR    LAST_ACK      FIN
            CLOSE_WAIT    TIMER          =             NONE

            CLOSING       SYN            =             ACK
            CLOSING       SYN_ACK        =             ACK
            CLOSING       ACK            TIME_WAIT     NONE
            CLOSING       FIN            =             ACK
            CLOSING       RST            CLOSED        NONE      ECONNRESET
            CLOSING       DATA           =             NONE
            CLOSING       OUT_OF_WINDOW  =             ACK
            CLOSING       SEND           =             NONE      EPIPE
            CLOSING       RECEIVE        =             NONE
            CLOSING       CLOSE          =             NONE
            CLOSING       ABORT          CLOSED        NONE
            CLOSING       SHUTDOWN_WR    =             NONE
            CLOSING       TIMER          =             FIN

            LAST_ACK      SYN            =             ACK
            LAST_ACK      SYN_ACK        =             ACK
            LAST_ACK      ACK            CLOSED        NONE
            LAST_ACK      FIN            =             ACK
            LAST_ACK      RST            CLOSED        NONE      ECONNRESET
            LAST_ACK      DATA           =             NONE
            LAST_ACK      OUT_OF_WINDOW  =             ACK
            LAST_ACK      SEND           =             NONE      EPIPE
            LAST_ACK      RECEIVE        =             NONE
            LAST_ACK      CLOSE          =             NONE
            LAST_ACK      ABORT          CLOSED        NONE
            LAST_ACK      SHUTDOWN_WR    =             NONE
            LAST_ACK      TIMER          =             FIN

            TIME_WAIT     SYN            =             ACK
            TIME_WAIT     SYN_ACK        =             ACK
            TIME_WAIT     ACK            =             NONE
            TIME_WAIT     FIN            =             ACK
            TIME_WAIT     RST            CLOSED        NONE
            TIME_WAIT     DATA           =             ACK
            TIME_WAIT     OUT_OF_WINDOW  =             ACK
            TIME_WAIT     SEND           =             NONE      EPIPE
            TIME_WAIT     RECEIVE        =             NONE
            TIME_WAIT     CLOSE          =             NONE
            TIME_WAIT     ABORT          CLOSED        NONE
            TIME_WAIT     SHUTDOWN_WR    =             NONE
            TIME_WAIT     TIMER          CLOSED        NONE
            """;

    record Row(State state, Event event, State after, Reply reply, Errno errno) {
        @Override public String toString() {
            return state + " + " + event + " -> " + after + " " + reply + (errno == null ? "" : " " + errno);
        }
    }

    static Stream<Row> rows() {
        return MATRIX.lines().map(String::trim).filter(l -> !l.isEmpty()).map(l -> {
            String[] f = l.split("\\s+");
            State state = State.valueOf(f[0]);
            return new Row(state, Event.valueOf(f[1]), f[2].equals("=") ? state : State.valueOf(f[2]),
                    Reply.valueOf(f[3]), f.length > 4 ? Errno.valueOf(f[4]) : null);
        });
    }

    /** The sequence numbers a fixture leaves: RCV.NXT, an ACK of our SYN but not our FIN, and SND.NXT. */
    record Numbers(int rcvNxt, int ack, int sndNxt) {}

    static final Map<State, Numbers> NUMBERS = Map.ofEntries(
            Map.entry(State.CLOSED, new Numbers(PEER_ISS, ISS + 1, ISS + 1)),
            Map.entry(State.LISTEN, new Numbers(PEER_ISS, ISS + 1, ISS + 1)),
            Map.entry(State.SYN_SENT, new Numbers(PEER_ISS, ISS + 1, ISS + 1)),
            Map.entry(State.SYN_RECEIVED, new Numbers(PEER_ISS + 1, ISS + 1, ISS + 1)),
            Map.entry(State.ESTABLISHED, new Numbers(PEER_ISS + 1, ISS + 1, ISS + 1)),
            Map.entry(State.FIN_WAIT_1, new Numbers(PEER_ISS + 1, ISS + 1, ISS + 2)),
            Map.entry(State.FIN_WAIT_2, new Numbers(PEER_ISS + 1, ISS + 2, ISS + 2)),
            Map.entry(State.CLOSE_WAIT, new Numbers(PEER_ISS + 2, ISS + 1, ISS + 1)),
            Map.entry(State.CLOSING, new Numbers(PEER_ISS + 2, ISS + 1, ISS + 2)),
            Map.entry(State.LAST_ACK, new Numbers(PEER_ISS + 2, ISS + 1, ISS + 2)),
            Map.entry(State.TIME_WAIT, new Numbers(PEER_ISS + 2, ISS + 2, ISS + 2)));

    static Transcript fixture(State s) throws ErrnoException {
        Transcript t = new Transcript();
        return switch (s) {
            case CLOSED -> t;
            case LISTEN -> t.listening();
            case SYN_SENT -> t.synSent();
            case SYN_RECEIVED -> t.synReceived();
            case ESTABLISHED -> t.established();
            case FIN_WAIT_1 -> t.finWait1();
            case FIN_WAIT_2 -> t.finWait2();
            case CLOSE_WAIT -> t.closeWait();
            case CLOSING -> t.closing();
            case LAST_ACK -> t.lastAck();
            case TIME_WAIT -> t.timeWait();
        };
    }

    static Seg segmentFor(Event e, State s, Numbers n) {
        boolean peerFinIn = s == State.CLOSE_WAIT || s == State.CLOSING || s == State.LAST_ACK || s == State.TIME_WAIT;
        return switch (e) {
            case SYN -> in().syn().seq(s.isSynchronized() || s == State.SYN_RECEIVED ? n.rcvNxt() : PEER_ISS).mss(1460);
            case SYN_ACK -> in().syn().seq(PEER_ISS).ack(n.ack()).mss(1460);
            case ACK -> in().seq(n.rcvNxt()).ack(n.sndNxt());
            case FIN -> in().fin().seq(peerFinIn ? PEER_ISS + 1 : n.rcvNxt()).ack(n.ack());
            case RST -> in().rst().seq(n.rcvNxt());
            case DATA -> in().seq(n.rcvNxt()).ack(n.ack()).payload("abc");
            case OUT_OF_WINDOW -> in().seq(n.rcvNxt() + 100_000).ack(n.ack()).payload("abc");
            default -> null;
        };
    }

    static Reply kind(Segment s) {
        if (s.rst()) return Reply.RST;
        if (s.syn()) return s.ackFlag() ? Reply.SYN_ACK : Reply.SYN;
        if (s.fin()) return Reply.FIN;
        if (s.payloadLength > 0) return Reply.DATA;
        return Reply.ACK;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void matrix(Row row) throws Exception {
        Transcript t = fixture(row.state());
        Numbers n = NUMBERS.get(row.state());
        assertThat(t.drain()).as("fixture leaves nothing unexpected").isEmpty();
        Errno thrown = null;
        Seg seg = segmentFor(row.event(), row.state(), n);
        if (seg != null) {
            t.send(seg).advance(ms(40));
        } else {
            thrown = switch (row.event()) {
                case SEND -> errnoOf(() -> t.c.send(bytes("x"), 0, 1, t.now));
                case RECEIVE -> errnoOf(() -> t.c.receive(new byte[8], 0, 8, t.now));
                case CLOSE -> errnoOf(t::close);
                case ABORT -> errnoOf(t::abort);
                case SHUTDOWN_WR -> errnoOf(t::shutdownOutput);
                case TIMER -> {
                    long d = t.deadline();
                    t.advance(d == Long.MAX_VALUE ? Duration.ofHours(1) : Duration.ofNanos(d - t.now));
                    yield null;
                }
                default -> throw new AssertionError(row.event());
            };
        }
        List<Reply> replies = new ArrayList<>(t.drain().stream().map(StateEventMatrixTest::kind).toList());
        if (replies.isEmpty()) replies.add(Reply.NONE);
        assertThat(replies).as("replies").isEqualTo(List.of(row.reply()));
        assertThat(t.c.state()).as("state after").isEqualTo(row.after());
        Errno seen = thrown != null ? thrown : t.failures.isEmpty() ? null : t.failures.getLast();
        assertThat(seen).as("errno").isEqualTo(row.errno());
        if (row.after() == State.CLOSED) assertThat(t.deadline()).as("no timers when CLOSED").isEqualTo(Long.MAX_VALUE);
    }

    @org.junit.jupiter.api.Test
    void everyStateMeetsEveryEventOnce() {
        List<Row> all = rows().toList();
        assertThat(all).hasSize(State.values().length * Event.values().length);
        for (State s : State.values()) {
            assertThat(all.stream().filter(r -> r.state() == s).map(Row::event))
                    .as(s.name()).containsExactlyInAnyOrder(Event.values());
        }
        assertThat(Arrays.asList(State.values())).hasSize(11);
    }
}
