package io.jtcp.tun;

import java.time.Duration;

/**
 * How one direction of a {@link TunLink} mistreats packets, in the spirit of Linux netem:
 * a fixed one-way delay, a uniform extra jitter in [0, jitterNanos], and loss at rate
 * {@code loss}. With {@code meanBurst} above 1 losses come in bursts: a two-state
 * Gilbert-Elliott chain (every packet in the bad state is lost, none in the good one)
 * whose stationary loss is {@code loss} and whose bad spells last {@code meanBurst}
 * packets on average (geometric); at 1 or below each packet is lost independently.
 *
 * <p>Unlike netem's jitter, which reorders, a packet here never leaves before one that
 * arrived earlier in the same direction: the benchmarks built on it measure loss recovery,
 * and reordering would be a second variable.
 */
public record LinkImpairment(long delayNanos, long jitterNanos, double loss, double meanBurst) {
    /** No delay, no jitter, no loss: the link as if unimpaired. */
    public static final LinkImpairment NONE = new LinkImpairment(0, 0, 0, 1);

    public LinkImpairment {
        if (delayNanos < 0) throw new IllegalArgumentException("delay must not be negative: " + delayNanos);
        if (jitterNanos < 0) throw new IllegalArgumentException("jitter must not be negative: " + jitterNanos);
        if (!(loss >= 0 && loss < 1)) throw new IllegalArgumentException("loss must be in [0, 1): " + loss);
        if (!(meanBurst >= 1)) throw new IllegalArgumentException("mean burst must be at least 1 packet: " + meanBurst);
    }

    /** Half of {@code rtt} each way and independent loss at {@code loss}: one direction of a symmetric path. */
    public static LinkImpairment halfOf(Duration rtt, double loss) {
        return new LinkImpairment(rtt.toNanos() / 2, 0, loss, 1);
    }

    public LinkImpairment withBursts(double meanPackets) {
        return new LinkImpairment(delayNanos, jitterNanos, loss, meanPackets);
    }

    public LinkImpairment withJitter(Duration d) {
        return new LinkImpairment(delayNanos, d.toNanos(), loss, meanBurst);
    }

    /** Whether packets are held at all (else they pass, or are lost, at once). */
    public boolean delays() { return delayNanos > 0 || jitterNanos > 0; }

    public boolean isNone() { return !delays() && loss == 0; }

    public boolean bursty() { return meanBurst > 1 && loss > 0; }

    /** Gilbert-Elliott: the chance of leaving the bad state after a packet, 1/meanBurst. */
    double badToGood() { return 1 / meanBurst; }

    /** Gilbert-Elliott: the chance of entering the bad state, so that bad/(good+bad) time is {@code loss}. */
    double goodToBad() { return loss * badToGood() / (1 - loss); }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("delay ").append(delayNanos / 1e6).append(" ms");
        if (jitterNanos > 0) b.append(" jitter ").append(jitterNanos / 1e6).append(" ms");
        b.append(" loss ").append(loss * 100).append('%');
        if (bursty()) b.append(" in bursts of ").append(meanBurst);
        return b.toString();
    }
}
