package io.jtcp.tcp;

import java.util.ArrayDeque;
import java.util.function.LongUnaryOperator;

/**
 * A bulk sender in virtual time driving a {@link CongestionControl} as the engine is to:
 * every segment is acknowledged on its own, {@link #rtt} after it was sent (in order), and
 * each ACK is followed by as many new segments as the window allows (ACK clocking). The
 * window's SND.UNA/SND.NXT, lsndtime, TX_START and tcp_cwnd_validate's record are kept
 * as the {@link CongestionWindow} contract asks. Sequence numbers count segments.
 */
final class AckClock {
    static final long MS = 1_000_000, SECOND = 1_000_000_000;

    final CongestionControl cc;
    final CongestionWindow w = new CongestionWindow();
    /** The RTT a segment sent at the given time will see, in ns. */
    LongUnaryOperator rtt = t -> 50 * MS;
    /** The most segments the application keeps in flight (an application-limited sender when below cwnd). */
    int appLimit = Integer.MAX_VALUE;
    long now;

    private int sndUna, sndNxt;
    /** Per segment in flight: when it was sent and when its ACK arrives. */
    private final ArrayDeque<long[]> flight = new ArrayDeque<>();
    private long lastAckAt;

    AckClock(CongestionControl cc) {
        this.cc = cc;
    }

    /** Sends what the window allows, as tcp_write_xmit, and records the window's use (tcp_cwnd_validate). */
    AckClock send() {
        while (sndNxt - sndUna < Math.min(w.cwnd, appLimit)) {
            if (sndNxt == sndUna) cc.event(w, CongestionControl.CongestionEvent.TX_START, now);
            w.lastDataSentAt = now;
            sndNxt++;
            lastAckAt = Math.max(lastAckAt, now + rtt.applyAsLong(now));
            flight.add(new long[] {now, lastAckAt});
        }
        w.maxPacketsOut = sndNxt - sndUna;
        w.cwndLimited = sndNxt - sndUna >= w.cwnd;
        w.sndNxt = sndNxt;
        return this;
    }

    /** The next ACK arrives: one segment acknowledged with its RTT sample, then the sender sends. */
    void ack() {
        long[] segment = flight.remove();
        now = segment[1];
        sndUna++;
        w.sndUna = sndUna;
        w.sndNxt = sndNxt;
        cc.acked(w, 1, now - segment[0], now);
        cc.congestionAvoidance(w, 1, now);
        send();
    }

    /** Processes every ACK due by {@code t}; the clock then reads {@code t}. */
    AckClock runUntil(long t) {
        while (!flight.isEmpty() && flight.peek()[1] <= t) ack();
        now = t;
        return this;
    }

    /** Round trips of ACKs: the number of segments in flight now, acknowledged. */
    AckClock rounds(int n) {
        for (int i = 0; i < n; i++) {
            int end = sndNxt;
            while (sndUna - end < 0) ack();
        }
        return this;
    }

    /** A loss repaired at once: the cut loss recovery makes (prior_cwnd kept for undo, cwnd to ssthresh). */
    AckClock lose() {
        w.priorCwnd = w.cwnd;
        w.priorSsthresh = w.ssthresh;
        w.ssthresh = cc.ssthresh(w);
        w.cwnd = w.ssthresh;
        return this;
    }

    /** The application stops: everything in flight is acknowledged and nothing more is sent until {@code t}. */
    AckClock idleUntil(long t) {
        int saved = appLimit;
        appLimit = 0;
        while (!flight.isEmpty()) ack();
        appLimit = saved;
        now = t;
        return send();
    }
}
