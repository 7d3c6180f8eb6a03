package io.jtcp.time;

import java.util.function.Consumer;

/**
 * A hashed timing wheel (Varghese &amp; Lauck, scheme 6): the stack's timers in O(1).
 *
 * <p>Time is cut into ticks of {@code tickNanos} counted from {@code startNanos}; tick
 * {@code k} hashes to slot {@code k & (slots - 1)}. A slot holds a doubly-linked list of
 * every entry whose deadline falls in a tick of that residue, whatever its rotation, so
 * arming and cancelling are a link and an unlink. Entries are intrusive (users extend
 * {@link Entry}) and each slot's list hangs off a sentinel, so no operation allocates.
 *
 * <p>Expiry compares each visited entry's exact deadline with {@code now} rather than
 * counting rounds: an entry fires at the first {@link #expire} whose {@code now} reaches
 * its deadline, never before it and without tick rounding. Entries of later rotations
 * simply stay in their slot when it comes round. A bitmap of non-empty slots lets expiry
 * and {@link #nextDeadline()} skip empty slots 64 at a time.
 *
 * <p>Invariant: an armed entry lives either in the slot of its own tick, which is at or
 * after {@code cursor} (the oldest tick not yet fully expired), or, if its deadline was
 * already past when armed, in the slot of {@code cursor} itself.
 *
 * <p>Not thread-safe: a wheel belongs to its stack's event-loop thread. An entry may be
 * armed on one wheel at a time.
 */
public final class TimerWheel {
    public static final long DEFAULT_TICK_NANOS = 1_000_000;
    public static final int DEFAULT_SLOTS = 4096;
    /** A slot scan found no entry of the current rotation (a real deadline this small just costs a full scan). */
    private static final long NOT_FOUND = Long.MIN_VALUE;

    /** A timer: extend this and keep the instance with the object it times. */
    public abstract static class Entry {
        private Entry prev, next;
        private long deadline;
        private long tick;
        /** Index of the slot whose list holds this entry, or -1 while queued to fire. */
        private int slot = -1;

        protected Entry() {}

        public final boolean isScheduled() {
            return next != null;
        }

        /** The deadline last armed; meaningful while {@link #isScheduled()}. */
        public final long deadline() {
            return deadline;
        }
    }

    private static final class Sentinel extends Entry {
        Sentinel() {
            linkSelf(this);
        }
    }

    private final long tickNanos;
    private final long startNanos;
    private final int mask;
    private final Entry[] slots;
    private final long[] occupied;
    /** Entries collected by {@link #expire} and about to fire; still armed until their turn. */
    private final Entry due = new Sentinel();
    private long cursor;
    private int size;
    /** {@link #nextDeadline()}'s answer, exact while {@link #nextKnown}; arming can only lower it. */
    private long nextCached;
    private boolean nextKnown;

    public TimerWheel(long startNanos) {
        this(DEFAULT_TICK_NANOS, DEFAULT_SLOTS, startNanos);
    }

    public TimerWheel(long tickNanos, int slots, long startNanos) {
        if (tickNanos <= 0) throw new IllegalArgumentException("tick must be positive: " + tickNanos);
        if (slots <= 0 || Integer.bitCount(slots) != 1 || slots > 1 << 30) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.tickNanos = tickNanos;
        this.startNanos = startNanos;
        this.mask = slots - 1;
        this.slots = new Entry[slots];
        for (int i = 0; i < slots; i++) this.slots[i] = new Sentinel();
        this.occupied = new long[(slots + 63) >>> 6];
    }

    public int size() {
        return size;
    }

    public boolean isScheduled(Entry e) {
        return e.isScheduled();
    }

    /**
     * Arms {@code e} for {@code deadlineNanos}, first disarming it if armed. A deadline
     * already past fires at the next {@link #expire}.
     */
    public void schedule(Entry e, long deadlineNanos) {
        cancel(e);
        long tick = tickOf(deadlineNanos);
        int s = (int) (Math.max(tick, cursor) & mask);
        e.deadline = deadlineNanos;
        e.tick = tick;
        e.slot = s;
        linkLast(slots[s], e);
        occupied[s >>> 6] |= 1L << s;
        size++;
        if (nextKnown && deadlineNanos < nextCached) nextCached = deadlineNanos;
    }

    /** Disarms {@code e}; does nothing if it is not armed. */
    public void cancel(Entry e) {
        if (!e.isScheduled()) return;
        remove(e);
        if (nextKnown && e.deadline == nextCached) nextKnown = false;
    }

