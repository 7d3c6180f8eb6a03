package io.jtcp.time;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class TimerWheelTest {
    static final long MS = 1_000_000;
    static final long HOUR = 3_600_000 * MS;

    static final class Timer extends TimerWheel.Entry {
        final String name;
        Timer(String name) { this.name = name; }
    }

    final TimerWheel wheel = new TimerWheel(0);
    final List<String> fired = new ArrayList<>();

    int expire(long now) {
        return wheel.expire(now, e -> fired.add(((Timer) e).name));
    }

    @Test
    void firesAtItsDeadlineAndNotBefore() {
        Timer t = new Timer("rto");
        wheel.schedule(t, 200 * MS + 300);
        assertThat(wheel.nextDeadline()).isEqualTo(200 * MS + 300);
        assertThat(expire(200 * MS + 299)).isZero();
        assertThat(t.isScheduled()).isTrue();
        assertThat(expire(200 * MS + 300)).isOne();
        assertThat(fired).containsExactly("rto");
        assertThat(t.isScheduled()).isFalse();
        assertThat(wheel.size()).isZero();
        assertThat(wheel.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void cancelledAndRescheduledTimers() {
        Timer a = new Timer("a"), b = new Timer("b");
        wheel.schedule(a, 10 * MS);
        wheel.schedule(b, 20 * MS);
        wheel.cancel(a);
        wheel.cancel(a);
        assertThat(wheel.nextDeadline()).isEqualTo(20 * MS);
        wheel.schedule(b, 30 * MS);
        assertThat(wheel.size()).isOne();
        assertThat(expire(25 * MS)).isZero();
        assertThat(expire(30 * MS)).isOne();
        assertThat(fired).containsExactly("b");
    }

    @Test
    void aDeadlineInThePastFiresAtTheNextExpire() {
        expire(50 * MS);
        Timer late = new Timer("late");
        wheel.schedule(late, 10 * MS);
        assertThat(wheel.nextDeadline()).isEqualTo(10 * MS);
        assertThat(expire(50 * MS)).isOne();
    }

    @Test
    void aTimerReArmedForNowFromItsCallbackFiresAtTheNextCallNotThisOne() {
        Timer t = new Timer("t");
        wheel.schedule(t, 5 * MS);
        Consumer<TimerWheel.Entry> rearmNow = e -> {
            fired.add(((Timer) e).name);
            wheel.schedule(e, 5 * MS);
        };
        assertThat(wheel.expire(5 * MS, rearmNow)).isOne();
        assertThat(t.isScheduled()).isTrue();
        assertThat(wheel.expire(5 * MS, rearmNow)).isOne();
        assertThat(fired).containsExactly("t", "t");
    }

    @Test
    void cancellingADueTimerFromAnotherCallbackStopsIt() {
        Timer a = new Timer("a"), b = new Timer("b");
        wheel.schedule(a, MS);
        wheel.schedule(b, MS);
        int n = wheel.expire(MS, e -> {
            fired.add(((Timer) e).name);
            wheel.cancel(e == a ? b : a);
        });
        assertThat(n).isOne();
        assertThat(fired).containsExactly("a");
        assertThat(wheel.size()).isZero();
    }

    @Test
    void farFutureDeadlinesSurviveManyRotations() {
        Timer soon = new Timer("soon"), keepalive = new Timer("keepalive");
        wheel.schedule(keepalive, 2 * HOUR + 7);
        wheel.schedule(soon, 3 * MS);
        assertThat(wheel.nextDeadline()).isEqualTo(3 * MS);
        expire(3 * MS);
        assertThat(wheel.nextDeadline()).isEqualTo(2 * HOUR + 7);
        // Stepping through every rotation fires nothing early.
        for (long t = 0; t < 2 * HOUR; t += 4 * MS * 1000) expire(t);
        assertThat(fired).containsExactly("soon");
        expire(2 * HOUR + 7);
        assertThat(fired).containsExactly("soon", "keepalive");
    }

    @Test
    void oneBigJumpFiresEverythingDueInTickOrder() {
        for (int i = 5; i >= 1; i--) wheel.schedule(new Timer("h" + i), i * HOUR);
        wheel.schedule(new Timer("never"), 10 * HOUR);
        assertThat(expire(5 * HOUR)).isEqualTo(5);
        assertThat(fired).containsExactlyInAnyOrder("h1", "h2", "h3", "h4", "h5");
        assertThat(wheel.nextDeadline()).isEqualTo(10 * HOUR);
    }

    @Test
    void worksWithANegativeStartLikeSystemNanoTime() {
        long start = Long.MIN_VALUE / 2;
        TimerWheel w = new TimerWheel(MS, 8, start);
        Timer t = new Timer("t"), never = new Timer("never");
        w.schedule(t, start + 100 * MS);
        w.schedule(never, Long.MAX_VALUE);
        assertThat(w.nextDeadline()).isEqualTo(start + 100 * MS);
        assertThat(w.expire(start + 100 * MS, e -> fired.add(((Timer) e).name))).isOne();
        assertThat(w.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(w.size()).isOne();
    }
}
