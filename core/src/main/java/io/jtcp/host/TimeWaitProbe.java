package io.jtcp.host;

import java.util.SplittableRandom;

/**
 * The benchmark's handle on the host's TIME_WAIT table (package-private): fills
 * one with keys packed as the stack packs them and looks them up, so the harness can
 * weigh the table with nothing else in the heap.
 */
public final class TimeWaitProbe {
    private TimeWaitTable table = new TimeWaitTable();

    /** The key of the {@code i}th entry: a remote address per 64,512 ports, like a busy client's. */
    static long key(long i) {
        return Stack.key(0x0a000000 + (int) (i / 64_512), 1024 + (int) (i % 64_512), 80);
    }

    /** Adds entries 0..n-1. */
    public void fill(long n) {
        for (long i = 0; i < n; i++) {
            table.add(key(i), (int) i, (int) ~i, 65535, true, (int) i, (int) i, 7, false, i);
        }
    }

    /** Looks up {@code n} random present keys; returns how many were found (all of them). */
    public long lookups(long n, long present, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long found = 0;
        for (long i = 0; i < n; i++) {
            if (table.find(key(r.nextLong(present))) != TimeWaitTable.NONE) found++;
        }
        return found;
    }

    public int size() { return table.size(); }

    /** Bytes the table's arrays hold, from their lengths. */
    public long arrayBytes() { return table.arrayBytes(); }

    public void clear() { table = new TimeWaitTable(); }
}
