package io.jtcp.tcp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.time.Duration;

/**
 * One connection, sans-IO, started in any of the eleven states (the fixtures of
 * StateEventMatrixTest, or a fresh connection with Linux's options on) and then fed an
 * arbitrary mix of peer segments, user calls, ICMP news and timer firings. After every step
 * {@link EngineInvariants} must hold; the stream the user reads must be the peer's bytes in
 * order, once each, and nothing after end of stream.
 *
 * <p>The peer's byte at sequence number {@code s} is always {@link #peerByte}(s), whatever
 * segment carries it: a segment's content says nothing the engine could act on, so tying it
 * to the position lets every read be checked without keeping a model of the stream.
 */
class ConnectionFuzzTest {
    private static final int STEPS = 64;

    static byte peerByte(int seq) {
        return (byte) ((seq * 0x9E3779B1) >>> 24);
    }

    @FuzzTest
    void anyStateAnyInput(FuzzedDataProvider data) throws ErrnoException {
        Transcript t = start(data);
        Connection c = t.c;
        EngineInvariants check = new EngineInvariants(c);
        check.after("start");
        for (int step = 0; step < STEPS && data.remainingBytes() > 0; step++) {
            String what = step(data, t, check);
            check.after(what);
        }
    }

    private static Transcript start(FuzzedDataProvider data) throws ErrnoException {
        if (data.consumeBoolean()) return StateEventMatrixTest.fixture(data.pickValue(State.values()));
        // Timestamps, SACK and window scaling on, as Linux has them; the handshake is the fuzzer's to drive.
        Transcript t = Transcript.withSysctls(Sysctls.linux().set("tcp_ecn", String.valueOf(data.consumeInt(0, 2))));
        if (data.consumeBoolean()) t.c.openActive(t.now);
        else t.c.openPassive(t.now);
        t.drain();
        return t;
    }

    private static String step(FuzzedDataProvider data, Transcript t, EngineInvariants check) {
        Connection c = t.c;
        int op = data.consumeInt(0, 11);
        try {
            switch (op) {
                case 0, 1, 2, 3 -> {
                    Segment s = segment(data, t);
                    check.beforeSegment();
                    c.segmentArrives(s, t.now);
                    t.drain();
                    return "segment " + s;
                }
                case 4 -> {
                    byte[] b = new byte[data.consumeInt(0, 4000)];
                    c.send(b, 0, b.length, data.consumeBoolean(), t.now);
                    return "send " + b.length;
                }
                case 5 -> {
                    byte[] b = new byte[data.consumeInt(1, 5000)];
                    boolean peek = data.consumeBoolean();
                    int n = c.receive(b, 0, b.length, peek, t.now);
                    check.read(b, n, peek);
                    return "receive " + n;
                }
                case 6 -> {
                    long d = data.consumeBoolean() ? c.nextDeadline() - t.now : data.consumeLong(0, Duration.ofSeconds(200).toNanos());
                    t.advance(Duration.ofNanos(Math.max(0, Math.min(d, Duration.ofHours(3).toNanos()))));
                    t.drain();
                    return "advance";
                }
                case 7 -> {
                    switch (data.consumeInt(0, 3)) {
                        case 0 -> c.close(t.now);
                        case 1 -> c.abort(t.now);
                        case 2 -> c.shutdownOutput(t.now);
                        default -> c.shutdownInput(t.now);
                    }
                    t.drain();
                    return "close/abort/shutdown";
                }
                case 8 -> {
                    Errno e = data.pickValue(new Errno[] {Errno.EHOSTUNREACH, Errno.ECONNREFUSED, Errno.ENETUNREACH, Errno.EPROTO});
                    c.icmpError(e, data.consumeBoolean(), c.sndUna + data.consumeInt(-3, 3000), t.now);
                    t.drain();
                    return "icmp " + e;
                }
                case 9 -> {
                    c.pathMtuReduced(data.consumeInt(0, 70000), t.now);
                    t.drain();
                    return "path mtu";
                }
                case 10 -> {
                    SocketOptions o = c.options();
                    o.keepAlive = data.consumeBoolean();
                    o.keepIdle = Duration.ofSeconds(data.consumeInt(1, 7200));
                    o.keepIntvl = Duration.ofSeconds(data.consumeInt(1, 75));
                    o.userTimeout = Duration.ofMillis(data.consumeInt(0, 100_000));
                    o.setNoDelay(data.consumeBoolean());
                    o.cork = data.consumeBoolean();
                    c.optionsChanged(t.now);
                    t.drain();
                    return "options";
                }
                default -> {
                    c.setQuickAck(data.consumeBoolean(), t.now);
                    t.drain();
                    return "quickack";
                }
            }
        } catch (ErrnoException e) {
            t.drain();
            return "errno " + e.errno();
        }
    }

    /**
     * A segment from the peer: sequence and acknowledgment numbers near the connection's own
     * (where an engine's decisions are) or anywhere, any flags, any options.
     */
    private static Segment segment(FuzzedDataProvider data, Transcript t) {
        Connection c = t.c;
        Segment s = Transcript.in().build();
        s.flags = data.consumeInt(0, 0xff);
        s.seq = data.consumeBoolean() ? c.rcvNxt + data.consumeInt(-70_000, 70_000) : data.consumeInt();
        if (data.consumeBoolean() && (s.flags & TcpFlags.SYN) != 0 && c.state() != State.LISTEN) s.seq = Transcript.PEER_ISS;
        s.ack = data.consumeBoolean() ? c.sndUna + data.consumeInt(-70_000, 70_000) : data.consumeInt();
        s.window = data.consumeInt(0, 0xffff);
        s.urgent = data.consumeInt(0, 0xffff);
        s.ecn = data.consumeInt(0, 3);
        if (data.consumeBoolean()) s.mss = data.consumeInt(0, 0xffff);
        if (data.consumeBoolean()) s.windowScale = data.consumeInt(0, 20);
        s.sackPermitted = data.consumeBoolean();
        if (data.consumeBoolean()) {
            s.hasTimestamps = true;
            s.tsVal = data.consumeBoolean() ? c.tsRecent + data.consumeInt(-1000, 1000) : data.consumeInt();
            s.tsEcr = data.consumeInt();
        }
        int blocks = data.consumeInt(0, 4);
        for (int i = 0; i < blocks; i++) {
            int left = c.sndUna + data.consumeInt(-5000, 100_000);
            s.addSack(left, left + data.consumeInt(-10, 20_000));
        }
        byte[] payload = new byte[data.consumeInt(0, 3000)];
        int first = s.seq + ((s.flags & TcpFlags.SYN) != 0 ? 1 : 0);
        for (int i = 0; i < payload.length; i++) payload[i] = peerByte(first + i);
        s.payload(payload, 0, payload.length);
        return s;
    }
}
