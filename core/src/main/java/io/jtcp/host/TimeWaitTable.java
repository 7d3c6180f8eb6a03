package io.jtcp.host;

import java.util.Arrays;

/**
 * The storage of a stack's TIME_WAIT entries: struct-of-arrays, no object per
 * entry (DESIGN.md's budget is 64 bytes an entry; a Linux tcp_timewait_sock
 * takes about 256). An entry is an index into parallel primitive arrays:
 *
 * <pre>
 *   key            long  8   the low 32 bits of the remote address (all of an IPv4 one) and both ports
 *   local          char  2   the local address, as an index into the stack's LocalAddresses
 *   sndNxt         int   4   SND.NXT (one past our FIN)
 *   rcvNxt         int   4   RCV.NXT (one past the peer's FIN)
 *   tsRecent       int   4   TS.Recent
 *   tsStamp        int   4   when TS.Recent was taken, in milliseconds (wrapping, like Linux's tw_ts_recent_stamp)
 *   tsOffset       int   4   the connection's timestamp clock offset (RFC 7323 §5.4)
 *   expiry         long  8   when 2MSL runs out
 *   window         char  2   the window field of the TIME_WAIT ACK (Linux's tw_rcv_wnd)
 *   flags          byte  1   in use, timestamps on, SO_REUSEADDR share of the port, which queue
 *   prev, next     int   8   the entry's expiry queue; {@code next} also links the free list
 *   chain          int   4   the hash chain
 *   buckets        int   2-4 one hash bucket head per one or two slots (a power of two)
 *                       ---
 *                     55-57 bytes a slot; slots grow by an eighth past 2^20
 * </pre>
 *
 * <p>A wide table, for IPv6, also keeps the remote address's 128 bits in two more
 * {@code long} arrays: 71-73 bytes a slot. IPv4 entries live in a narrow table and pay
 * nothing for IPv6.
 *
 * <p>Lookup is O(1): a chained hash over the arrays, keyed by the packed ports and address bits.
 * Expiry is O(1): entries sit in one of two doubly linked queues, each ordered by
 * expiry. {@link #FULL} holds entries that live 2MSL from their last (re)start, so
 * a new or restarted entry always belongs at its tail. {@link #RECYCLED} holds the
 * entries tcp_tw_recycle shortened to 3.5 RTO; RTOs differ between connections, so
 * an entry is inserted by walking back from the tail, which stops at once when the
 * RTOs are alike (a mixed queue would make every short entry walk past up to 2MSL's
 * worth of long ones). The next entry to expire is the earlier of the two heads.
 *
 * <p>Not thread-safe: the stack's thread owns it.
 */
final class TimeWaitTable {
    static final int NONE = -1;
    /** The queues: entries living 2MSL, and entries tcp_tw_recycle shortened. */
    static final int FULL = 0, RECYCLED = 1;
    private static final byte IN_USE = 1, TS_OK = 2, REUSE_ADDR = 4, IN_RECYCLED = 8;

    private final boolean wide;
    private long[] key;
    private char[] local;
    /** Wide tables only: the remote IPv6 address. */
    private long[] remoteHi, remoteLo;
    private int[] sndNxt, rcvNxt, tsRecent, tsStamp, tsOffset;
    private long[] expiry;
    private char[] window;
    private byte[] flags;
    private int[] prev, next, chain, buckets;
    private int capacity, mask, size;
    private final int[] head = {NONE, NONE}, tail = {NONE, NONE};
    private int free = NONE;
    /** Slots never used yet, from {@code fresh} to capacity: the free list only holds released ones. */
    private int fresh;

    TimeWaitTable(boolean wide) {
        this(wide, 16);
    }

    TimeWaitTable(boolean wide, int initialCapacity) {
        this.wide = wide;
        allocate(Integer.highestOneBit(Math.max(4, initialCapacity - 1)) << 1);
        Arrays.fill(buckets, NONE);
    }

    int size() { return size; }

    int capacity() { return capacity; }

