package io.jtcp.tcp;

import io.jtcp.config.CongestionAlgorithm;

/**
 * CUBIC (RFC 9438), Linux's default, as net/ipv4/tcp_cubic.c runs it: after a loss the
 * window follows W_cubic(t) = C (t - K)^3 + W_max from the reduced window, concave up to
 * the window where the loss happened and convex past it, and never grows more slowly than
 * the Reno-friendly estimate W_est. Slow start is {@link HyStartPlusPlus}'s (Linux's
 * cubic uses classic HyStart; that class says how they differ).
 *
 * <p>Units. Windows are segments, as everywhere in {@link CongestionWindow}. The stack's
 * times ({@code now}, RTT samples) are nanoseconds. The cubic function is evaluated as
 * Linux evaluates it, in integers, with time in units of 1/1024 s (BICTCP_HZ):
 * <pre>
 *   t      = (now - epochStart + minRtt) * 1024 / 10^9           [1/1024 s]
 *   K      = cbrt(CUBE_FACTOR * (W_max - cwnd_epoch))             [1/1024 s]   CUBE_FACTOR = 2^40 / 410
 *   target = W_max +/- (410 * |t - K|^3) >> 40                    [segments]
 * </pre>
 * which is RFC 9438 §4.2 with C = 410/1024 ≈ 0.4 segments/s^3 and K = cbrt(W_max (1 - beta) / C)
 * seconds, evaluated one minimum RTT ahead (W_cubic(t + RTT), §4.2). An ACK then grows the
 * window by one segment every {@code cnt} segments acknowledged, {@code cnt = cwnd / (target - cwnd)}
 * (tcp_cong_avoid_ai).
 */
final class Cubic implements CongestionControl {
    /** beta_cubic (RFC 9438 §4.6): the window keeps 717/1024 ≈ 0.7 of itself on a loss. */
    static final int BETA = 717, BETA_SCALE = 1024;
    /** C scaled by 1024 (Linux's bic_scale 41 times 10): 410/1024 ≈ 0.4 (RFC 9438 §5). */
    private static final long C_SCALED = 41 * 10;
    /** Fixed-point time: 2^10 units a second (BICTCP_HZ). */
    private static final int TIME_SHIFT = 10;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** (W_max - cwnd) * CUBE_FACTOR = K^3 with K in 1/1024 s (cube_factor). */
    private static final long CUBE_FACTOR = (1L << (10 + 3 * TIME_SHIFT)) / C_SCALED;
    /** |t - K| beyond this (256 s) would overflow the cube; the curve is then far above any window. */
    private static final long MAX_OFFSET = 1L << 18;
    /**
     * The Reno-friendly estimate W_est gains one segment per cwnd * 15/8 segments
     * acknowledged: alpha_cubic = 3 (1 - beta) / (1 + beta) ≈ 0.53 a round trip (RFC 9438
     * §4.3; Linux's beta_scale, in eighths).
     */
    private static final int RENO_FRIENDLY_EIGHTHS = 8 * (BETA_SCALE + BETA) / 3 / (BETA_SCALE - BETA);
    /** Before the first loss the curve may not grow the window more slowly than 5% a round trip. */
    private static final int FIRST_EPOCH_MAX_CNT = 20;
    /**
     * Linux recomputes the curve at most once per jiffy, and, while the window has not
     * moved, at most every HZ/32 jiffies. jtcp's jiffy is a millisecond (HZ = 1000).
     */
    private static final long TICK_NANOS = 1_000_000, REFRESH_NANOS = NANOS_PER_SECOND / 32;

    /** Segments acknowledged per one-segment increase (bictcp's cnt). */
    private int cnt;
    /** W_max: the window at the last loss, lowered by fast convergence (last_max_cwnd); 0 before any. */
    private int lastMaxCwnd;
    /** The window, and the time in ns, when the curve was last evaluated (last_cwnd, last_time). */
    private int lastCwnd;
    private long lastTime;
    /** The curve's plateau, W_max or the epoch's starting window (bic_origin_point). */
    private int originPoint;
    /** K in 1/1024 s (bic_K). */
    private long k;
    /** The smallest RTT seen, in ns; 0 before the first sample (delay_min). */
    private long minRtt;
    /** An epoch starts at the first congestion-avoidance ACK after a reduction (epoch_start != 0). */
    private boolean inEpoch;
    private long epochStart;
    /** Segments acknowledged this epoch not yet turned into W_est growth (ack_cnt). */
    private int ackCount;
    /** W_est, the Reno-friendly window (tcp_cwnd). */
    private int renoCwnd;

    private final HyStartPlusPlus hystart = new HyStartPlusPlus();

    @Override
    public CongestionAlgorithm algorithm() {
        return CongestionAlgorithm.CUBIC;
    }

    /** cubictcp_recalc_ssthresh: ends the epoch, records W_max, keeps beta of the window (RFC 9438 §4.6, §4.7). */
    @Override
    public int ssthresh(CongestionWindow w) {
        inEpoch = false;
        // Fast convergence: a loss below the last W_max means the share shrank; give some up.
        lastMaxCwnd = w.cwnd < lastMaxCwnd
                ? (int) ((long) w.cwnd * (BETA_SCALE + BETA) / (2 * BETA_SCALE))
                : w.cwnd;
        return Math.max((int) ((long) w.cwnd * BETA / BETA_SCALE), 2);
    }

