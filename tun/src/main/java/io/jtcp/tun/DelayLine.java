package io.jtcp.tun;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Packets held until their release instant, for both directions of an impaired
 * {@link TunLink}: each direction a FIFO (release instants never decrease within one, see
 * {@link ImpairedDirection}), one thread that sleeps until the earliest head is due and
 * hands it on. The reader thread and the stack's thread only enqueue, so neither waits
 * for a delay. Each direction holds at most {@code limitBytes}; a packet beyond that is
 * dropped and counted, as netem's {@code limit} does.
 *
 * <p>{@link #deliverDue(long)} is the whole release rule; the thread only calls it with
 * the time, so tests call it with theirs.
 */
final class DelayLine implements AutoCloseable {
    /** Where a released packet goes: the stack, or the device. */
    interface Sink {
        void deliver(byte[] packet, int length);
    }

    private record Held(long at, byte[] packet, int length) {}

    /** One direction: its queue, the bytes in it, and where its packets go. */
    static final class Fifo {
        private final ArrayDeque<Held> queue = new ArrayDeque<>();
        private final Sink sink;
        private long bytes;
        private final LongAdder overflow = new LongAdder();

        private Fifo(Sink sink) { this.sink = sink; }

        /** Packets dropped because this direction already held its limit. */
        long overflow() { return overflow.sum(); }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final long limitBytes;
    private final Fifo toStack, toDevice;
    private volatile boolean stopping;
    private Thread thread;

    DelayLine(Sink toStack, Sink toDevice, long limitBytes) {
        this.toStack = new Fifo(toStack);
        this.toDevice = new Fifo(toDevice);
        this.limitBytes = limitBytes;
    }

    Fifo toStack() { return toStack; }
    Fifo toDevice() { return toDevice; }

    /** Holds {@code packet} (now the line's own) until {@code at}; false, counted, when the direction is full. */
    boolean offer(Fifo f, long at, byte[] packet, int length) {
        lock.lock();
        try {
            if (f.bytes + length > limitBytes) {
                f.overflow.increment();
                return false;
            }
            boolean wasEmpty = f.queue.isEmpty();
            f.queue.addLast(new Held(at, packet, length));
            f.bytes += length;
            // A new head may be due before what the thread sleeps towards; a packet behind
            // another is never due before it.
            if (wasEmpty) changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands on every held packet due at {@code now}, earliest first across the two
     * directions (outside the lock, so enqueuers never wait for a delivery); returns the
     * instant the next one is due, or {@link Long#MAX_VALUE} when none is held.
     */
    long deliverDue(long now) {
        while (true) {
            Fifo f;
            Held h;
            lock.lock();
            try {
                f = earliest();
                if (f == null) return Long.MAX_VALUE;
                h = f.queue.peekFirst();
                if (h.at - now > 0) return h.at;
                f.queue.pollFirst();
                f.bytes -= h.length;
            } finally {
                lock.unlock();
            }
            f.sink.deliver(h.packet, h.length);
        }
    }

    /** Packets held in both directions. */
    int held() {
        lock.lock();
        try {
            return toStack.queue.size() + toDevice.queue.size();
        } finally {
            lock.unlock();
        }
    }

    private Fifo earliest() {
        Held a = toStack.queue.peekFirst(), b = toDevice.queue.peekFirst();
        if (a == null) return b == null ? null : toDevice;
        if (b == null) return toStack;
        return b.at - a.at < 0 ? toDevice : toStack;
    }

    /** Starts the releasing thread. */
    void start(String name) {
        thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    private void run() {
        while (!stopping) {
            long next = deliverDue(System.nanoTime());
            lock.lock();
            try {
                if (stopping) return;
                long wait = next == Long.MAX_VALUE ? TimeUnit.MILLISECONDS.toNanos(100) : next - System.nanoTime();
                // An offer between deliverDue and here may have put an earlier head in place
                // while nobody waited for its signal: look again rather than sleep past it.
                if (wait > 0 && earliestAt() - next >= 0) changed.awaitNanos(wait);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    private long earliestAt() {
        Fifo f = earliest();
        return f == null ? Long.MAX_VALUE : f.queue.peekFirst().at;
    }

    /** Stops the thread; packets still held are dropped with it. */
    @Override
    public void close() {
        stopping = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