    /** The entry of packed key {@code k} at local address index {@code local} (and, if wide, remote {@code hi, lo}), or {@link #NONE}. */
    int find(long k, int local, long hi, long lo) {
        for (int i = buckets[bucket(k)]; i != NONE; i = chain[i]) {
            if (key[i] == k && this.local[i] == local && (!wide || remoteHi[i] == hi && remoteLo[i] == lo)) return i;
        }
        return NONE;
    }

    /** Adds a 2MSL entry (the caller knows {@code k} is not present). */
    int add(long k, int local, long hi, long lo, int sndNxt, int rcvNxt, int window, boolean tsOk, int tsRecent, int tsStampMs, int tsOffset,
            boolean reuseAddr, long expiresAt) {
        return add(k, local, hi, lo, sndNxt, rcvNxt, window, tsOk, tsRecent, tsStampMs, tsOffset, reuseAddr, expiresAt, FULL);
    }

    /** Adds an entry to {@code queue}, in expiry order (the caller knows {@code k} is not present). */
    int add(long k, int local, long hi, long lo, int sndNxt, int rcvNxt, int window, boolean tsOk, int tsRecent,
            int tsStampMs, int tsOffset, boolean reuseAddr, long expiresAt, int queue) {
        if (free == NONE && fresh == capacity) grow();
        int i;
        if (free != NONE) {
            i = free;
            free = next[i];
        } else {
            i = fresh++;
        }
        key[i] = k;
        this.local[i] = (char) local;
        if (wide) {
            remoteHi[i] = hi;
            remoteLo[i] = lo;
        }
        this.sndNxt[i] = sndNxt;
        this.rcvNxt[i] = rcvNxt;
        this.window[i] = (char) window;
        this.tsRecent[i] = tsRecent;
        this.tsStamp[i] = tsStampMs;
        this.tsOffset[i] = tsOffset;
        flags[i] = (byte) (IN_USE | (tsOk ? TS_OK : 0) | (reuseAddr ? REUSE_ADDR : 0));
        int b = bucket(k);
        chain[i] = buckets[b];
        buckets[b] = i;
        expiry[i] = expiresAt;
        insert(i, queue);
        size++;
        return i;
    }

    void remove(int i) {
        if ((flags[i] & IN_USE) == 0) throw new IllegalStateException("entry " + i + " is not in use");
        int b = bucket(key[i]);
        if (buckets[b] == i) {
            buckets[b] = chain[i];
        } else {
            int j = buckets[b];
            while (chain[j] != i) j = chain[j];
            chain[j] = chain[i];
        }
        unlink(i);
        flags[i] = 0;
        next[i] = free;
        free = i;
        size--;
    }

    /** Restarts the entry's life: it moves to {@code queue} (a recycled entry restarted lives 2MSL), in expiry order. */
    void restart(int i, long expiresAt, int queue) {
        unlink(i);
        expiry[i] = expiresAt;
        insert(i, queue);
    }

    /** The entry that expires first, or {@link #NONE}. */
    int head() {
        int f = head[FULL], r = head[RECYCLED];
        if (f == NONE) return r;
        return r == NONE || expiry[f] <= expiry[r] ? f : r;
    }

    /** The entry that expires first in {@code queue}, or {@link #NONE}. */
    int first(int queue) { return head[queue]; }

    /** The entry after {@code i} in its queue's expiry order, or {@link #NONE}. */
    int next(int i) { return next[i]; }

    int queue(int i) { return (flags[i] & IN_RECYCLED) != 0 ? RECYCLED : FULL; }

    long key(int i) { return key[i]; }
    int local(int i) { return local[i]; }
    long remoteHi(int i) { return remoteHi[i]; }
    long remoteLo(int i) { return remoteLo[i]; }
    int sndNxt(int i) { return sndNxt[i]; }
    int rcvNxt(int i) { return rcvNxt[i]; }
    int window(int i) { return window[i]; }
    boolean tsOk(int i) { return (flags[i] & TS_OK) != 0; }
    int tsRecent(int i) { return tsRecent[i]; }
    int tsStampMs(int i) { return tsStamp[i]; }
    int tsOffset(int i) { return tsOffset[i]; }
    boolean reuseAddr(int i) { return (flags[i] & REUSE_ADDR) != 0; }
    long expiry(int i) { return expiry[i]; }

