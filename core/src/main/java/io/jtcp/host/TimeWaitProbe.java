package io.jtcp.host;

import io.jtcp.tcp.TimeWaitFacts;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.IpAddress;
import java.util.SplittableRandom;

/**
 * The benchmark's handle on the host's TIME_WAIT table (package-private): fills
 * one with keys packed as the stack packs them and looks them up, so the harness can
 * weigh the table with nothing else in the heap.
 */
public final class TimeWaitProbe {
    private final boolean v6;
    private TimeWaitTable table;

    /** A probe of the IPv4 table, or ({@code v6}) of the wide one IPv6 entries live in. */
    public TimeWaitProbe(boolean v6) {
        this.v6 = v6;
        this.table = new TimeWaitTable(v6);
    }

    /** The key of the {@code i}th entry: a remote address per 64,512 ports, like a busy client's. */
    static long key(long i) {
        return TimeWait.key(1024 + (int) (i % 64_512), 80, 0x0a000000 + (int) (i / 64_512));
    }

    private long remoteHi() {
        return v6 ? 0xfd00_0000_0000_0000L : 0;
    }

    /** Adds entries 0..n-1. */
    public void fill(long n) {
        for (long i = 0; i < n; i++) {
            table.add(key(i), 2, remoteHi(), 0x0a000000L + i / 64_512, (int) i, (int) ~i, 65535, true, (int) i, (int) i, 7, false, i);
        }
    }

    /**
     * Puts {@code n} entries into {@code stack}'s own TIME_WAIT table by the path a closing
     * connection takes ({@link TimeWait#enter}): local port {@code localPort} of the stack's
     * address, remotes from 10.2.0.0 with 64,512 ports each. The stack's
     * {@code tcp_max_tw_buckets} must admit them.
     */
    public static void fill(Stack stack, int localPort, long n, long now) {
        IpAddress local = stack.address();
        for (long i = 0; i < n; i++) {
            FourTuple t = new FourTuple(local, localPort,
                    IpAddress.v4(0x0a020000 + (int) (i / 64_512)), 1024 + (int) (i % 64_512));
            stack.timeWait().enter(t, false, new TimeWaitFacts((int) i, (int) ~i, 65535, false, 0, now, 0,
                    1_000_000_000L), now);
        }
    }

    /** Looks up {@code n} random present keys; returns how many were found (all of them). */
    public long lookups(long n, long present, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long found = 0;
        for (long i = 0; i < n; i++) {
            long k = r.nextLong(present);
            if (table.find(key(k), 2, remoteHi(), 0x0a000000L + k / 64_512) != TimeWaitTable.NONE) found++;
        }
        return found;
    }

    public int size() { return table.size(); }

    /** Bytes the table's arrays hold, from their lengths. */
    public long arrayBytes() { return table.arrayBytes(); }

    public void clear() { table = new TimeWaitTable(v6); }
}
