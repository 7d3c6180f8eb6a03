package io.jtcp.time;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VirtualClockTest {
    @Test
    void movesOnlyWhenTold() {
        VirtualClock c = new VirtualClock(100);
        assertThat(c.nanoTime()).isEqualTo(100);
        c.advanceTo(150);
        c.advanceBy(10);
        assertThat(c.nanoTime()).isEqualTo(160);
        c.set(5);
        assertThat(c.nanoTime()).isEqualTo(5);
    }

    @Test
    void refusesToGoBackwards() {
        VirtualClock c = new VirtualClock(100);
        assertThatThrownBy(() -> c.advanceTo(99)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.advanceBy(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.nanoTime()).isEqualTo(100);
    }
}
