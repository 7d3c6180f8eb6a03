package io.jtcp.tun;

import io.jtcp.wire.IpAddress;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A single-source SYN flood, as fast as one thread sends: SYNs from one spoofed address
 * and random source ports and sequence numbers to one listener, through a raw socket
 * opened inside {@code netns} (so it can reach that namespace's addresses only). It runs
 * until {@link #stop()} or until {@code limitNanos} has passed, whichever comes first: a
 * flood is always bounded in time, even if its owner dies.
 */
final class SynFlood implements AutoCloseable {
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile long sent, refused;

    private SynFlood(NetNs netns, IpAddress from, IpAddress to, int port, long limitNanos, long seed) {
        thread = netns.newThread("jtcp-synflood", () -> run(from, to, port, limitNanos, seed));
    }

    /** Starts the flood and returns once its socket is open (or throws why it could not open). */
    static SynFlood start(NetNs netns, IpAddress from, IpAddress to, int port, long limitNanos, long seed) throws NativeException {
        SynFlood f = new SynFlood(netns, from, to, port, limitNanos, seed);
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

    private void run(IpAddress from, IpAddress to, int port, long limitNanos, long seed) {
        long end = System.nanoTime() + limitNanos;
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
        long n = 0, full = 0;
        try (s) {
            while (!stopping) {
                for (int i = 0; i < 256; i++) {
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
                if (System.nanoTime() - end >= 0) break;
            }
        } catch (Throwable t) {
            failure.set(t);
        }
        sent = n;
        refused = full;
    }

    /** SYNs sent so far. */
    long sent() { return sent; }

    /** Sends the device refused at once (ENOBUFS), not counted in {@link #sent}. */
    long refused() { return refused; }

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