    /**
     * Fires, in tick order, every entry whose deadline is at or before {@code nowNanos},
     * and returns how many fired. Each entry is disarmed just before its callback runs.
     *
     * <p>Callbacks may arm and cancel anything. Due entries are collected before the
     * first callback runs, so an entry armed from a callback never fires in the same
     * call, even with a deadline at or before {@code nowNanos}: it fires at the next
     * call. That bounds every call and keeps a timer that re-arms itself "now" from
     * looping. Cancelling a collected entry that has not fired yet stops it.
     */
    public int expire(long nowNanos, Consumer<Entry> fire) {
        long nowTick = Math.max(tickOf(nowNanos), cursor);
        if (nowTick - cursor >= slots.length - 1) {
            collectDue(0, slots.length, nowNanos);
        } else {
            int from = (int) (cursor & mask);
            int to = from + (int) (nowTick - cursor) + 1;
            collectDue(from, Math.min(to, slots.length), nowNanos);
            if (to > slots.length) collectDue(0, to - slots.length, nowNanos);
        }
        cursor = nowTick;
        nextKnown = false;
        int fired = 0;
        while (due.next != due) {
            Entry e = due.next;
            remove(e);
            fired++;
            fire.accept(e);
        }
        nextKnown = false;
        return fired;
    }

    /**
     * The earliest armed deadline, exactly, or {@link Long#MAX_VALUE} when nothing is
     * armed; it may be in the past when an entry armed for the past awaits the next
     * {@link #expire}. Scans at most one rotation of non-empty slots, stopping at the
     * first slot holding an entry of the current rotation (none later can be earlier);
     * if there is none, the scan has visited every entry and returns their minimum.
     * The answer is cached until the next expiry or cancellation of that deadline.
     */
    public long nextDeadline() {
        if (size == 0) return Long.MAX_VALUE;
        if (nextKnown) return nextCached;
        int first = (int) (cursor & mask);
        long min = scanFrom(first, slots.length, cursor);
        if (min == NOT_FOUND && first > 0) min = scanFrom(0, first, cursor + (slots.length - first));
        if (min == NOT_FOUND) min = minOfAll();
        nextCached = min;
        nextKnown = true;
        return min;
    }

    /**
     * Looks through occupied slots in [from, to), where slot {@code from} stands for tick
     * {@code tickOfFrom}, for the first slot with an entry of the current rotation; returns
     * the least deadline among that slot's current entries, or NOT_FOUND.
     */
    private long scanFrom(int from, int to, long tickOfFrom) {
        for (int s = nextOccupied(from, to); s >= 0; s = nextOccupied(s + 1, to)) {
            long tick = tickOfFrom + (s - from);
            long min = Long.MAX_VALUE;
            boolean found = false;
            for (Entry e = slots[s].next; e != slots[s]; e = e.next) {
                if (e.tick <= tick) {
                    found = true;
                    min = Math.min(min, e.deadline);
                }
            }
            if (found) return min;
        }
        return NOT_FOUND;
    }

    /** Only later rotations are armed: their least deadline, found by visiting them all. */
    private long minOfAll() {
        long min = Long.MAX_VALUE;
        for (int s = nextOccupied(0, slots.length); s >= 0; s = nextOccupied(s + 1, slots.length)) {
            for (Entry e = slots[s].next; e != slots[s]; e = e.next) min = Math.min(min, e.deadline);
        }
        return min;
    }

    /** Moves the entries due by {@code now} from the slots in [from, to) to the due list. */
    private void collectDue(int from, int to, long now) {
        for (int s = nextOccupied(from, to); s >= 0; s = nextOccupied(s + 1, to)) {
            Entry head = slots[s];
            for (Entry e = head.next, next; e != head; e = next) {
                next = e.next;
                if (e.deadline <= now) {
                    unlinkFromSlot(e);
                    e.slot = -1;
                    linkLast(due, e);
                }
            }
        }
    }

    /** The first occupied slot in [from, to), or -1. */
    private int nextOccupied(int from, int to) {
        if (from >= to) return -1;
        int word = from >>> 6;
        long bits = occupied[word] & (-1L << from);
        while (true) {
            if (bits != 0) {
                int s = (word << 6) + Long.numberOfTrailingZeros(bits);
                return s < to ? s : -1;
            }
            if (++word << 6 >= to) return -1;
            bits = occupied[word];
        }
    }

    private void remove(Entry e) {
        unlinkFromSlot(e);
        e.prev = e.next = null;
        e.slot = -1;
        size--;
    }

    private void unlinkFromSlot(Entry e) {
        e.prev.next = e.next;
        e.next.prev = e.prev;
        int s = e.slot;
        if (s >= 0 && slots[s].next == slots[s]) occupied[s >>> 6] &= ~(1L << s);
    }

    private static void linkLast(Entry head, Entry e) {
        e.prev = head.prev;
        e.next = head;
        head.prev.next = e;
        head.prev = e;
    }

    private static void linkSelf(Entry head) {
        head.prev = head.next = head;
    }

    /** The tick holding {@code t}; saturates rather than overflowing for deadlines near the ends of time. */
    private long tickOf(long t) {
        long d = t - startNanos;
        if (((t ^ startNanos) & (t ^ d)) < 0) d = t < startNanos ? Long.MIN_VALUE : Long.MAX_VALUE;
        return Math.floorDiv(d, tickNanos);
    }
}
