package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.Seg;
import io.jtcp.wire.Segment;
import io.jtcp.wire.Seq;
import io.jtcp.wire.TcpFlags;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input from every state: random segments (any flags, sequence and
 * acknowledgment numbers near the windows, far from them and across the 2^32 wrap,
 * absurd options) interleaved with random user calls and clock jumps. The engine
 * must never throw, and the TCB's invariants must hold after every step.
 */
class ConnectionPropertiesTest {

    enum Start {
        CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK,
        TIME_WAIT,
        /** Every option on, both ISNs just below 2^32: the handshake and the data cross the wrap. */
        ESTABLISHED_AT_WRAP,
        /** Every option on, listening for whatever SYN the steps bring. */
        LISTEN_WITH_OPTIONS
    }

    sealed interface Step {}

    /** A segment from the peer; numbers are offsets from our current RCV.NXT, SND.MAX and TS.Recent. */
    record Arrive(int flags, int seqOff, int ackOff, int len, int window, int urgent,
                  int mss, int wscale, boolean ts, int tsOff, int tsEcr, int sacks) implements Step {}

    enum Call { SEND, RECEIVE, CLOSE, ABORT, SHUTDOWN_WR, SHUTDOWN_RD, OPEN_ACTIVE, OPEN_PASSIVE }

    record UserCall(Call call, int size) implements Step {}

    record Advance(long millis) implements Step {}

    @Property(tries = 500)
    void neverThrowsAndKeepsItsInvariants(@ForAll Start start, @ForAll("steps") List<Step> steps) throws Exception {
        Transcript t = fixture(start);
        Invariants inv = new Invariants(t.c);
        for (Step step : steps) {
            apply(t, step);
            inv.checkSent(t.drain());
            inv.check();
        }
    }

