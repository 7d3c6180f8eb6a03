package io.jtcp.tcp;

/**
 * The retransmission timeout of RFC 6298, in nanoseconds: SRTT and RTTVAR
 * smoothed from RTT samples, RTO = SRTT + max(G, 4 * RTTVAR) clamped to
 * [min, max], and exponential backoff on timeouts (§5.5).
 *
 * <p><b>Karn's algorithm is the caller's job</b> (RFC 6298 §3): never call
 * {@link #sample} with the RTT of a segment that was retransmitted, because
 * its ACK cannot be matched to one transmission. With TCP timestamps
 * (RFC 7323 §4) the echoed TSecr disambiguates and such samples are valid.
 * Likewise the caller applies §5.7 (RTO back to 3 s if the SYN timed out) by
 * building a fresh estimator or simply not sampling the SYN.
 *
 * <p>Integer arithmetic: alpha = 1/8 and beta = 1/4 become shifts of nanosecond
 * values, whose rounding error (a few ns) is far below G.
 */
public final class RttEstimator {
    /** G, the clock granularity of RFC 6298 §2: 1 ms, as Linux's HZ=1000 jiffies. */
    public static final long CLOCK_GRANULARITY_NANOS = 1_000_000L;

    private final long initialRto;
    private final long minRto;
    private final long maxRto;

    private boolean hasSample;
    private long srtt;
    private long minRtt = Long.MAX_VALUE;
    private long rttvar;
    private long baseRto;   // RTO before backoff
    private long rto;       // RTO including backoff, cached: asked for on every send
    private int backoffs;

    /**
     * @param initialRtoNanos RTO before any sample (RFC 6298 §2.1: 1 s)
     * @param minRtoNanos     floor (RFC 6298 §2.4 says 1 s; Linux uses 200 ms)
     * @param maxRtoNanos     ceiling (§2.5 allows it, at least 60 s; Linux uses 120 s)
     */
    public RttEstimator(long initialRtoNanos, long minRtoNanos, long maxRtoNanos) {
        if (minRtoNanos <= 0 || maxRtoNanos < minRtoNanos || initialRtoNanos <= 0) {
            throw new IllegalArgumentException("need 0 < min <= max and initial > 0: initial="
                    + initialRtoNanos + " min=" + minRtoNanos + " max=" + maxRtoNanos);
        }
        this.initialRto = initialRtoNanos;
        this.minRto = minRtoNanos;
        this.maxRto = maxRtoNanos;
        this.baseRto = clamp(initialRtoNanos);
        this.rto = baseRto;
    }

    /**
     * Feeds one RTT measurement (RFC 6298 §2.2, §2.3) and clears any backoff
     * (the note after §5.7: a new measurement "collapses" a doubled RTO).
     * A negative sample is ignored: only a clock stepping backwards makes one.
     */
    public void sample(long rttNanos) {
        if (rttNanos < 0) return;
        minRtt = Math.min(minRtt, rttNanos);
        if (!hasSample) {
            hasSample = true;
            srtt = rttNanos;
            rttvar = rttNanos / 2;
        } else {
            // RTTVAR first: it uses the SRTT from before this sample (§2.3).
            // Written as x + (y - x) / k: all terms are >= 0, so nothing overflows.
            long err = Math.abs(srtt - rttNanos);
            rttvar += (err - rttvar) / 4;
            srtt += (rttNanos - srtt) / 8;
        }
        long spread = rttvar > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : 4 * rttvar;
        long base = addSaturating(srtt, Math.max(CLOCK_GRANULARITY_NANOS, spread));
        baseRto = clamp(base);
        backoffs = 0;
        rto = baseRto;
    }

    /** The RTO to arm the retransmission timer with, backoff included. */
    public long rto() { return rto; }

    /** RFC 6298 §5.5: the timer expired, so double the RTO (up to the maximum). */
    public void backoff() {
        if (backoffs < Integer.MAX_VALUE) backoffs++;
        rto = rto > maxRto / 2 ? maxRto : Math.min(maxRto, rto * 2);
    }

    /** Ends backoff without a sample, e.g. when an ACK for new data arrives (Linux does the same). */
    public void resetBackoff() {
        backoffs = 0;
        rto = baseRto;
    }

    /** Forgets every sample: back to the initial RTO. */
    public void reset() {
        minRtt = Long.MAX_VALUE;
        hasSample = false;
        srtt = rttvar = 0;
        backoffs = 0;
        baseRto = clamp(initialRto);
        rto = baseRto;
    }

    /** SRTT in ns; 0 before the first sample. */
    public long srtt() { return srtt; }

    /** The smallest sample yet (Linux's tcp_min_rtt keeps a windowed minimum; jtcp keeps the lifetime one), or MAX_VALUE. */
    public long minRtt() { return minRtt; }

    /** RTTVAR in ns; 0 before the first sample. */
    public long rttvar() { return rttvar; }

    public boolean hasSample() { return hasSample; }

    /** Consecutive backoffs since the last sample or reset: the retransmission count of §5.5. */
    public int backoffCount() { return backoffs; }

    public long minRto() { return minRto; }
    public long maxRto() { return maxRto; }

    private long clamp(long v) {
        return Math.max(minRto, Math.min(maxRto, v));
    }

    private static long addSaturating(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;   // both operands are >= 0
    }
}
