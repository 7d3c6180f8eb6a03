package io.jtcp.bench;

import io.jtcp.host.Stack;
import io.jtcp.link.PacketSink;
import java.util.function.LongSupplier;

/**
 * A synchronous in-memory link for benchmarks: every stack's {@link PacketSink} copies
 * the packet into a pooled buffer and queues it; {@link #drain} hands queued packets to
 * their destination stacks on the calling thread, so one thread drives every stack and
 * a packet sent while another is delivered waits its turn instead of recursing.
 * Nothing is allocated per packet once the pool has warmed up.
 *
 * <p>Not thread-safe: one thread owns a link and its stacks.
 */
public final class MemLink {
    private final LongSupplier clock;
    private final int[] addresses = new int[8];
    private final Stack[] stacks = new Stack[8];
    private int hosts;
    private final PacketFifo queue = new PacketFifo();
    private long delivered;
    private long lastAdvance;

    /** A link whose time is {@code clock}: System::nanoTime for real time, or a benchmark's virtual clock. */
    public MemLink(LongSupplier clock) {
        this.clock = clock;
        this.lastAdvance = clock.getAsLong();
    }

    public static MemLink realTime() {
        return new MemLink(System::nanoTime);
    }

    public long now() {
        return clock.getAsLong();
    }

    /** The sink a stack at {@code address} sends through; {@link #attach} the stack afterwards. */
    public PacketSink sink() {
        return this::enqueue;
    }

    /**
     * Puts {@code s} on the link. A memory copy cannot corrupt a packet, so the stack
     * offloads its TCP checksums here exactly as Linux's loopback does, which keeps the
     * comparison with JDK sockets over lo like for like.
     */
    public Stack attach(Stack s) {
        s.setChecksumOffload(true);
        addresses[hosts] = s.address().v4();  // the benchmarks' in-memory link is IPv4's
        stacks[hosts++] = s;
        return s;
    }

    /** Detaches every stack at {@code address}: packets to it are dropped from now on. */
    public void detach(int address) {
        for (int i = 0; i < hosts; i++) {
            if (addresses[i] == address) stacks[i] = null;
        }
    }

    public long delivered() { return delivered; }

    private void enqueue(byte[] packet, int off, int len) {
        int dst = (packet[off + 16] & 0xff) << 24 | (packet[off + 17] & 0xff) << 16
                | (packet[off + 18] & 0xff) << 8 | packet[off + 19] & 0xff;
        int d = -1;
        for (int i = 0; i < hosts; i++) {
            if (addresses[i] == dst) { d = i; break; }
        }
        if (d < 0 || stacks[d] == null) return;
        queue.offer(packet, off, len, d);
    }

    /** Delivers every queued packet (and what they cause) at the clock's time; returns how many. */
    public int drain() {
        int n = 0;
        while (queue.poll()) {
            Stack s = stacks[queue.dst];
            if (s != null) s.packetArrives(queue.buf, 0, queue.len, clock.getAsLong());
            queue.recycle(queue.buf);
            n++;
        }
        delivered += n;
        return n;
    }

    /** Fires the stacks' timers when at least a wheel tick (1 ms) has passed since the last time. */
    public void tick() {
        long now = clock.getAsLong();
        if (now - lastAdvance < 1_000_000) return;
        lastAdvance = now;
        for (int i = 0; i < hosts; i++) {
            if (stacks[i] != null) stacks[i].advance(now);
        }
    }

    /** Drains and fires timers until nothing is queued. */
    public void run() {
        do {
            drain();
            tick();
        } while (!queue.isEmpty());
    }

    public boolean idle() { return queue.isEmpty(); }
}
