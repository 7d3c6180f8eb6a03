package io.jtcp.tcp;

import io.jtcp.wire.DropReason;

import java.util.Objects;

/**
 * The receive side of a connection's data: in-order bytes waiting for the
 * application, followed by out-of-order bytes held for reassembly (RFC 9293
 * §3.10.7.4, "seventh, process the segment text").
 *
 * <p>The buffer knows no sequence numbers. Positions are offsets from RCV.NXT:
 * the caller trims a segment to start at or after RCV.NXT and passes
 * {@code SEG.SEQ - RCV.NXT}. One ring holds both kinds of bytes: in-order data
 * from the read head, out-of-order data at its offset beyond RCV.NXT. So the
 * window is simply {@code capacity - readable()}: held out-of-order bytes sit
 * inside it, as RFC 9293 intends (they were inside the window we advertised).
 *
 * <p><b>Dropped inserts.</b> At most {@link #MAX_RANGES} separate out-of-order
 * ranges are held. A segment that would open another one is discarded:
 * {@link #insert} returns 0 and {@link #lastDropReason()} says why until the
 * next insert. The engine should count it (a drop reason) and ACK as for any
 * out-of-order segment; the sender will retransmit.
 *
 * <p>Memory is lazy like {@link SendBuffer}: no array until data arrives,
 * doubling up to the capacity, released by {@link #trim()} once empty. After
 * warm-up, insert, read and sackBlocks allocate nothing.
 *
 * <p><b>Socket memory.</b> Once {@link #chargeTo} names the stack's {@link TcpMemory},
 * every array this buffer holds is charged there, and memory is taken as Linux's
 * tcp_data_queue takes it: the first data of an empty queue always
 * (sk_forced_mem_schedule), anything else only if {@link TcpMemory#raise} agrees; when it
 * does not, the ring is grown to exactly what is needed instead of doubling (the room
 * tcp_collapse would win), and failing that the segment is dropped: TCPRcvQDrop for
 * in-order data, TCPOFODrop for out-of-order data, RcvPruned. The ring's memory follows
 * the highest byte held, so out-of-order data far above RCV.NXT is what costs: a segment
 * landing below held ranges while this socket could take no more memory prunes them from
 * the highest down, as tcp_prune_ofo_queue does, and shrinks the ring.
 *
 * <p>Not thread-safe: owned by the stack's event-loop thread.
 */
public final class ReceiveBuffer {
    /** Bound on separate out-of-order ranges (Linux bounds the queue by memory instead). */
    public static final int MAX_RANGES = 32;

    private int capacity;
    private byte[] ring;     // null until the first insert, and again after trim()
    private int head;        // array index of the next byte the application reads
    private int readable;    // in-order bytes: head .. RCV.NXT
    /**
     * The out-of-order ranges; the shared empty {@link #NO_RANGES} until a segment arrives
     * out of order and again once the holes are filled or the data is read, so an idle
     * connection carries none (most connections never see reordering).
     */
    private ReassemblyRanges ooo = NO_RANGES;
    private static final ReassemblyRanges NO_RANGES = new ReassemblyRanges(MAX_RANGES);
    private DropReason lastDrop;
    /** The stack's accountant, or null for a buffer outside a stack (charged nothing). */
    private TcpMemory memory;

    /** @param capacity SO_RCVBUF in bytes, {@code >= 0} */
    public ReceiveBuffer(int capacity) {
        setCapacity(capacity);
    }

    public int capacity() { return capacity; }

    /**
     * Changes SO_RCVBUF. Shrinking keeps every byte already held; the window
     * just reports less (never below 0). RFC 9293 §3.8.6 discourages shrinking
     * an advertised window, so the engine should avoid advertising the drop
     * until its right edge catches up.
     */
    public void setCapacity(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("capacity < 0: " + capacity);
        this.capacity = capacity;
    }

    /** In-order bytes the application can read now. */
    public int readable() { return readable; }

    /** Room for new data from RCV.NXT on: RCV.WND before scaling. Out-of-order bytes lie inside it. */
    public int window() { return Math.max(0, capacity - readable); }

    /** Bytes held beyond RCV.NXT, waiting for a gap to fill. */
    public int outOfOrderBytes() { return ooo.bytes(); }

