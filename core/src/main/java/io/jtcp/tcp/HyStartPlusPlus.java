package io.jtcp.tcp;

import io.jtcp.wire.Seq;

/**
 * HyStart++ (RFC 9406): slow start that watches the round trip's minimum RTT and, once it
 * rises by a threshold, grows four times more slowly (Conservative Slow Start, CSS) for up
 * to five rounds before committing to congestion avoidance with ssthresh = cwnd. If the RTT
 * falls back below where it stood when CSS began, the exit was a false alarm and slow start
 * resumes. It runs only in the initial slow start, while ssthresh is still infinite (RFC
 * 9406 §4.3): after a loss the threshold already says where to stop.
 *
 * <p>Rounds are tracked by sequence, as §4.2 has it: a round that began when SND.NXT was
 * windowEnd ends with the first ACK beyond windowEnd, the first for data sent during the round
 * (Linux's hystart tests after(snd_una, end_seq) the same way), so a round's RTT samples are
 * those of one flight. The engine supplies both in {@link CongestionWindow#sndUna}
 * and {@link CongestionWindow#sndNxt} before each {@link CongestionControl#acked} call.
 * RTT samples come from those calls (none when the ACK has no valid sample, -1).
 *
 * <p>Linux differs: its cubic runs classic HyStart (Ha and Rhee, bictcp_hystart_reset /
 * hystart_update), which, once the window is at least 16 segments (hystart_low_window), leaves
 * slow start at once (ssthresh = cwnd, no CSS, no way back) when either a train of closely
 * spaced ACKs has lasted half the minimum RTT, or the minimum of a round's first eight RTT
 * samples exceeds the connection's minimum RTT (not the previous round's) by
 * clamp(minRtt / 8, 4 ms, 16 ms). Linux also grows slow start by every segment an ACK covers;
 * HyStart++ caps that at {@link #L} segments per ACK for a sender that does not pace.
 */
final class HyStartPlusPlus {
    static final long MIN_RTT_THRESH = 4_000_000, MAX_RTT_THRESH = 16_000_000; // ns
    static final int MIN_RTT_DIVISOR = 8;
    static final int N_RTT_SAMPLE = 8;
    static final int CSS_GROWTH_DIVISOR = 4;
    static final int CSS_ROUNDS = 5;
    /** Most segments one ACK may add in slow start: 8 for a sender that does not pace (§4.2). */
    static final int L = 8;
    private static final long NONE = Long.MAX_VALUE;

    private boolean roundOpen;
    private int windowEnd;
    private long lastRoundMinRtt = NONE, currentRoundMinRtt = NONE;
    private int rttSampleCount;
    /** The round's minimum RTT when CSS began; NONE outside CSS. */
    private long cssBaselineMinRtt = NONE;
    private int cssRounds;
    /** Segments acknowledged in CSS not yet turned into growth (a quarter segment each). */
    private int cssAcked;

    /** Whether HyStart++ governs slow start: only the initial one, before any ssthresh was set. */
    static boolean applies(CongestionWindow w) {
        return w.ssthresh == CongestionWindow.INFINITE_SSTHRESH;
    }

    boolean inCss() {
        return cssBaselineMinRtt != NONE;
    }

    void reset() {
        roundOpen = false;
        lastRoundMinRtt = currentRoundMinRtt = cssBaselineMinRtt = NONE;
        rttSampleCount = cssRounds = cssAcked = 0;
    }

    /** Every ACK in the initial slow start: ends rounds, takes the RTT sample, decides on CSS. */
    void onAck(CongestionWindow w, long rttNanos) {
        if (!roundOpen || Seq.gt(w.sndUna, windowEnd)) {
            // A CSS that began mid-round counts that round as one of its five.
            if (inCss() && ++cssRounds >= CSS_ROUNDS) {
                w.ssthresh = w.cwnd;
                return;
            }
            roundOpen = true;
            windowEnd = w.sndNxt;
            lastRoundMinRtt = currentRoundMinRtt;
            currentRoundMinRtt = NONE;
            rttSampleCount = 0;
        }
        if (rttNanos < 0) return;
        currentRoundMinRtt = Math.min(currentRoundMinRtt, rttNanos);
        if (++rttSampleCount < N_RTT_SAMPLE) return;
        if (inCss()) {
            if (currentRoundMinRtt < cssBaselineMinRtt) cssBaselineMinRtt = NONE; // spurious exit: slow start again
        } else if (lastRoundMinRtt != NONE && currentRoundMinRtt >= lastRoundMinRtt + threshold(lastRoundMinRtt)) {
            cssBaselineMinRtt = currentRoundMinRtt;
            cssRounds = 0;
            cssAcked = 0;
        }
    }

    /** RttThresh = max(MIN_RTT_THRESH, min(lastRoundMinRTT / MIN_RTT_DIVISOR, MAX_RTT_THRESH)). */
    static long threshold(long lastRoundMinRtt) {
        return Math.max(MIN_RTT_THRESH, Math.min(lastRoundMinRtt / MIN_RTT_DIVISOR, MAX_RTT_THRESH));
    }

    /**
     * Slow-start growth for an ACK of {@code acked} segments: one segment each (at most L),
     * a quarter of that in CSS. Returns the segments left for congestion avoidance, as
     * {@link CongestionWindow#slowStart} does (none while ssthresh is infinite).
     */
    int grow(CongestionWindow w, int acked) {
        int counted = Math.min(acked, L);
        if (!inCss()) return w.slowStart(counted);
        cssAcked += counted;
        int segments = cssAcked / CSS_GROWTH_DIVISOR;
        cssAcked -= segments * CSS_GROWTH_DIVISOR;
        w.cwnd = Math.min(w.cwnd + segments, w.clamp);
        return 0;
    }
}
