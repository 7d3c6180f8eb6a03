package io.jtcp.tcp;

import io.jtcp.config.Sysctls;

/**
 * The retransmission timeout in nanoseconds, as Linux computes it (tcp_rtt_estimator,
 * __tcp_set_rto): SRTT smoothed by 1/8 (RFC 6298 §2.3); a mean deviation smoothed by 1/4,
 * but by only 1/32 when the RTT falls (so a falling RTT does not shrink the RTO fast,
 * an Eifel finding); and RTO = SRTT + RTTVAR, where RTTVAR is the largest deviation
 * (times four) seen in the last round trip but never less than the minimum RTO, and
 * decays towards the recent deviation once per round trip. RFC 6298 instead computes
 * SRTT + max(G, 4 * RTTVAR) and then raises the sum to the minimum RTO: with Linux's
 * 200 ms minimum and a 100 ms path, Linux's RTO is 300 ms where the RFC's would be 200 ms.
 * Exponential backoff on timeouts as RFC 6298 §5.5.
 *
 * <p><b>Karn's algorithm is the caller's job</b> (RFC 6298 §3): never call
 * {@link #sample} with the RTT of a segment that was retransmitted, because
 * its ACK cannot be matched to one transmission. With TCP timestamps
 * (RFC 7323 §4) the echoed TSecr disambiguates and such samples are valid.
 */
public final class RttEstimator {
    /** The clock's granularity, a jiffy at Linux's HZ=1000: 1 ms. */
    public static final long CLOCK_GRANULARITY_NANOS = 1_000_000L;

    /** The longest sample taken as it is (an hour, as the timestamp check allows): the scaled sums stay far from overflow. */
    private static final long MAX_SAMPLE_NANOS = 3_600_000_000_000L;

    /**
     * The sysctls' RTO bounds in nanoseconds, one immutable instance shared by every
     * connection of a configuration ({@link #of}): three longs per connection were 24 bytes
     * of an idle connection's budget.
     */
    public record Bounds(long initial, long min, long max) {
        public Bounds {
            if (min <= 0 || max < min || initial <= 0) {
                throw new IllegalArgumentException("need 0 < min <= max and initial > 0: initial="
                        + initial + " min=" + min + " max=" + max);
            }
        }

        private record Cached(Sysctls cfg, Bounds bounds) {}

        /** The last configuration's bounds are kept: a stack opens all its connections with one. */
        private static volatile Cached last;

        static Bounds of(Sysctls cfg) {
            Cached c = last;
            if (c == null || c.cfg != cfg) {
                c = new Cached(cfg, new Bounds(cfg.rtoInitial().toNanos(), cfg.rtoMin().toNanos(), cfg.rtoMax().toNanos()));
                last = c;
            }
            return c.bounds;
        }
    }

    private final Bounds bounds;

    private boolean hasSample;
    /** SRTT times 8 (srtt_us), the mean deviation times 4 (mdev_us), its maximum this round trip (mdev_max_us), RTTVAR (rttvar_us). */
    private long srtt8, mdev, mdevMax, rttvar;
    /** SND.NXT when the current round trip of deviation tracking began (rtt_seq). */
    private int rttSeq;
    private long minRtt = Long.MAX_VALUE;
    private long baseRto;   // RTO before backoff
    private long rto;       // RTO including backoff, cached: asked for on every send
    private int backoffs;

    /**
     * @param initialRtoNanos RTO before any sample (RFC 6298 §2.1: 1 s)
     * @param minRtoNanos     the floor of the deviation term (Linux's TCP_RTO_MIN, 200 ms)
     * @param maxRtoNanos     ceiling (§2.5 allows it, at least 60 s; Linux uses 120 s)
     */
    public RttEstimator(long initialRtoNanos, long minRtoNanos, long maxRtoNanos) {
        this(new Bounds(initialRtoNanos, minRtoNanos, maxRtoNanos));
    }

    RttEstimator(Bounds bounds) {
        this.bounds = bounds;
        this.baseRto = Math.min(bounds.max, bounds.initial);
        this.rto = baseRto;
    }

    /**
     * Feeds one RTT measurement taken by an ACK when SND.UNA and SND.NXT are as given, and
     * clears any backoff (the note after RFC 6298 §5.7: a new measurement "collapses" a
     * doubled RTO). A negative sample is ignored: only a clock stepping backwards makes one.
     */
    public void sample(long m, int sndUna, int sndNxt) {
        if (m < 0) return;
        m = Math.min(m, MAX_SAMPLE_NANOS);
        minRtt = Math.min(minRtt, m);
        if (hasSample) {
            long err = m - (srtt8 >> 3);
            srtt8 += err;
            if (err < 0) {
                err = -err - (mdev >> 2);
                if (err > 0) err >>= 3;
            } else {
                err -= mdev >> 2;
            }
            mdev += err;
            if (mdev > mdevMax) {
                mdevMax = mdev;
                rttvar = Math.max(rttvar, mdevMax);
            }
            if (io.jtcp.wire.Seq.gt(sndUna, rttSeq)) {
                if (mdevMax < rttvar) rttvar -= (rttvar - mdevMax) >> 2;
                rttSeq = sndNxt;
                mdevMax = bounds.min;
            }
        } else {
            hasSample = true;
            srtt8 = m << 3;
            mdev = m << 1;
            rttvar = Math.max(mdev, bounds.min);
            mdevMax = rttvar;
            rttSeq = sndNxt;
        }
        srtt8 = Math.max(1, srtt8);
        baseRto = Math.min(bounds.max, (srtt8 >> 3) + rttvar);
        backoffs = 0;
        rto = baseRto;
    }

    /** The RTO to arm the retransmission timer with, backoff included. */
    public long rto() { return rto; }

    /** RFC 6298 §5.5: the timer expired, so double the RTO (up to the maximum). */
    public void backoff() {
        if (backoffs < Integer.MAX_VALUE) backoffs++;
        rto = rto > bounds.max / 2 ? bounds.max : Math.min(bounds.max, rto * 2);
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
        srtt8 = mdev = mdevMax = rttvar = 0;
        backoffs = 0;
        baseRto = Math.min(bounds.max, bounds.initial);
        rto = baseRto;
    }

    /** SRTT in ns; 0 before the first sample. */
    public long srtt() { return srtt8 >> 3; }

    /** The smallest sample yet (Linux's tcp_min_rtt keeps a windowed minimum; jtcp keeps the lifetime one), or MAX_VALUE. */
    public long minRtt() { return minRtt; }

    /** The mean deviation in ns (what TCP_INFO's tcpi_rttvar reports, mdev_us / 4); 0 before the first sample. */
    public long rttvar() { return mdev >> 2; }

    public boolean hasSample() { return hasSample; }

    /** Consecutive backoffs since the last sample or reset: the retransmission count of §5.5. */
    public int backoffCount() { return backoffs; }

    public long minRto() { return bounds.min; }
    public long maxRto() { return bounds.max; }
}
