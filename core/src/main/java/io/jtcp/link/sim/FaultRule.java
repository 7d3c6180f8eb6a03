package io.jtcp.link.sim;

import java.time.Duration;

/**
 * A deterministic fault: an action taken on the packets a {@link PacketMatch} selects,
 * limited to a window of its matches (all of them by default, or {@link #nth} only, or
 * the {@link #first} k). For example:
 * <pre>
 * FaultRule.drop(path(a, b)).nth(3)                         // the third packet a -> b
 * FaultRule.drop(path(b, a).and(flags(FIN | ACK))).first(1) // b's first FIN+ACK
 * FaultRule.drop(path(a, b).and(ackOnly()).and(after(t)))  // every pure ACK after t
 * FaultRule.delay(path(a, b).and(withPayload()), Duration.ofSeconds(30)).nth(1)
 * </pre>
 * A rule sees every routable packet as it leaves a node (not injected ones), before
 * random faults, and counts every match whether or not another rule acts on it too. It keeps its counts, so
 * add it to one network only.
 */
public final class FaultRule {
    public enum Action { DROP, DELAY, DUPLICATE }

    private final PacketMatch match;
    private final Action action;
    private final long delayNanos;
    private long skip;
    private long limit = Long.MAX_VALUE;
    private long matched;
    private long applied;

    private FaultRule(PacketMatch match, Action action, long delayNanos) {
        this.match = match;
        this.action = action;
        this.delayNanos = delayNanos;
    }

    public static FaultRule drop(PacketMatch match) {
        return new FaultRule(match, Action.DROP, 0);
    }

    /** Holds matching packets back {@code extra} beyond the link's own delay, so later ones may overtake them. */
    public static FaultRule delay(PacketMatch match, Duration extra) {
        if (extra.isNegative()) throw new IllegalArgumentException("negative delay: " + extra);
        return new FaultRule(match, Action.DELAY, extra.toNanos());
    }

    public static FaultRule duplicate(PacketMatch match) {
        return new FaultRule(match, Action.DUPLICATE, 0);
    }

    /** Acts on the {@code n}-th match only (1-based). */
    public FaultRule nth(long n) {
        if (n < 1) throw new IllegalArgumentException("n counts from 1: " + n);
        skip = n - 1;
        limit = 1;
        return this;
    }

    /** Acts on the first {@code k} matches. */
    public FaultRule first(long k) {
        if (k < 0) throw new IllegalArgumentException("negative count: " + k);
        skip = 0;
        limit = k;
        return this;
    }

    public Action action() {
        return action;
    }

    public long delayNanos() {
        return delayNanos;
    }

    /** Packets that matched so far. */
    public long matched() {
        return matched;
    }

    /** Packets the action was taken on so far: lets a test check that its fault really happened. */
    public long applied() {
        return applied;
    }

    /** Counts a match and says whether to act on it. */
    boolean offer(long time, byte[] packet, int off, int len) {
        if (!match.test(time, packet, off, len)) return false;
        long index = matched++;
        if (index < skip || index - skip >= limit) return false;
        applied++;
        return true;
    }
}
