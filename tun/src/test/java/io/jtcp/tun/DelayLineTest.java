package io.jtcp.tun;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delay line's release rule, called with the test's own time instead of its thread's. */
class DelayLineTest {
    private final List<String> delivered = new ArrayList<>();
    private final DelayLine line = new DelayLine((p, n) -> delivered.add("stack " + p[0]), (p, n) -> delivered.add("device " + p[0]), 100);

    private static byte[] packet(int id, int length) {
        byte[] p = new byte[length];
        p[0] = (byte) id;
        return p;
    }

    @Test
    void releasesEachPacketAtItsInstantEarliestFirstAcrossDirections() {
        line.offer(line.toStack(), 100, packet(1, 10), 10);
        line.offer(line.toStack(), 300, packet(2, 10), 10);
        line.offer(line.toDevice(), 200, packet(3, 10), 10);

        assertThat(line.deliverDue(99)).isEqualTo(100);
        assertThat(delivered).isEmpty();
        assertThat(line.deliverDue(250)).isEqualTo(300);
        assertThat(delivered).containsExactly("stack 1", "device 3");
        assertThat(line.deliverDue(300)).isEqualTo(Long.MAX_VALUE);
        assertThat(delivered).containsExactly("stack 1", "device 3", "stack 2");
        assertThat(line.held()).isZero();
    }

    @Test
    void aDirectionHoldsAtMostItsLimitAndCountsWhatItDrops() {
        assertThat(line.offer(line.toDevice(), 5, packet(1, 60), 60)).isTrue();
        assertThat(line.offer(line.toDevice(), 6, packet(2, 60), 60)).isFalse();
        assertThat(line.offer(line.toStack(), 6, packet(3, 60), 60)).as("the other direction has its own limit").isTrue();
        assertThat(line.toDevice().overflow()).isEqualTo(1);
        line.deliverDue(10);
        assertThat(line.offer(line.toDevice(), 11, packet(4, 60), 60)).as("room again once released").isTrue();
        assertThat(line.toStack().overflow()).isZero();
    }
}
