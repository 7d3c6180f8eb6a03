package io.jtcp.link.sim;

import io.jtcp.wire.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fate of one packet between leaving a node and being scheduled to land: fault
 * rules first (deterministic, counting every routable packet a node sends), then the link's random
 * faults, its queue (tail drop at the limit, CE marks past the ECN threshold), serialization
 * and delay.
 *
 * <p>Randomness comes from one generator drawn in a fixed order per packet — loss,
 * duplication, then for each copy jitter, reordering, corruption (and its bit) — and
 * only for faults whose probability is non-zero, so the same seed and the same inputs
 * replay the same run.
 */
final class Wire {
    /** One direction of one link: its parameters (null: the default) and its FIFO transmitter. */
    private static final class Direction {
        LinkParams params;
        final Transmitter transmitter = new Transmitter();
    }

    private final SimNetwork net;
    private final SplittableRandom random;
    private record Path(IpAddress from, IpAddress to) {}

    private final Map<Path, Direction> directions = new HashMap<>();
    private final List<FaultRule> rules = new ArrayList<>();
    private LinkParams defaultParams = LinkParams.DEFAULT;

    Wire(SimNetwork net, long seed) {
        this.net = net;
        this.random = new SplittableRandom(seed);
    }

    void setLink(IpAddress from, IpAddress to, LinkParams params) {
        direction(from, to).params = params;
    }

    void setDefault(LinkParams params) {
        defaultParams = params;
    }

    void addRule(FaultRule rule) {
        rules.add(rule);
    }

    /** Carries {@code p} (the wire's own copy), routed to {@code dest}, from {@code now}. */
    void carry(byte[] p, IpAddress from, IpAddress to, SimNode dest, long now) {
        boolean drop = false;
        long extraDelay = 0;
        int copies = 1;
        for (FaultRule rule : rules) {
            if (!rule.offer(now, p, 0, p.length)) continue;
            switch (rule.action()) {
                case DROP -> drop = true;
                case DELAY -> extraDelay += rule.delayNanos();
                case DUPLICATE -> copies++;
            }
        }
        if (drop) {
            net.tap(now, p, from, to, Fate.DROPPED_BY_RULE);
            return;
        }
        Direction dir = direction(from, to);
        LinkParams lp = dir.params != null ? dir.params : defaultParams;
        if (chance(lp.loss())) {
            net.tap(now, p, from, to, Fate.LOST);
            return;
        }
        if (chance(lp.duplicate())) copies++;

        long onWire = now;
        if (lp.bandwidthBitsPerSecond() > 0) {
            int waiting = dir.transmitter.waiting(now);
            if (lp.queueLimit() > 0 && waiting >= lp.queueLimit()) {
                net.tap(now, p, from, to, Fate.QUEUE_OVERFLOW);
                return;
            }
            if (lp.ecnMarkThreshold() != LinkParams.NO_ECN_MARKING && waiting >= lp.ecnMarkThreshold() && EcnField.markCe(p)) {
                net.tap(now, p, from, to, Fate.CE_MARKED);
            }
            onWire = dir.transmitter.transmit(now, lp.serializationNanos(p.length));
        }
        for (int i = 0; i < copies; i++) {
            byte[] copy = i == 0 ? p : p.clone();
            if (i > 0) net.tap(now, copy, from, to, Fate.DUPLICATED);
            long at = onWire + lp.delayNanos() + extraDelay;
            if (lp.jitterNanos() > 0) at += random.nextLong(lp.jitterNanos() + 1);
            boolean reordered = chance(lp.reorder());
            if (reordered) at += lp.reorderDelayNanos();
            if (reordered || extraDelay > 0) net.tap(now, copy, from, to, Fate.DELAYED);
            if (chance(lp.corrupt()) && copy.length > 0) {
                int bit = random.nextInt(copy.length * 8);
                copy[bit >>> 3] ^= (byte) (1 << (bit & 7));
                net.tap(now, copy, from, to, Fate.CORRUPTED);
            }
            net.enqueue(at, copy, from, to, dest);
        }
    }

    private boolean chance(double p) {
        return p > 0 && random.nextDouble() < p;
    }

    private Direction direction(IpAddress from, IpAddress to) {
        return directions.computeIfAbsent(new Path(from, to), k -> new Direction());
    }
}