    /** cubictcp_cong_avoid. */
    @Override
    public void congestionAvoidance(CongestionWindow w, int acked, long now) {
        if (!w.isCwndLimited()) return;
        if (w.inSlowStart()) {
            acked = HyStartPlusPlus.applies(w) ? hystart.grow(w, acked) : w.slowStart(acked);
            if (acked == 0) return;
        }
        update(w.cwnd, acked, now);
        w.additiveIncrease(cnt, acked);
    }

    /** cubictcp_acked: the minimum RTT, and the samples HyStart++ watches. */
    @Override
    public void acked(CongestionWindow w, int acked, long rttNanos, long now) {
        if (HyStartPlusPlus.applies(w)) hystart.onAck(w, rttNanos);
        if (rttNanos < 0) return;
        // Samples in the first second after a reduction still carry the queue that caused it.
        if (inEpoch && now - epochStart < NANOS_PER_SECOND) return;
        long sample = Math.max(rttNanos, 1);
        if (minRtt == 0 || sample < minRtt) minRtt = sample;
    }

    /** cubictcp_state: a timeout forgets everything, W_max included (bictcp_reset, bictcp_hystart_reset). */
    @Override
    public void stateChanged(CongestionWindow w, CaState next) {
        if (next == CaState.LOSS) init(w);
    }

    /** bictcp_reset and HyStart's: everything learned about the path is forgotten. */
    @Override
    public void init(CongestionWindow w) {
        cnt = lastMaxCwnd = lastCwnd = originPoint = ackCount = renoCwnd = 0;
        lastTime = k = minRtt = epochStart = 0;
        inEpoch = false;
        hystart.reset();
    }

    /**
     * cubictcp_cwnd_event: time spent idle does not count on the curve (RFC 9438 §5.8), so
     * sending again after idling moves the epoch's start forward by the idle time, never past now.
     */
    @Override
    public void event(CongestionWindow w, CongestionEvent e, long now) {
        if (e != CongestionEvent.TX_START || !inEpoch) return;
        long idle = now - w.lastDataSentAt;
        if (idle > 0) epochStart = Math.min(epochStart + idle, now);
    }

    /** Linux's cubic uses tcp_reno_undo_cwnd: back to the window before the reduction. */
    @Override
    public int undoCwnd(CongestionWindow w) {
        return Math.max(w.cwnd, w.priorCwnd);
    }

    /** bictcp_update: sets {@link #cnt} from the cubic curve and the Reno-friendly estimate. */
    private void update(int cwnd, int acked, long now) {
        ackCount += acked;
        if (lastCwnd == cwnd && now - lastTime <= REFRESH_NANOS) return;
        if (!inEpoch || now / TICK_NANOS != lastTime / TICK_NANOS) {
            lastCwnd = cwnd;
            lastTime = now;
            if (!inEpoch) startEpoch(cwnd, acked, now);
            cnt = curveCount(cwnd, now);
        }
        renoFriendly(cwnd);
        // At most one segment per two acknowledged: 1.5 times the window a round trip.
        cnt = Math.max(cnt, 2);
    }

    private void startEpoch(int cwnd, int acked, long now) {
        inEpoch = true;
        epochStart = now;
        ackCount = acked;
        renoCwnd = cwnd;
        if (lastMaxCwnd <= cwnd) {
            k = 0;
            originPoint = cwnd;
        } else {
            k = cubeRoot(CUBE_FACTOR * (lastMaxCwnd - cwnd));
            originPoint = lastMaxCwnd;
        }
    }

    /** Segments per increase that bring the window to W_cubic(t + minRtt) within the next round trip. */
    private int curveCount(int cwnd, long now) {
        long t = ((now - epochStart + minRtt) << TIME_SHIFT) / NANOS_PER_SECOND;
        long offset = Math.abs(t - k);
        long delta = offset >= MAX_OFFSET
                ? Integer.MAX_VALUE
                : (C_SCALED * offset * offset * offset) >> (10 + 3 * TIME_SHIFT);
        long target = t < k ? originPoint - delta : originPoint + delta;
        long count = target > cwnd ? cwnd / (target - cwnd) : 100L * cwnd; // at or above the curve: barely grow
        if (lastMaxCwnd == 0) count = Math.min(count, FIRST_EPOCH_MAX_CNT);
        return (int) Math.min(count, Integer.MAX_VALUE);
    }

    /** RFC 9438 §4.3: W_est grows as AIMD(alpha_cubic, beta_cubic) would; the window keeps up with it. */
    private void renoFriendly(int cwnd) {
        int perSegment = (int) (((long) cwnd * RENO_FRIENDLY_EIGHTHS) >> 3);
        if (ackCount > perSegment) {
            int grown = (ackCount - 1) / perSegment; // what Linux's one-at-a-time loop leaves: ackCount in (0, perSegment]
            ackCount -= grown * perSegment;
            renoCwnd += grown;
        }
        if (renoCwnd > cwnd) cnt = Math.min(cnt, cwnd / (renoCwnd - cwnd));
    }

    /** The integer cube root, rounded down (Linux's cubic_root approximates it by a table and a Newton step). */
    static long cubeRoot(long a) {
        long r = (long) Math.cbrt((double) a);
        while (r * r * r > a) r--;
        while ((r + 1) * (r + 1) * (r + 1) <= a) r++;
        return r;
    }
}
