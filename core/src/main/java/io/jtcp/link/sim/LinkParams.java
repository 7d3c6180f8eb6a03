package io.jtcp.link.sim;

import java.time.Duration;

/**
 * How one direction of a simulated link treats packets, in the spirit of Linux netem.
 * Probabilities are per packet, in [0, 1]. Jitter adds a uniform extra in
 * [0, jitterNanos], which may itself reorder packets; a packet picked for reordering is
 * held back a further {@code reorderDelayNanos} so that later ones overtake it.
 * With a bandwidth (bits/s, 0 for infinite) packets are serialized one after another
 * in FIFO order before the propagation delay. Corruption flips one random bit anywhere
 * in the packet, headers included.
 */
public record LinkParams(
        long delayNanos,
        long jitterNanos,
        double loss,
        double duplicate,
        double reorder,
        long reorderDelayNanos,
        double corrupt,
        long bandwidthBitsPerSecond) {

    /** 5 ms one way, no faults, infinite bandwidth; reordering (when enabled) holds back 10 ms. */
    public static final LinkParams DEFAULT = new LinkParams(5_000_000, 0, 0, 0, 0, 10_000_000, 0, 0);

    public LinkParams {
        requireNonNegative("delay", delayNanos);
        requireNonNegative("jitter", jitterNanos);
        requireNonNegative("reorder delay", reorderDelayNanos);
        requireNonNegative("bandwidth", bandwidthBitsPerSecond);
        requireProbability("loss", loss);
        requireProbability("duplicate", duplicate);
        requireProbability("reorder", reorder);
        requireProbability("corrupt", corrupt);
    }

    public LinkParams withDelay(Duration d) {
        return new LinkParams(d.toNanos(), jitterNanos, loss, duplicate, reorder, reorderDelayNanos, corrupt, bandwidthBitsPerSecond);
    }

    public LinkParams withJitter(Duration d) {
        return new LinkParams(delayNanos, d.toNanos(), loss, duplicate, reorder, reorderDelayNanos, corrupt, bandwidthBitsPerSecond);
    }

    public LinkParams withLoss(double p) {
        return new LinkParams(delayNanos, jitterNanos, p, duplicate, reorder, reorderDelayNanos, corrupt, bandwidthBitsPerSecond);
    }

    public LinkParams withDuplicate(double p) {
        return new LinkParams(delayNanos, jitterNanos, loss, p, reorder, reorderDelayNanos, corrupt, bandwidthBitsPerSecond);
    }

    public LinkParams withReorder(double p, Duration holdBack) {
        return new LinkParams(delayNanos, jitterNanos, loss, duplicate, p, holdBack.toNanos(), corrupt, bandwidthBitsPerSecond);
    }

    public LinkParams withCorrupt(double p) {
        return new LinkParams(delayNanos, jitterNanos, loss, duplicate, reorder, reorderDelayNanos, p, bandwidthBitsPerSecond);
    }

    public LinkParams withBandwidth(long bitsPerSecond) {
        return new LinkParams(delayNanos, jitterNanos, loss, duplicate, reorder, reorderDelayNanos, corrupt, bitsPerSecond);
    }

    /** Time to clock {@code bytes} onto this link; 0 when bandwidth is infinite. */
    long serializationNanos(int bytes) {
        if (bandwidthBitsPerSecond == 0) return 0;
        return Math.ceilDiv(bytes * 8L * 1_000_000_000L, bandwidthBitsPerSecond);
    }

    private static void requireNonNegative(String name, long v) {
        if (v < 0) throw new IllegalArgumentException(name + " must not be negative: " + v);
    }

    private static void requireProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(name + " must be a probability in [0, 1]: " + p);
    }
}