    /** One past the last out-of-order byte held, as an offset from RCV.NXT; 0 when none is held. */
    public int outOfOrderExtent() { return ooo.extent(); }

    /** Separate out-of-order ranges held (each would be one SACK block). */
    public int outOfOrderRanges() { return ooo.count(); }

    /**
     * Of the bytes {@code [offset, offset + len)} from RCV.NXT, the part already held out of
     * order in the first held range they overlap, packed as {@code start << 32 | end}
     * (offsets from RCV.NXT); -1 when none is held. What a D-SACK reports (RFC 2883).
     */
    public long heldOverlap(int offset, int len) { return ooo.firstOverlap(offset, offset + len); }

    /** Whether the most recent {@link #insert} was discarded, for lack of a range slot or of memory. */
    public boolean lastInsertDropped() { return lastDrop != null; }

    /** Why the most recent {@link #insert} was discarded, or null if it was not. */
    public DropReason lastDropReason() { return lastDrop; }

    /** From now on this buffer's arrays are charged to {@code memory} (what it holds already, at once). */
    void chargeTo(TcpMemory memory) {
        if (this.memory != null) throw new IllegalStateException("already charged to a stack");
        this.memory = memory;
        memory.force(allocatedBytes());
    }

    /**
     * Stores {@code src[off, off+len)}, whose first byte lies {@code offset}
     * bytes after RCV.NXT. Bytes beyond the free space are discarded (RFC 9293
     * §3.10.7.4 trims segments to the window). Overlap with held data is fine:
     * TCP retransmits the same bytes, so the later copy simply overwrites.
     *
     * @return how far RCV.NXT advances: 0 for out-of-order (or dropped) data;
     *     for data at offset 0, its length plus any held ranges it now joins
     */
    public int insert(int offset, byte[] src, int off, int len) {
        return insert(offset, src, off, len, 0);
    }

    /**
     * As {@link #insert(int, byte[], int, int)}, but holding everything up to {@code promised}
     * bytes past RCV.NXT even where that passes the free space: a window once advertised is
     * never taken back, and Linux's tcp_select_window rounds a shrinking one up to its scale
     * unit, so the edge the peer was promised can run ahead of the buffer by a unit an ACK.
     * Linux's queue takes such data as long as memory allows; trimming it here would lose
     * data the peer rightly sent and make it retransmit.
     */
    public int insert(int offset, byte[] src, int off, int len, long promised) {
        if (offset < 0) throw new IllegalArgumentException("offset before RCV.NXT: " + offset);
        Objects.checkFromIndexSize(off, len, src.length);
        lastDrop = null;
        int window = (int) Math.min(Integer.MAX_VALUE, Math.max(window(), promised));
        if (offset >= window) return 0;
        int n = Math.min(len, window - offset);
        if (n == 0) return 0;
        if (offset > 0 && ooo.wouldOverflow(offset, offset + n)) return dropped(DropReason.REASSEMBLY_FULL);
        int need = readable + offset + n;
        int newRanges = offset > 0 && ooo == NO_RANGES ? ReassemblyRanges.arrayBytes(MAX_RANGES) : 0;
        if (ring == null || ring.length < need || newRanges > 0) {
            if (!reserve(offset, need, newRanges)) {
                return dropped(offset > 0 ? DropReason.REASSEMBLY_FULL : DropReason.RECEIVE_QUEUE_MEMORY);
            }
        } else if (memory != null && ooo.count() > 0 && ooo.start(ooo.count() - 1) >= offset
                && !memory.raise(0, true, allocatedBytes())) {
            pruneAbove(offset, need);
        }
        Ring.copyIn(ring, head, readable + offset, src, off, n);
        if (offset > 0) {
            if (ooo == NO_RANGES) ooo = new ReassemblyRanges(MAX_RANGES);
            ooo.add(offset, offset + n);
            return 0;
        }
        // Fast path: no holes held, so nothing to merge or rebase.
        int advance = ooo.count() == 0 ? n : ooo.advance(n);
        readable += advance;
        return advance;
    }

    private int dropped(DropReason reason) {
        lastDrop = reason;
        return 0;
    }

