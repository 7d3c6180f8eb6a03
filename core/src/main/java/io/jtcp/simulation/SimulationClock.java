package io.jtcp.simulation;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * The simulation's time as a {@link Clock} (and so an {@link java.time.InstantSource}):
 * a fixed epoch plus the virtual nanoseconds elapsed, so code that takes a clock reads
 * virtual time and stays deterministic. {@code System.currentTimeMillis()} and
 * {@code Instant.now()} still read the machine's clock; code that reads those directly
 * is not deterministic.
 */
final class SimulationClock extends Clock {
    private final Instant epoch;
    private final LongSupplier nanos;
    private final ZoneId zone;

    SimulationClock(Instant epoch, LongSupplier nanos, ZoneId zone) {
        this.epoch = epoch;
        this.nanos = nanos;
        this.zone = zone;
    }

    SimulationClock(Instant epoch, LongSupplier nanos) {
        this(epoch, nanos, ZoneOffset.UTC);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new SimulationClock(epoch, nanos, z);
    }

    @Override
    public Instant instant() {
        return epoch.plusNanos(nanos.getAsLong());
    }

    @Override
    public long millis() {
        return instant().toEpochMilli();
    }
}
