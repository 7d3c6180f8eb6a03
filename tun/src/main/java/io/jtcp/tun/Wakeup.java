package io.jtcp.tun;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An eventfd(2) that other threads signal to end a stack loop's wait in ppoll(2) on its TUN
 * queue, the way a parked thread is unparked: the loop polls the device and this together.
 * Signals between two waits collapse into one write(2): only the first since the loop last
 * {@link #consume consumed} them reaches the kernel.
 */
final class Wakeup implements AutoCloseable {
    /** The 8-byte counter value every signal adds; never written after it is made. */
    private static final MemorySegment ONE = Arena.global().allocateFrom(ValueLayout.JAVA_LONG, 1L);

    private final int fd;
    private final Arena arena = Arena.ofShared();
    /** Where {@link #consume} reads the counter; the loop's thread alone uses it. */
    private final MemorySegment counter = arena.allocate(8, 8);
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean closed;

    Wakeup() throws NativeException {
        this.fd = Native.eventfd(Native.EFD_NONBLOCK | Native.EFD_CLOEXEC);
    }

    int fd() { return fd; }

    /** Any thread: the loop's current or next wait ends. */
    void signal() {
        if (closed || pending.getAndSet(true)) return;
        // Under the lock close takes: a descriptor closed (and its number reused) in between must not be written.
        synchronized (this) {
            if (!closed) Native.write(fd, ONE, 8);
        }
    }

    /**
     * The loop's thread, after its wait ended with this readable: clears the signal so the
     * next wait blocks again. The counter is read before the flag is cleared: the other way
     * round, a signal between the two would set the flag and write, this read would swallow
     * its write, and with the flag left set no signal would ever write again. A signal that
     * finds the flag still set here skips the write, which is safe because the loop goes on
     * to look at its queue after this, where that signaller put its work first.
     */
    void consume() {
        Native.read(fd, counter, 8);
        pending.set(false);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Native.close(fd);
        arena.close();
    }
}
