package io.jtcp.time;

/**
 * A clock that only moves when told to: the simulator's and the tests' time.
 * Owned by one thread (the simulator loop), so the field is deliberately not volatile.
 */
public final class VirtualClock implements Clock {
    private long now;

    public VirtualClock() {
        this(0);
    }

    public VirtualClock(long startNanos) {
        now = startNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** Sets the time unconditionally, even backwards: for setting up a fixture, not for running. */
    public void set(long nanos) {
        now = nanos;
    }

    /** Moves time forward to {@code nanos}; a monotonic clock must never go back, so that is an error. */
    public void advanceTo(long nanos) {
        if (nanos < now) {
            throw new IllegalArgumentException("time would go backwards: " + nanos + " < " + now);
        }
        now = nanos;
    }

    /** Moves time forward by {@code nanos} (non-negative). */
    public void advanceBy(long nanos) {
        if (nanos < 0) throw new IllegalArgumentException("negative step: " + nanos);
        now += nanos;
    }
}
