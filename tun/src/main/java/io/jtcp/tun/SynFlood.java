package io.jtcp.tun;

import io.jtcp.wire.IpAddress;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A single-source SYN flood: SYNs from one spoofed address and random source ports and
 * sequence numbers to one listener, through a raw socket opened inside {@code netns} (so it
 * can reach that namespace's addresses only), either as fast as one thread sends
 * ({@link #UNPACED}) or paced to a given rate, so that two listeners can be offered the same
 * stream whatever each costs the sender. It runs until {@link #stop()} or until
 * {@code limitNanos} has passed, whichever comes first: a flood is always bounded in time,
 * even if its owner dies.
 */
final class SynFlood implements AutoCloseable {
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile long sent, refused, elapsedNanos;

    /** The rate that means "as fast as the thread can send". */
    static final double UNPACED = Double.POSITIVE_INFINITY;
    /** The longest a paced flood parks between checks, so that it sees {@link #stop()} soon at any rate. */
    private static final long MAX_PARK_NANOS = 1_000_000;
    /** Sends between looks at the clock and the stop flag. */
    private static final int BURST = 256;

    private SynFlood(NetNs netns, IpAddress from, IpAddress to, int port, double synsPerSecond, long limitNanos, long seed) {
        if (!(synsPerSecond > 0)) throw new IllegalArgumentException("a flood's rate must be positive: " + synsPerSecond);
        thread = netns.newThread("jtcp-synflood", () -> run(from, to, port, synsPerSecond, limitNanos, seed));
    }

    /**
     * Starts the flood at {@code synsPerSecond} ({@link #UNPACED}: as fast as it goes) and
     * returns once its socket is open (or throws why it could not open).
     */
    static SynFlood start(NetNs netns, IpAddress from, IpAddress to, int port, double synsPerSecond, long limitNanos, long seed)
            throws NativeException {
        SynFlood f = new SynFlood(netns, from, to, port, synsPerSecond, limitNanos, seed);
        f.thread.start();
        try {
            f.started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.close();
            throw new NativeException("interrupted while the flood started", false);
        }
        if (f.failure.get() instanceof NativeException e) throw e;
        if (f.failure.get() != null) throw new IllegalStateException(f.failure.get());
        return f;
    }

    private void run(IpAddress from, IpAddress to, int port, double synsPerSecond, long limitNanos, long seed) {
        FloodSyn syn = new FloodSyn(from, to, port);
        SplittableRandom random = new SplittableRandom(seed);
        RawSocket s;
        try {
            s = new RawSocket(to.v4(), FloodSyn.LENGTH);
        } catch (Throwable t) {
            failure.set(t);
            started.countDown();
            return;
        }
        started.countDown();
        long n = 0, full = 0, start = System.nanoTime(), end = start + limitNanos, now = start;
        double perNano = synsPerSecond / 1e9;
        try (s) {
            while (!stopping && now - end < 0) {
                int burst = BURST;
                if (synsPerSecond != UNPACED) {
                    // A token bucket over the whole flood: send what the clock owes (sends tried so
                    // far against rate x time), at most a burst, else park until the next one is due.
                    long owed = (long) ((now - start) * perNano) - (n + full);
                    if (owed <= 0) {
                        LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, (long) (1 / perNano) + 1));
                        now = System.nanoTime();
                        continue;
                    }
                    burst = (int) Math.min(owed, BURST);
                }
                for (int i = 0; i < burst; i++) {
                    int r = random.nextInt();
                    // Ports 1024 and up, as a client's would be.
                    syn.next(1024 + ((r >>> 16) % (65536 - 1024)), random.nextInt(), r & 0xffff);
                    int errno = s.send(syn.packet, FloodSyn.LENGTH);
                    if (errno == 0) n++;
                    else if (errno == RawSocket.ENOBUFS) full++;
                    else throw new NativeException("sendto " + to, errno, null);
                }
                sent = n;
                refused = full;
                now = System.nanoTime();
            }
        } catch (Throwable t) {
            failure.set(t);
        }
        sent = n;
        refused = full;
        elapsedNanos = System.nanoTime() - start;
    }

    /** SYNs sent so far. */
    long sent() { return sent; }

    /** Sends the device refused at once (ENOBUFS), not counted in {@link #sent}. */
    long refused() { return refused; }

    /** SYNs a second the device took, over the flood's whole life: read after {@link #stop()}. */
    double rate() {
        long t = elapsedNanos;
        return t == 0 ? 0 : sent * 1e9 / t;
    }

    /** Whether the flood's thread still sends. */
    boolean running() { return thread.isAlive(); }

    /** Why the flood stopped early, or null. */
    Throwable failure() { return failure.get(); }

    /** Stops the flood and waits for its thread. */
    void stop() {
        stopping = true;
        try {
            if (!thread.join(java.time.Duration.ofSeconds(10))) throw new IllegalStateException("the flood thread did not stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
