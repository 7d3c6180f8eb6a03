package io.jtcp.host;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimeWaitTableTest {

    private static int add(TimeWaitTable t, long key, long expiry) {
        return t.add(key, 0, 0, 0, (int) key, (int) key + 1, 100, true, 7, 0, 0, false, expiry);
    }

    @Test
    void entriesPastTwoToTheTwentyFitTheBudgetOf64BytesEach() {
        // 1.5M entries: past 2^20 slots the table grows by an eighth (doubling would give 16.7M slots to 10M entries).
        TimeWaitTable t = new TimeWaitTable(false);
        int n = 1_500_000;
        for (int i = 0; i < n; i++) add(t, TimeWait.key(40000, i & 0xFFFF, 0x0A000000 + (i >>> 16)), i);
        assertThat(t.size()).isEqualTo(n);
        double perEntry = (double) t.arrayBytes() / n;
        System.out.printf("TIME_WAIT table: %d entries, %d bytes of arrays, %.1f bytes/entry%n", n, t.arrayBytes(), perEntry);
        assertThat(perEntry).isLessThanOrEqualTo(64.0);
        // Every entry is still found after the table grew under it.
        for (int i = 0; i < n; i += 9973) {
            int e = t.find(TimeWait.key(40000, i & 0xFFFF, 0x0A000000 + (i >>> 16)), 0, 0, 0);
            assertThat(e).isNotEqualTo(TimeWaitTable.NONE);
            assertThat(t.expiry(e)).isEqualTo(i);
        }
    }

    @Test
    void theFifoStaysInExpiryOrderThroughRestartsAndRemovals() {
        TimeWaitTable t = new TimeWaitTable(false, 4);
        int a = add(t, 1, 10), b = add(t, 2, 20), c = add(t, 3, 30);
        t.restart(a, 40, TimeWaitTable.FULL);
        assertThat(order(t)).containsExactly(2L, 3L, 1L);
        t.remove(c);
        assertThat(order(t)).containsExactly(2L, 1L);
        assertThat(t.find(3, 0, 0, 0)).isEqualTo(TimeWaitTable.NONE);
        int d = add(t, 4, 50);
        assertThat(d).as("a freed slot is reused").isEqualTo(c);
        t.remove(b);
        t.remove(a);
        t.remove(d);
        assertThat(t.size()).isZero();
        assertThat(t.head()).isEqualTo(TimeWaitTable.NONE);
    }

    @Test
    void collidingKeysAreFoundAndRemovedIndependently() {
        TimeWaitTable t = new TimeWaitTable(false, 4);
        List<Integer> idx = new ArrayList<>();
        for (long k = 0; k < 64; k++) idx.add(add(t, k << 32, k));
        for (long k = 0; k < 64; k += 2) t.remove(t.find(k << 32, 0, 0, 0));
        for (long k = 0; k < 64; k++) {
            assertThat(t.find(k << 32, 0, 0, 0) != TimeWaitTable.NONE).isEqualTo(k % 2 == 1);
        }
        assertThat(t.size()).isEqualTo(32);
    }

    @Test
    void recycledEntriesKeepAQueueOfTheirOwnSortedByExpiryAndTheHeadIsTheEarlierOfBoth() {
        TimeWaitTable t = new TimeWaitTable(false, 4);
        int full = add(t, 1, 60_000);
        int slow = t.add(2, 0, 0, 0, 0, 0, 0, true, 0, 0, 0, false, 700, TimeWaitTable.RECYCLED);
        int fast = t.add(3, 0, 0, 0, 0, 0, 0, true, 0, 0, 0, false, 400, TimeWaitTable.RECYCLED);
        assertThat(queue(t, TimeWaitTable.RECYCLED)).as("RTOs differ: sorted, not FIFO").containsExactly(3L, 2L);
        assertThat(t.head()).isEqualTo(fast);
        t.remove(fast);
        assertThat(t.head()).isEqualTo(slow);
        // A segment restarts a recycled entry at the full 2MSL, in the other queue.
        t.restart(slow, 61_000, TimeWaitTable.FULL);
        assertThat(t.queue(slow)).isEqualTo(TimeWaitTable.FULL);
        assertThat(queue(t, TimeWaitTable.FULL)).containsExactly(1L, 2L);
        assertThat(t.first(TimeWaitTable.RECYCLED)).isEqualTo(TimeWaitTable.NONE);
        assertThat(t.head()).isEqualTo(full);
    }

    private static List<Long> queue(TimeWaitTable t, int q) {
        List<Long> keys = new ArrayList<>();
        for (int i = t.first(q); i != TimeWaitTable.NONE; i = t.next(i)) keys.add(t.key(i));
        return keys;
    }

    private static List<Long> order(TimeWaitTable t) {
        List<Long> keys = new ArrayList<>();
        for (int i = t.head(); i != TimeWaitTable.NONE; i = t.next(i)) keys.add(t.key(i));
        return keys;
    }
}
