package io.jtcp.time;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The wheel against a reference model (a sorted map of deadlines) under random operations. */
class TimerWheelModelTest {
    sealed interface Op permits Schedule, Cancel, Advance, SleepUntilNext {}
    record Schedule(int id, long delay) implements Op {}
    record Cancel(int id) implements Op {}
    record Advance(long step) implements Op {}
    record SleepUntilNext() implements Op {}

    record Geometry(long tick, int slots, long start) {}

    static final class Timer extends TimerWheel.Entry {
        final int id;
        Timer(int id) { this.id = id; }
    }

    @Property(tries = 300)
    void behavesLikeAPriorityQueue(@ForAll("geometries") Geometry g, @ForAll("ops") List<Op> ops) {
        TimerWheel wheel = new TimerWheel(g.tick(), g.slots(), g.start());
        Map<Integer, Timer> timers = new HashMap<>();
        Map<Integer, Long> model = new HashMap<>();
        long now = g.start();
        for (Op op : ops) {
            switch (op) {
                case Schedule s -> {
                    Timer t = timers.computeIfAbsent(s.id(), Timer::new);
                    wheel.schedule(t, now + s.delay());
                    model.put(s.id(), now + s.delay());
                }
                case Cancel c -> {
                    Timer t = timers.get(c.id());
                    if (t != null) wheel.cancel(t);
                    model.remove(c.id());
                }
                case Advance a -> now = expireAndCheck(wheel, model, now + a.step());
                case SleepUntilNext x -> {
                    long next = wheel.nextDeadline();
                    if (next != Long.MAX_VALUE) now = expireAndCheck(wheel, model, Math.max(now, next));
                }
            }
            assertThat(wheel.size()).isEqualTo(model.size());
            for (Timer t : timers.values()) assertThat(t.isScheduled()).isEqualTo(model.containsKey(t.id));
            long earliest = model.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
            assertThat(wheel.nextDeadline()).isEqualTo(earliest);
        }
        // Drain: sleeping from deadline to deadline fires everything left, each once.
        while (wheel.nextDeadline() != Long.MAX_VALUE) {
            now = expireAndCheck(wheel, model, Math.max(now, wheel.nextDeadline()));
        }
        assertThat(model).isEmpty();
    }

    /** Expires at {@code now}: exactly the model's due entries fire, once each, none early. */
    private static long expireAndCheck(TimerWheel wheel, Map<Integer, Long> model, long now) {
        List<Integer> fired = new ArrayList<>();
        int n = wheel.expire(now, e -> {
            Timer t = (Timer) e;
            assertThat(t.isScheduled()).isFalse();
            assertThat(t.deadline()).isLessThanOrEqualTo(now);
            fired.add(t.id);
        });
        assertThat(n).isEqualTo(fired.size());
        TreeMap<Integer, Long> due = new TreeMap<>();
        model.forEach((id, d) -> { if (d <= now) due.put(id, d); });
        assertThat(fired).containsExactlyInAnyOrderElementsOf(due.keySet());
        due.keySet().forEach(model::remove);
        return now;
    }

    @Provide
    Arbitrary<Geometry> geometries() {
        return Combinators.combine(
                Arbitraries.of(1L, 1_000L, 1_000_000L),
                Arbitraries.of(1, 2, 8, 64, 4096),
                Arbitraries.of(0L, 123_456_789L, -4_000_000_000_000L))
            .as(Geometry::new);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> ids = Arbitraries.integers().between(0, 15);
        Arbitrary<Long> delays = Arbitraries.oneOf(
                Arbitraries.longs().between(-5_000_000L, 0L),                       // already past
                Arbitraries.longs().between(0L, 10_000_000L),                      // within a few ticks
                Arbitraries.longs().between(0L, 20_000_000_000L),                  // seconds: many rotations
                Arbitraries.longs().between(3_600_000_000_000L, 7_200_000_000_000L)); // hours
        Arbitrary<Long> steps = Arbitraries.oneOf(
                Arbitraries.longs().between(0L, 3_000_000L),
                Arbitraries.longs().between(0L, 30_000_000_000L),
                Arbitraries.longs().between(0L, 8_000_000_000_000L));
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Combinators.combine(ids, delays).as(Schedule::new)),
                net.jqwik.api.Tuple.of(2, ids.map(Cancel::new)),
                net.jqwik.api.Tuple.of(3, steps.map(Advance::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new SleepUntilNext())));
        return op.list().ofMaxSize(60);
    }
}