    /**
     * Makes the ring hold {@code need} bytes and, when {@code newRanges > 0}, pays for the range
     * table too; false when socket memory refuses (tcp_try_rmem_schedule failing).
     */
    private boolean reserve(int offset, int need, int newRanges) {
        int length = ring == null ? 0 : ring.length;
        int size = length >= need ? length : Ring.grownSize(length, need, capacity);
        if (memory != null) {
            if (offset == 0 && readable == 0) {
                // tcp_data_queue: the first segment of an empty receive queue is always taken, so a connection can progress.
                memory.force(size - length + newRanges);
            } else if (!memory.raise(size - length + newRanges, true, allocatedBytes())) {
                memory.pruneCalled++;
                size = Math.max(length, need);
                if (!memory.raise(size - length + newRanges, true, allocatedBytes())) {
                    memory.rcvPruned++;
                    return false;
                }
            }
        }
        if (size != length) resize(size);
        return true;
    }

    /**
     * tcp_prune_queue's last resort, tcp_prune_ofo_queue, for a segment that lands at
     * {@code offset} while this socket may take no more memory: drops held ranges from the
     * highest down, never one that starts below the arriving segment (it would then not land
     * last), shrinking the ring after each, until the socket is back within its share.
     */
    private void pruneAbove(int offset, int need) {
        memory.pruneCalled++;
        boolean pruned = false;
        while (ooo.count() > 0 && ooo.start(ooo.count() - 1) >= offset) {
            ooo.dropLast();
            pruned = true;
            int size = Math.max(need, readable + ooo.extent());
            if (size < ring.length) {
                memory.release(ring.length - size);
                resize(size);
            }
            if (memory.raise(0, true, allocatedBytes())) break;
        }
        if (pruned) memory.ofoPruned++;
    }

    private void resize(int size) {
        ring = Ring.resized(ring, head, readable + ooo.extent(), size);
        head = 0;
    }

    /** Copies up to {@code len} in-order bytes to {@code dst} and consumes them; returns the count. */
    public int read(byte[] dst, int off, int len) {
        return skip(peek(dst, off, len));
    }

    /** Copies up to {@code len} in-order bytes to {@code dst} and leaves them to be read (MSG_PEEK); returns the count. */
    public int peek(byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        int n = Math.min(len, readable);
        if (n > 0) Ring.copyOut(ring, head, 0, dst, off, n);
        return n;
    }

    /** Discards up to {@code n} in-order bytes; returns the count. */
    public int skip(int n) {
        if (n < 0) throw new IllegalArgumentException("skip " + n);
        n = Math.min(n, readable);
        if (n == 0) return 0;
        readable -= n;
        // Rewind an empty ring so the next arrivals are stored contiguously.
        head = readable == 0 && ooo.count() == 0 ? 0 : Ring.index(ring, head, n);
        return n;
    }

    /**
     * Writes up to {@code max} SACK blocks as {@code [start, end)} offset pairs
     * from RCV.NXT into {@code out} ({@code out[2i]}, {@code out[2i+1]}); the
     * caller adds RCV.NXT to make sequence numbers. Order follows RFC 2018 §4:
     * the block holding the most recently received segment first, then the
     * others newest first. Returns the number of blocks written.
     */
    public int sackBlocks(int[] out, int max) {
        return max <= 0 ? 0 : ooo.newestFirst(out, max);
    }

    /** Forgets every byte held, in order or not: the connection starts a new incarnation. */
    public void clear() {
        release();
        readable = 0;
        lastDrop = null;
    }

    /** Releases the ring once nothing is held, so an idle connection costs no payload memory. */
    public void trim() {
        if (readable == 0 && ooo.count() == 0) release();
    }

    /** Drops every array and gives their memory back; the caller has dealt with what they held. */
    private void release() {
        if (memory != null) memory.release(allocatedBytes());
        ooo = NO_RANGES;
        ring = null;
        head = 0;
    }

    /** Bytes of heap held for data (the ring and the out-of-order range table): what socket memory is charged; for ss -m too. */
    public int allocatedBytes() {
        return (ring == null ? 0 : ring.length) + (ooo == NO_RANGES ? 0 : ReassemblyRanges.arrayBytes(ooo.max()));
    }
}
