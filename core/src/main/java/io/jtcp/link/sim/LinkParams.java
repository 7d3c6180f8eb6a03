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
 *
 * <p>Behind the transmitter packets wait in a FIFO, measured in packets like a pfifo
 * qdisc's {@code limit}: one that arrives with {@code queueLimit} packets already waiting
 * (the one being serialized is not waiting) is tail-dropped, 0 meaning no limit. With
 * an ECN marking threshold K, one that arrives with K or more packets waiting is marked
 * CE instead of being left alone, if its IP header says ECT(0) or ECT(1) (RFC 3168 §5);
 * see {@link #withEcnMarking}. Both take effect only with a finite bandwidth, since an
 * infinitely fast transmitter never builds a queue.
 */
public record LinkParams(
        long delayNanos,
        long jitterNanos,
        double loss,
        double duplicate,
        double reorder,
        long reorderDelayNanos,
        double corrupt,
        long bandwidthBitsPerSecond,
        int queueLimit,
        int ecnMarkThreshold) {

    /** {@link #ecnMarkThreshold} of a link that never marks. */
    public static final int NO_ECN_MARKING = -1;

    /** 5 ms one way, no faults, infinite bandwidth and queue, no marking; reordering (when enabled) holds back 10 ms. */
    public static final LinkParams DEFAULT = new LinkParams(5_000_000, 0, 0, 0, 0, 10_000_000, 0, 0, 0, NO_ECN_MARKING);

    public LinkParams {
        requireNonNegative("delay", delayNanos);
        requireNonNegative("jitter", jitterNanos);
        requireNonNegative("reorder delay", reorderDelayNanos);
        requireNonNegative("bandwidth", bandwidthBitsPerSecond);
        requireNonNegative("queue limit", queueLimit);
        if (ecnMarkThreshold < NO_ECN_MARKING) throw new IllegalArgumentException("ECN marking threshold must be at least 0: " + ecnMarkThreshold);
        requireProbability("loss", loss);
        requireProbability("duplicate", duplicate);
        requireProbability("reorder", reorder);
        requireProbability("corrupt", corrupt);
    }

    public LinkParams withDelay(Duration d) {
        return new LinkParams(d.toNanos(), jitterNanos, loss, duplicate, reorder, reorderDelayNanos, corrupt, bandwidthBitsPerSecond, queueLimit, ecnMarkThreshold);
    }

    public LinkParams withJitter(Duration d) {
        return new LinkParams(delayNanos, d.toNanos(), loss, duplicate, reorder, reorderDelayNanos, corrupt, bandwidthBitsPerSecond, queueLimit, ecnMarkThreshold);
    }

    public LinkParams withLoss(double p) {
        return new LinkParams(delayNanos, jitterNanos, p, duplicate, reorder, reorderDelayNanos, corrupt, bandwidthBitsPerSecond, queueLimit, ecnMarkThreshold);
    }

    public LinkParams withDuplicate(double p) {
        return new LinkParams(delayNanos, jitterNanos, loss, p, reorder, reorderDelayNanos, corrupt, bandwidthBitsPerSecond, queueLimit, ecnMarkThreshold);
    }

    public LinkParams withReorder(double p, Duration holdBack) {
        return new LinkParams(delayNanos, jitterNanos, loss, duplicate, p, holdBack.toNanos(), corrupt, bandwidthBitsPerSecond, queueLimit, ecnMarkThreshold);
    }

    public LinkParams withCorrupt(double p) {
        return new LinkParams(delayNanos, jitterNanos, loss, duplicate, reorder, reorderDelayNanos, p, bandwidthBitsPerSecond, queueLimit, ecnMarkThreshold);
    }

    public LinkParams withBandwidth(long bitsPerSecond) {
        return new LinkParams(delayNanos, jitterNanos, loss, duplicate, reorder, reorderDelayNanos, corrupt, bitsPerSecond, queueLimit, ecnMarkThreshold);
    }

    /** At most {@code packets} wait behind the transmitter; more are tail-dropped (0: no limit). */
    public LinkParams withQueueLimit(int packets) {
        return new LinkParams(delayNanos, jitterNanos, loss, duplicate, reorder, reorderDelayNanos, corrupt, bandwidthBitsPerSecond, packets, ecnMarkThreshold);
    }

    /**
     * Marks CE, rather than leaving alone, every ECT packet that arrives with at least
     * {@code queuedPackets} waiting: a step at K as DCTCP asks of switches (RFC 8257 §3.1),
     * which is what Linux's RED does with min = max = K and probability 1 (red_action marks
     * once the average reaches qth_min, and a weight of 1 makes the average the instant queue).
     * A step rather than RED's random ramp: the simulator then needs no random draw to
     * mark, marks replay exactly, and tests can say which packet is marked. The queue limit
     * still applies first: a full queue drops ECT packets too, as RED does past its limit.
     */
    public LinkParams withEcnMarking(int queuedPackets) {
        if (queuedPackets < 0) throw new IllegalArgumentException("ECN marking threshold must not be negative: " + queuedPackets);
        return new LinkParams(delayNanos, jitterNanos, loss, duplicate, reorder, reorderDelayNanos, corrupt, bandwidthBitsPerSecond, queueLimit, queuedPackets);
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
