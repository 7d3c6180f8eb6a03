package io.jtcp.tcp;

import io.jtcp.wire.Segment;

import java.util.Objects;

/**
 * The send queue of RFC 9293 §3.3.1: every byte the application wrote that the
 * peer has not yet acknowledged, starting at SND.UNA. Bytes in flight
 * (SND.UNA..SND.NXT) and bytes not yet sent live together; the buffer knows no
 * sequence numbers, only offsets from its head (= SND.UNA).
 *
 * <p>Memory is lazy: no array until the first write, growth by doubling up to
 * {@link #capacity()}, and {@link #trim()} gives the array back once the queue
 * is empty, so an idle connection holds no payload memory. After the ring has
 * grown, writes, acknowledgements and peeks allocate nothing.
 *
 * <p><b>Socket memory.</b> Once {@link #chargeTo} names the stack's {@link TcpMemory}, the
 * ring and the scratch copy are charged there. A write that needs a bigger ring asks
 * {@link TcpMemory#raise} (tcp_sendmsg's sk_wmem_schedule); refused, it still gets up to
 * tcp_wmem[0] queued in all (tcp_wmem_schedule's forced minimum, so every socket can make
 * progress), and otherwise only the room the ring already has: the capacity comes down to
 * the ring (sk_stream_moderate_sndbuf), so the writer waits for acknowledgements instead of
 * spinning. {@link SendSpace} restores it when memory allows.
 *
 * <p>Not thread-safe: owned by the stack's event-loop thread.
 */
public final class SendBuffer {
    private int capacity;
    private byte[] ring;   // null until the first write, and again after trim()
    private int head;      // array index of the oldest unacknowledged byte
    private int size;
    private byte[] scratch; // linear copy for peeks that straddle the wrap
    /** The stack's accountant, or null for a buffer outside a stack (charged nothing). */
    private TcpMemory memory;

    /** @param capacity SO_SNDBUF in bytes, {@code >= 0} */
    public SendBuffer(int capacity) {
        setCapacity(capacity);
    }

    public int capacity() { return capacity; }

    /** From now on this buffer's arrays are charged to {@code memory} (what it holds already, at once). */
    void chargeTo(TcpMemory memory) {
        if (this.memory != null) throw new IllegalStateException("already charged to a stack");
        this.memory = memory;
        memory.force(allocatedBytes());
    }

    /** The accountant this buffer charges, or null. */
    TcpMemory memory() { return memory; }

    /**
     * Changes SO_SNDBUF. Shrinking below {@link #size()} keeps the queued data
     * (it was accepted and must still be delivered); the buffer simply takes no
     * more until enough of it is acknowledged.
     */
    public void setCapacity(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("capacity < 0: " + capacity);
        this.capacity = capacity;
    }

    /** Bytes held: in flight plus not yet sent. */
    public int size() { return size; }

    /** Room for more application bytes; 0 when full (or over a shrunk capacity). */
    public int free() { return Math.max(0, capacity - size); }

    public boolean isEmpty() { return size == 0; }

    /** Appends as much of {@code src[off, off+len)} as fits; returns the count, 0 when full. */
    public int write(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        int n = Math.min(len, free());
        if (n == 0) return 0;
        if (ring == null || ring.length - size < n) n = reserve(n);
        if (n == 0) return 0;
        Ring.copyIn(ring, head, size, src, off, n);
        size += n;
        return n;
    }

    /** Grows the ring for {@code n} more bytes as far as socket memory allows; returns how many now fit. */
    private int reserve(int n) {
        int length = ring == null ? 0 : ring.length;
        int size = Ring.grownSize(length, this.size + n, capacity);
        if (memory == null || memory.raise(size - length, false, allocatedBytes())) {
            resize(size);
            return n;
        }
        int guaranteed = memory.sendGuarantee() - this.size;
        if (guaranteed > length - this.size) {
            // tcp_wmem_schedule: below tcp_wmem[0] queued, the socket takes that much whatever the limits say.
            int forced = this.size + Math.min(n, guaranteed);
            memory.force(forced - length);
            resize(forced);
        }
        capacity = Math.min(capacity, ring == null ? 0 : ring.length);
        return Math.min(n, free());
    }

    private void resize(int length) {
        ring = Ring.resized(ring, head, size, length);
        head = 0;
    }

    /** Drops the first {@code n} bytes: the peer acknowledged them (SND.UNA advanced by n). */
    public void consume(int n) {
        if (n < 0 || n > size) throw new IllegalArgumentException("consume " + n + " of " + size);
        if (n == 0) return;
        size -= n;
        // Rewinding an empty ring to 0 keeps the next writes contiguous, so
        // their peeks point straight into the ring instead of the scratch copy.
        head = size == 0 ? 0 : Ring.index(ring, head, n);
    }

    /**
     * Points {@code into}'s payload at bytes {@code [offset, offset+len)} from
     * the head, without allocating after warm-up: straight into the ring when
     * the range is contiguous, else into an internal scratch copy. The view is
     * valid until the next mutating call on this buffer (write, consume, trim,
     * or another peek that uses the scratch).
     */
    public void peek(int offset, int len, Segment into) {
        Objects.checkFromIndexSize(offset, len, size);
        if (len == 0) {
            into.payload(ring == null ? EMPTY : ring, 0, 0);
            return;
        }
        int at = Ring.index(ring, head, offset);
        if (len <= ring.length - at) {
            into.payload(ring, at, len);
            return;
        }
        if (scratch == null || scratch.length < len) {
            // Sized to the largest wrapped peek seen (at least one MSS-ish page),
            // so it is allocated once per connection in practice.
            byte[] next = new byte[Math.max(len, Math.min(Ring.INITIAL_SIZE, ring.length))];
            // A copy the send path cannot do without: charged whatever the limits, as Linux's segments are once queued.
            if (memory != null) memory.force(next.length - (scratch == null ? 0 : scratch.length));
            scratch = next;
        }
        Ring.copyOut(ring, head, offset, scratch, 0, len);
        into.payload(scratch, 0, len);
    }

    /** Copies bytes {@code [offset, offset+len)} from the head into {@code dst}: one copy, straight to an output buffer. */
    public void copyTo(int offset, byte[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(offset, len, size);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        if (len > 0) Ring.copyOut(ring, head, offset, dst, dstOff, len);
    }

    /** Releases the arrays if the queue is empty, so an idle connection costs no payload memory. */
    public void trim() {
        if (size == 0) {
            if (memory != null) memory.release(allocatedBytes());
            ring = null;
            scratch = null;
            head = 0;
        }
    }

    /** Bytes of heap currently held for payload (ring plus scratch); for ss-style memory views. */
    public int allocatedBytes() {
        return (ring == null ? 0 : ring.length) + (scratch == null ? 0 : scratch.length);
    }

    private static final byte[] EMPTY = new byte[0];
}
