package io.jtcp.tun;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The decisions for one direction of an impaired link, one packet at a time: lost, or
 * released at which instant. The caller passes the time, so the decisions are a pure
 * function of the seed, the parameters and the arrival times, and tests need no clock.
 * One thread decides (the TUN reader for packets from the kernel, the stack's thread for
 * packets to it); the counters may be read from any.
 */
final class ImpairedDirection {
    /** What {@link #releaseAt} returns for a lost packet. */
    static final long LOST = Long.MIN_VALUE;

    private final LinkImpairment params;
    private final SplittableRandom random;
    private boolean bad;
    private long lastRelease = Long.MIN_VALUE;
    private final LongAdder passed = new LongAdder(), lostAtRandom = new LongAdder(), lostInBursts = new LongAdder(),
            bursts = new LongAdder();

    ImpairedDirection(LinkImpairment params, long seed) {
        this.params = params;
        this.random = new SplittableRandom(seed);
    }

    LinkImpairment params() { return params; }

    /**
     * The instant the packet arriving at {@code now} leaves this direction, or {@link #LOST}.
     * Never earlier than the previous packet's release: jitter does not reorder.
     */
    long releaseAt(long now) {
        if (lost()) return LOST;
        passed.increment();
        long at = now + params.delayNanos();
        if (params.jitterNanos() > 0) at += random.nextLong(params.jitterNanos() + 1);
        if (at < lastRelease) at = lastRelease;
        lastRelease = at;
        return at;
    }

    private boolean lost() {
        if (params.loss() == 0) return false;
        if (!params.bursty()) {
            if (random.nextDouble() >= params.loss()) return false;
            lostAtRandom.increment();
            return true;
        }
        // The state moves first, then judges this packet: a bad spell of k packets has
        // probability (1-r)^(k-1) r, mean 1/r.
        if (bad) {
            if (random.nextDouble() < params.badToGood()) bad = false;
        } else if (random.nextDouble() < params.goodToBad()) {
            bad = true;
            bursts.increment();
        }
        if (!bad) return false;
        lostInBursts.increment();
        return true;
    }

    /** Packets that were not lost. */
    long passed() { return passed.sum(); }
    /** Packets lost independently (mean burst 1). */
    long lostAtRandom() { return lostAtRandom.sum(); }
    /** Packets lost in the bad state of the burst model. */
    long lostInBursts() { return lostInBursts.sum(); }
    /** Bad spells entered. */
    long bursts() { return bursts.sum(); }
}
