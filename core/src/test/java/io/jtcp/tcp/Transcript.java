package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import io.jtcp.api.Errno;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Seg;
import io.jtcp.wire.Segment;
import io.jtcp.wire.SegmentAssert;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection under test, driven one segment at a time so a test reads like a
 * packet trace: {@code send(in().syn().seq(5000))}, {@code expect(out().syn().ack(5001)...)},
 * {@code advance(ms(40))}. The local end is 10.0.0.1:49152 with ISS 1000, the peer
 * 10.0.0.2:80 with ISS 5000; the clock starts at 0 and moves only by {@link #advance}.
 *
 * <p>The default sysctls switch timestamps, SACK and window scaling off so the
 * transcripts stay short; {@link #withSysctls} brings them back for option tests.
 */
final class Transcript {
    static final String LOCAL = "10.0.0.1", REMOTE = "10.0.0.2";
    static final int LOCAL_PORT = 49152, REMOTE_PORT = 80;
    static final int ISS = 1000, PEER_ISS = 5000;
    /**
     * The window we advertise with the default buffer (tcp_rmem[1] = 128 KiB, half of it
     * window) and no scaling: 44 segments of 1460, as a Linux 6.x SYN shows it.
     */
    static final int WIN = 64240;
    /**
     * The window once the peer's FIN has taken one sequence number: the right edge stays
     * put until it could move by the receiver-side SWS threshold (RFC 9293 §3.8.6.2.2).
     */
    static final int WIN_AFTER_FIN = WIN - 1;
    static final int PEER_WIN = 64240;

    static Sysctls plain() {
        return Sysctls.linux().set("tcp_timestamps", "0").set("tcp_sack", "0").set("tcp_window_scaling", "0");
    }

    final Connection c;
    final Deque<Segment> sent = new ArrayDeque<>();
    final List<String> transitions = new ArrayList<>();
    final List<DropReason> drops = new ArrayList<>();
    final List<Errno> failures = new ArrayList<>();
    final List<RecoveryEvent> recoveryEvents = new ArrayList<>();
    long now;

    Transcript() { this(plain(), null); }

    private Transcript(Sysctls cfg, SocketOptions opts) { this(cfg, opts, ISS); }

    private Transcript(Sysctls cfg, SocketOptions opts, int iss) {
        SocketOptions o = opts != null ? opts : new SocketOptions(cfg);
        FourTuple tuple = new FourTuple(IpAddress.parse(LOCAL), LOCAL_PORT, IpAddress.parse(REMOTE), REMOTE_PORT);
        c = new Connection(cfg, o, tuple, iss, 0, seg -> sent.add(seg.copy()), new ConnectionEvents() {
            @Override public void transition(Connection conn, State from, State to, Cause cause) {
                transitions.add(from + " -> " + to + " (" + cause.name() + ")");
            }
            @Override public void dropped(Connection conn, Segment segment, DropReason reason) { drops.add(reason); }
            @Override public void failed(Connection conn, Errno errno) { failures.add(errno); }
            @Override public void recovery(Connection conn, RecoveryEvent e) { recoveryEvents.add(e); }
        });
    }

    static Transcript withSysctls(Sysctls cfg) { return new Transcript(cfg, null); }

    /** A connection with another ISS (e.g. near the 2^32 wrap); the state fixtures assume {@link #ISS}. */
    static Transcript withIss(Sysctls cfg, int iss) { return new Transcript(cfg, null, iss); }

    static Transcript withOptions(java.util.function.Consumer<SocketOptions> change) {
        return with(plain(), change);
    }

    static Transcript with(Sysctls cfg, java.util.function.Consumer<SocketOptions> change) {
        SocketOptions o = new SocketOptions(cfg);
        change.accept(o);
        return new Transcript(cfg, o);
    }

    /** A segment from the peer to us. */
    static Seg in() { return Seg.seg().from(REMOTE, REMOTE_PORT).to(LOCAL, LOCAL_PORT).win(PEER_WIN); }

    /** A segment from us to the peer, with our usual window. */
    static Seg out() { return Seg.seg().from(LOCAL, LOCAL_PORT).to(REMOTE, REMOTE_PORT).win(WIN); }

    /** A segment from us with no window: how resets are sent. */
    static Seg outRst() { return Seg.seg().from(LOCAL, LOCAL_PORT).to(REMOTE, REMOTE_PORT).rst(); }

    static Duration ms(long n) { return Duration.ofMillis(n); }

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    Transcript send(Seg s) {
        c.segmentArrives(s.build(), now);
        return this;
    }

    Transcript expect(Seg s) {
        assertThat(sent).as("a segment should have been sent: " + s.build()).isNotEmpty();
        SegmentAssert.assertSameSegment(sent.poll(), s.build());
        return this;
    }

    Transcript expectNothing() {
        assertThat(sent).as("no segment should have been sent").isEmpty();
        return this;
    }

    /** Every segment sent and not yet expected, oldest first; they count as expected. */
    List<Segment> drain() {
        List<Segment> all = new ArrayList<>(sent);
        sent.clear();
        return all;
    }

    /** The connection's earliest timer deadline, {@link Long#MAX_VALUE} when none runs. */
    long deadline() { return c.nextDeadline(); }

    /** The current time plus {@code d}, as a deadline. */
    long after(Duration d) { return now + d.toNanos(); }

    Transcript close() { c.close(now); return this; }

    Transcript abort() { c.abort(now); return this; }

    Transcript shutdownOutput() throws ErrnoException { c.shutdownOutput(now); return this; }

    interface UserCall { void run() throws ErrnoException; }

    /** The errno a user call fails with, or null if it succeeds. */
    static Errno errnoOf(UserCall call) {
        try {
            call.run();
            return null;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    /** Moves the clock forward, firing each timer at its own deadline on the way. */
    Transcript advance(Duration d) {
        long target = now + d.toNanos();
        while (c.nextDeadline() <= target) {
            now = Math.max(now, c.nextDeadline());
            c.onTimer(now);
        }
        now = target;
        return this;
    }

    Transcript assertState(State s) {
        assertThat(c.state()).isEqualTo(s);
        return this;
    }

    Transcript write(String text) throws ErrnoException {
        byte[] b = bytes(text);
        assertThat(c.send(b, 0, b.length, now)).isEqualTo(b.length);
        return this;
    }

    String read() throws ErrnoException {
        byte[] b = new byte[65536];
        int n = c.receive(b, 0, b.length, now);
        return n <= 0 ? "" : new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    String lastTransition() { return transitions.getLast(); }

    // ---- fixtures: honest exchanges that leave the connection in each state ----

    Transcript synSent() throws ErrnoException {
        c.openActive(now);
        expect(out().syn().seq(ISS).mss(1460));
        return assertState(State.SYN_SENT);
    }

    Transcript listening() throws ErrnoException {
        c.openPassive(now);
        return assertState(State.LISTEN);
    }

    Transcript synReceived() throws ErrnoException {
        listening();
        send(in().syn().seq(PEER_ISS).mss(1460));
        expect(out().syn().seq(ISS).ack(PEER_ISS + 1).mss(1460));
        return assertState(State.SYN_RECEIVED);
    }

    Transcript established() throws ErrnoException {
        synSent();
        send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460));
        expect(out().seq(ISS + 1).ack(PEER_ISS + 1));
        return assertState(State.ESTABLISHED);
    }

    Transcript finWait1() throws ErrnoException {
        established();
        c.close(now);
        expect(out().fin().seq(ISS + 1).ack(PEER_ISS + 1));
        return assertState(State.FIN_WAIT_1);
    }

    Transcript finWait2() throws ErrnoException {
        finWait1();
        send(in().seq(PEER_ISS + 1).ack(ISS + 2));
        expectNothing();
        return assertState(State.FIN_WAIT_2);
    }

    Transcript closing() throws ErrnoException {
        finWait1();
        send(in().fin().seq(PEER_ISS + 1).ack(ISS + 1));
        expect(out().seq(ISS + 2).ack(PEER_ISS + 2).win(WIN_AFTER_FIN));
        return assertState(State.CLOSING);
    }

    Transcript timeWait() throws ErrnoException {
        finWait2();
        send(in().fin().seq(PEER_ISS + 1).ack(ISS + 2));
        expect(out().seq(ISS + 2).ack(PEER_ISS + 2).win(WIN_AFTER_FIN));
        return assertState(State.TIME_WAIT);
    }

    Transcript closeWait() throws ErrnoException {
        established();
        send(in().fin().seq(PEER_ISS + 1).ack(ISS + 1));
        assertState(State.CLOSE_WAIT);
        advance(ms(40));
        expect(out().seq(ISS + 1).ack(PEER_ISS + 2).win(WIN_AFTER_FIN));
        return this;
    }

    Transcript lastAck() throws ErrnoException {
        closeWait();
        c.close(now);
        expect(out().fin().seq(ISS + 1).ack(PEER_ISS + 2).win(WIN_AFTER_FIN));
        return assertState(State.LAST_ACK);
    }
}