    void updateTimestamp(int i, int tsVal, int stampMs) {
        tsRecent[i] = tsVal;
        tsStamp[i] = stampMs;
    }

    /** Bytes held by the arrays, measured from their lengths, for the 64-bytes-an-entry budget. */
    long arrayBytes() {
        return 8L * (key.length + expiry.length) + (wide ? 16L * remoteHi.length : 0) + 2L * local.length
                + 4L * (sndNxt.length + rcvNxt.length + tsRecent.length + tsStamp.length + tsOffset.length)
                + 2L * window.length + flags.length
                + 4L * (prev.length + next.length + chain.length + buckets.length);
    }

    /** Links {@code i} into {@code queue} after the last entry that expires no later than it. */
    private void insert(int i, int queue) {
        flags[i] = (byte) (queue == RECYCLED ? flags[i] | IN_RECYCLED : flags[i] & ~IN_RECYCLED);
        int p = tail[queue];
        while (p != NONE && expiry[p] > expiry[i]) p = prev[p];
        int n = p == NONE ? head[queue] : next[p];
        prev[i] = p;
        next[i] = n;
        if (p == NONE) head[queue] = i;
        else next[p] = i;
        if (n == NONE) tail[queue] = i;
        else prev[n] = i;
    }

    private void unlink(int i) {
        int q = queue(i);
        int p = prev[i], n = next[i];
        if (p == NONE) head[q] = n;
        else next[p] = n;
        if (n == NONE) tail[q] = p;
        else prev[n] = p;
    }

    private int bucket(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void allocate(int n) {
        capacity = n;
        mask = n - 1;
        key = new long[n];
        local = new char[n];
        if (wide) {
            remoteHi = new long[n];
            remoteLo = new long[n];
        }
        sndNxt = new int[n];
        rcvNxt = new int[n];
        tsRecent = new int[n];
        tsStamp = new int[n];
        tsOffset = new int[n];
        expiry = new long[n];
        window = new char[n];
        flags = new byte[n];
        prev = new int[n];
        next = new int[n];
        chain = new int[n];
        buckets = new int[n];
    }

    /**
     * Grows every array; entries keep their indices (so the queues and free list stay
     * valid), the buckets are rebuilt. Small tables double; from 2^20 slots on they grow
     * by an eighth, so a table of millions wastes at most 12.5% of its slots (doubling
     * left 10M entries in 16.7M slots: 92 bytes an entry against a budget of 64). The
     * bucket array stays a power of two no larger than the slots, so chains average at
     * most two entries.
     */
    private void grow() {
        int n = capacity < 1 << 20 ? capacity * 2 : (int) Math.min(Integer.MAX_VALUE - 8, capacity + (long) (capacity >> 3));
        capacity = n;
        key = Arrays.copyOf(key, n);
        local = Arrays.copyOf(local, n);
        if (wide) {
            remoteHi = Arrays.copyOf(remoteHi, n);
            remoteLo = Arrays.copyOf(remoteLo, n);
        }
        sndNxt = Arrays.copyOf(sndNxt, n);
        rcvNxt = Arrays.copyOf(rcvNxt, n);
        tsRecent = Arrays.copyOf(tsRecent, n);
        tsStamp = Arrays.copyOf(tsStamp, n);
        tsOffset = Arrays.copyOf(tsOffset, n);
        expiry = Arrays.copyOf(expiry, n);
        window = Arrays.copyOf(window, n);
        flags = Arrays.copyOf(flags, n);
        prev = Arrays.copyOf(prev, n);
        next = Arrays.copyOf(next, n);
        chain = Arrays.copyOf(chain, n);
        int b = Integer.highestOneBit(n);
        if (b != buckets.length) {
            mask = b - 1;
            buckets = new int[b];
        }
        Arrays.fill(buckets, NONE);
        for (int i = 0; i < fresh; i++) {
            if ((flags[i] & IN_USE) == 0) continue;
            int h = bucket(key[i]);
            chain[i] = buckets[h];
            buckets[h] = i;
        }
    }
}