    // ---- the steps ----

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(6, arrivals()),
                Tuple.of(2, userCalls()),
                Tuple.of(2, advances()));
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    static Arbitrary<Integer> offsets() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(-3, 3)),
                Tuple.of(4, Arbitraries.integers().between(-70_000, 70_000)),
                Tuple.of(2, Arbitraries.integers()));
    }

    static Arbitrary<Step> arrivals() {
        Arbitrary<Integer> flags = Arbitraries.oneOf(
                Arbitraries.of(TcpFlags.ACK, TcpFlags.ACK | TcpFlags.PSH, TcpFlags.ACK | TcpFlags.FIN,
                        TcpFlags.SYN, TcpFlags.SYN | TcpFlags.ACK, TcpFlags.RST, TcpFlags.RST | TcpFlags.ACK),
                Arbitraries.integers().between(0, 0x3F));
        Arbitrary<Integer> len = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(0)),
                Tuple.of(4, Arbitraries.integers().between(1, 100)),
                Tuple.of(1, Arbitraries.integers().between(101, 3000)));
        Arbitrary<Integer> window = Arbitraries.oneOf(Arbitraries.of(0, 1, 65535), Arbitraries.integers().between(0, 65535));
        Arbitrary<Integer> mss = Arbitraries.of(-1, -1, 0, 1, 88, 536, 1460, 65535);
        Arbitrary<Integer> wscale = Arbitraries.of(-1, -1, 0, 7, 14, 200);
        var head = Combinators.combine(flags, offsets(), offsets(), len, window, Arbitraries.integers().between(0, 65535))
                .as((f, s, a, l, w, u) -> new int[] {f, s, a, l, w, u});
        var opts = Combinators.combine(mss, wscale, Arbitraries.of(true, false), offsets(), Arbitraries.integers(),
                Arbitraries.integers().between(0, 4))
                .as((m, ws, ts, tsOff, ecr, sacks) -> new Object[] {m, ws, ts, tsOff, ecr, sacks});
        return Combinators.combine(head, opts).as((h, o) -> new Arrive(h[0], h[1], h[2], h[3], h[4], h[5],
                (int) o[0], (int) o[1], (boolean) o[2], (int) o[3], (int) o[4], (int) o[5]));
    }

    static Arbitrary<Step> userCalls() {
        return Combinators.combine(Arbitraries.of(Call.class), Arbitraries.integers().between(0, 5000))
                .as(UserCall::new);
    }

    static Arbitrary<Step> advances() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 300)),
                Tuple.of(2, Arbitraries.longs().between(300, 5_000)),
                Tuple.of(1, Arbitraries.longs().between(5_000, 300_000)))
                .map(Advance::new);
    }

    // ---- running them ----

    static Transcript fixture(Start s) throws ErrnoException {
        return switch (s) {
            case CLOSED -> new Transcript();
            case LISTEN -> new Transcript().listening();
            case SYN_SENT -> new Transcript().synSent();
            case SYN_RECEIVED -> new Transcript().synReceived();
            case ESTABLISHED -> new Transcript().established();
            case FIN_WAIT_1 -> new Transcript().finWait1();
            case FIN_WAIT_2 -> new Transcript().finWait2();
            case CLOSE_WAIT -> new Transcript().closeWait();
            case CLOSING -> new Transcript().closing();
            case LAST_ACK -> new Transcript().lastAck();
            case TIME_WAIT -> new Transcript().timeWait();
            case LISTEN_WITH_OPTIONS -> withIss(Sysctls.linux(), 0xFFFFFFF0).listening();
            case ESTABLISHED_AT_WRAP -> {
                Transcript t = withIss(Sysctls.linux(), 0xFFFFFFF0);
                t.c.openActive(t.now);
                t.send(in().syn().seq(0xFFFFFFFEL).ack(0xFFFFFFF1L).mss(1460).wscale(7).sackOk().ts(100, 0));
                t.drain();
                yield t.assertState(State.ESTABLISHED);
            }
        };
    }

    static void apply(Transcript t, Step step) {
        Connection c = t.c;
        switch (step) {
            case Arrive a -> {
                Seg s = in().flags(a.flags()).seq(c.rcvNxt + a.seqOff()).win(a.window());
                Segment seg = s.build();
                seg.ack = c.sndMax + a.ackOff();
                if ((a.flags() & TcpFlags.URG) != 0) seg.urgent = a.urgent();
                if (a.mss() >= 0) s.mss(a.mss());
                if (a.wscale() >= 0) s.wscale(a.wscale());
                if (a.ts()) s.ts(c.tsRecent + a.tsOff(), a.tsEcr());
                for (int i = 0; i < a.sacks(); i++) s.sack(c.sndUna + 100 * i + a.ackOff(), c.sndUna + 100 * i + 50);
                byte[] data = new byte[a.len()];
                for (int i = 0; i < data.length; i++) data[i] = (byte) i;
                s.payload(data);
                c.segmentArrives(seg, t.now);
            }
            case UserCall u -> {
                try {
                    switch (u.call()) {
                        case SEND -> c.send(new byte[u.size()], 0, u.size(), t.now);
                        case RECEIVE -> c.receive(new byte[u.size() + 1], 0, u.size() + 1, t.now);
                        case CLOSE -> c.close(t.now);
                        case ABORT -> c.abort(t.now);
                        case SHUTDOWN_WR -> c.shutdownOutput(t.now);
                        case SHUTDOWN_RD -> c.shutdownInput(t.now);
                        case OPEN_ACTIVE -> c.openActive(t.now);
                        case OPEN_PASSIVE -> c.openPassive(t.now);
                    }
                } catch (ErrnoException expected) {
                    // misuse is reported, never thrown as anything else
                }
            }
            case Advance adv -> {
                long target = t.now + adv.millis() * 1_000_000L;
                for (int fired = 0; c.nextDeadline() <= target; fired++) {
                    assertThat(fired).as("timers keep firing without progress at " + c.nextDeadline()).isLessThan(10_000);
                    t.now = Math.max(t.now, c.nextDeadline());
                    c.onTimer(t.now);
                }
                t.now = target;
            }
        }
    }

    /** What must hold after every step, whatever came before. */
    static final class Invariants {
        final Connection c;
        State state;
        int rcvNxt;
        boolean finConsumed;
        int readable;

        Invariants(Connection c) {
            this.c = c;
            remember();
        }

        /**
         * No new data goes past the peer's right edge, SND.UNA + SND.WND as last taken from
         * its ACKs (RFC 9293 §3.8.6.1); only the oldest unacknowledged byte may be resent
         * beyond it, as Linux's tcp_retransmit_skb allows.
         */
        void checkSent(List<Segment> sent) {
            int rightEdge = c.sndUna + (int) Math.min(c.sndWnd, Integer.MAX_VALUE);
            for (Segment s : sent) {
                if (s.payloadLength == 0 || s.seq == c.sndUna) continue;
                assertThat(Seq.leq(s.seq + s.payloadLength, rightEdge))
                        .as("data %d+%d within SND.UNA %d + SND.WND %d in %s", Integer.toUnsignedLong(s.seq),
                                s.payloadLength, Integer.toUnsignedLong(c.sndUna), c.sndWnd, c.state)
                        .isTrue();
            }
        }

        void check() {
            assertThat(Seq.leq(c.sndUna, c.sndNxt)).as("SND.UNA <= SND.NXT in " + c.state).isTrue();
            assertThat(Seq.leq(c.sndNxt, c.sndMax)).as("SND.NXT <= SND.MAX in " + c.state).isTrue();
            if (c.state == State.CLOSED || c.state == State.LISTEN) {
                assertThat(c.nextDeadline()).as("no timers in " + c.state).isEqualTo(Long.MAX_VALUE);
            }
            boolean sameIncarnation = receivesData(state) && receivesData(c.state);
            if (sameIncarnation) {
                assertThat(Seq.geq(c.rcvNxt, rcvNxt)).as("RCV.NXT never moves back in " + c.state).isTrue();
                if (finConsumed) {
                    assertThat(c.rcvNxt).as("nothing is accepted past the peer's FIN").isEqualTo(rcvNxt);
                    assertThat(c.recvBuf.readable()).as("no data delivered past the peer's FIN").isLessThanOrEqualTo(readable);
                }
            }
            if (state == State.TIME_WAIT && c.state == State.TIME_WAIT) {
                assertThat(c.rcvNxt).as("TIME_WAIT accepts no data").isEqualTo(rcvNxt);
                assertThat(c.recvBuf.readable()).as("TIME_WAIT delivers no data").isLessThanOrEqualTo(readable);
            }
            if (c.peerFinSeen && Seq.gt(c.rcvNxt, c.peerFinSeq)) {
                assertThat(c.rcvNxt).as("RCV.NXT stops just past the FIN").isEqualTo(c.peerFinSeq + 1);
            }
            remember();
        }

        private void remember() {
            boolean same = receivesData(state) && receivesData(c.state);
            finConsumed = (same && finConsumed) || (c.peerFinSeen && c.rcvNxt == c.peerFinSeq + 1);
            state = c.state;
            rcvNxt = c.rcvNxt;
            readable = c.recvBuf.readable();
        }

        /** States of one incarnation that know RCV.NXT; leaving them (to CLOSED or LISTEN) ends the incarnation. */
        private static boolean receivesData(State s) {
            return s != State.CLOSED && s != State.LISTEN && s != State.SYN_SENT;
        }
    }
}
