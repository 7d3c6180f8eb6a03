package io.jtcp.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.config.Sysctls;
import io.jtcp.config.TcpMem;
import io.jtcp.wire.DropReason;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The accountant and the buffers together, without a stack: what is charged is exactly
 * what the buffers hold, the limits of tcp_mem decide as __sk_mem_raise_allocated does,
 * and tcp_prune_ofo_queue's order.
 */
class TcpMemoryTest {
    private static final int PAGE = TcpMem.PAGE_SIZE;
    private static final int TABLE = ReassemblyRanges.arrayBytes(ReceiveBuffer.MAX_RANGES);

    private Sysctls cfg = Sysctls.linux().set("tcp_mem", "1000000 1000000 1000000");
    private long now;
    private int sockets = 1;
    private final TcpMemory memory = new TcpMemory(() -> cfg, () -> now, () -> sockets);

    private ReceiveBuffer receiver(int capacity) {
        ReceiveBuffer b = new ReceiveBuffer(capacity);
        b.chargeTo(memory);
        return b;
    }

    private SendBuffer sender(int capacity) {
        SendBuffer b = new SendBuffer(capacity);
        b.chargeTo(memory);
        return b;
    }

    private static int deliver(ReceiveBuffer b, int offset, int len) {
        byte[] data = new byte[len];
        for (int i = 0; i < len; i++) data[i] = (byte) (offset + i);
        return b.insert(offset, data, 0, len);
    }

    private void limits(long min, long pressure, long max) {
        cfg = cfg.set("tcp_mem", min + " " + pressure + " " + max);
    }

    @Test
    void chargesExactlyWhatTheBuffersHoldAndNothingOnceTheyAreGone() {
        ReceiveBuffer r = receiver(64 * 1024);
        SendBuffer s = sender(64 * 1024);
        deliver(r, 0, 1000);
        deliver(r, 5000, 100);
        s.write(new byte[3000], 0, 3000);
        assertThat(memory.bytes()).isEqualTo(r.allocatedBytes() + s.allocatedBytes());
        assertThat(r.allocatedBytes()).isEqualTo(8192 + TABLE);
        assertThat(memory.pages()).isEqualTo((8192 + TABLE + 4096 + PAGE - 1) / PAGE);
        s.write(new byte[20_000], 0, 20_000);                      // the ring doubles: the old one is given back
        assertThat(memory.bytes()).isEqualTo(r.allocatedBytes() + s.allocatedBytes());
        r.read(new byte[1000], 0, 1000);
        r.trim();
        assertThat(memory.bytes()).as("out-of-order data is still held").isEqualTo(r.allocatedBytes() + s.allocatedBytes());
        s.consume(s.size());
        s.trim();
        r.clear();
        assertThat(memory.bytes()).isZero();
        assertThat(memory.pages()).isZero();
    }

    @Test
    void overTheMaximumDataIsDroppedButAnEmptyQueueAlwaysTakesItsFirstSegment() {
        limits(1, 1, 2);
        ReceiveBuffer hog = receiver(64 * 1024);
        assertThat(deliver(hog, 0, 100)).isEqualTo(100);
        assertThat(deliver(hog, 7000, 1000)).as("an 8 KiB ring and the range table: 3 pages").isZero();
        assertThat(hog.lastDropReason()).isEqualTo(DropReason.REASSEMBLY_FULL);
        assertThat(memory.pages()).isEqualTo(1);

        ReceiveBuffer other = receiver(64 * 1024);
        assertThat(deliver(other, 0, 1460)).as("the first segment of an empty queue is forced").isEqualTo(1460);
        assertThat(deliver(other, 0, 5000)).as("doubling to 8 KiB is refused; exactly 6460 bytes fit").isEqualTo(5000);
        assertThat(other.allocatedBytes()).isEqualTo(6460);
        assertThat(deliver(other, 0, 2000)).as("unread data and no memory: dropped").isZero();
        assertThat(other.lastDropReason()).isEqualTo(DropReason.RECEIVE_QUEUE_MEMORY);
        assertThat(memory.pruneCalled).isEqualTo(3);
        assertThat(memory.rcvPruned).isEqualTo(2);
        assertThat(memory.pages()).isLessThanOrEqualTo(2);
        assertThat(memory.bytes()).isEqualTo(hog.allocatedBytes() + other.allocatedBytes());
    }

    @Test
    void pressureIsEnteredAboveTheSecondValueAndLeftBelowTheFirst() {
        limits(2, 3, 100);
        SendBuffer s = sender(1 << 20);
        s.write(new byte[8 * PAGE], 0, 8 * PAGE);
        assertThat(memory.underPressure()).isTrue();
        assertThat(memory.counters()).containsEntry("TcpExtTCPMemoryPressures", 1L);
        now += 250_000_000L;
        s.consume(s.size());
        s.trim();
        assertThat(memory.underPressure()).isFalse();
        assertThat(memory.counters()).containsEntry("TcpExtTCPMemoryPressuresChrono", 250L);
    }

    @Test
    void underPressureOnlyASocketWithinItsFairShareGrows() {
        limits(0, 0, 40);
        sockets = 10;                                               // a fair share is 4 pages
        SendBuffer s = sender(1 << 20);
        assertThat(s.write(new byte[3 * PAGE], 0, 3 * PAGE)).isEqualTo(3 * PAGE);
        assertThat(s.allocatedBytes()).isEqualTo(4 * PAGE);
        int more = s.write(new byte[4 * PAGE], 0, 4 * PAGE);
        assertThat(more).as("growing to 8 pages is past the share: only the ring's room is taken").isEqualTo(PAGE);
        assertThat(s.free()).as("the buffer moderated down to what it holds").isZero();
        assertThat(memory.bytes()).isEqualTo(s.allocatedBytes());
    }

    @Test
    void aRefusedWriterStillQueuesTcpWmemMin() {
        limits(0, 0, 0);
        SendBuffer s = sender(1 << 20);
        int n = s.write(new byte[100_000], 0, 100_000);
        assertThat(n).as("tcp_wmem[0]").isEqualTo(cfg.tcpWmem().min());
        assertThat(s.write(new byte[10], 0, 10)).isZero();
        assertThat(memory.bytes()).isEqualTo(s.allocatedBytes()).isEqualTo(cfg.tcpWmem().min());
    }

    @Test
    void pruningDropsOutOfOrderDataFromTheHighestSequenceDown() {
        ReceiveBuffer r = receiver(64 * 1024);
        deliver(r, 1000, 100);
        deliver(r, 3000, 100);
        deliver(r, 5000, 100);
        assertThat(r.allocatedBytes()).isEqualTo(8192 + TABLE);
        // The socket may take no more: the stack is over its maximum. A segment lands below two held ranges.
        limits(0, 0, 1);
        deliver(r, 2000, 100);
        assertThat(ranges(r)).as("the highest range went first; that was enough to get back under the limit")
                .containsExactly(1000, 1100, 2000, 2100, 3000, 3100);
        assertThat(memory.ofoPruned).isEqualTo(1);
        assertThat(r.allocatedBytes()).as("the ring shrank to what it holds").isEqualTo(3100 + TABLE);
        assertThat(memory.bytes()).isEqualTo(r.allocatedBytes());

        limits(0, 0, 0);
        deliver(r, 1500, 100);
        assertThat(ranges(r)).as("everything above the arriving segment goes, nothing below it")
                .containsExactly(1000, 1100, 1500, 1600);
        assertThat(memory.pruneCalled).isEqualTo(2);
        assertThat(memory.bytes()).isEqualTo(r.allocatedBytes());
    }

    /**
     * Whatever the limits, and whatever they do to the data (refusals, drops, pruning), the
     * charge equals what the buffers hold after every operation, the bytes the application
     * reads are still exactly the stream, and nothing stays charged once the buffers are gone.
     */
    @Property(tries = 200)
    void theChargeFollowsTheBuffersAndTheStreamSurvivesAnyLimits(
            @ForAll @IntRange(min = 0, max = 24) int maxPages,
            @ForAll @IntRange(min = 1, max = 8) int socketCount,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        limits(maxPages / 2, maxPages * 3 / 4, maxPages);
        sockets = socketCount;
        ReceiveBuffer r = receiver(32 * 1024);
        SendBuffer s = sender(64 * 1024);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int rcvNxt = 0, written = 0, acked = 0;
        byte[] chunk = new byte[8192];
        for (int step = 0; step < 400; step++) {
            switch (rnd.nextInt(6)) {
                case 0, 1 -> {                                          // a segment anywhere in the window
                    int offset = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(Math.max(1, r.window()));
                    int len = 1 + rnd.nextInt(1460);
                    int from = rcvNxt + offset;
                    byte[] data = new byte[len];
                    for (int i = 0; i < len; i++) data[i] = (byte) (from + i);
                    rcvNxt += r.insert(offset, data, 0, len);
                }
                case 2 -> {                                             // the application reads some
                    int n = r.read(chunk, 0, rnd.nextInt(chunk.length));
                    got.write(chunk, 0, n);
                    if (rnd.nextBoolean()) r.trim();
                }
                case 3 -> {
                    int len = 1 + rnd.nextInt(20_000);
                    written += s.write(new byte[len], 0, len);
                }
                case 4 -> {                                             // the peer acknowledges some
                    int n = rnd.nextInt(s.size() + 1);
                    s.consume(n);
                    acked += n;
                    if (rnd.nextBoolean()) s.trim();
                }
                default -> {                                            // a retransmission that wraps needs the scratch copy
                    if (s.size() > 0) s.peek(0, s.size(), new io.jtcp.wire.Segment());
                }
            }
            assertThat(memory.bytes()).isEqualTo(r.allocatedBytes() + s.allocatedBytes());
            assertThat(acked + s.size()).isEqualTo(written);
        }
        byte[] stream = got.toByteArray();
        for (int i = 0; i < stream.length; i++) assertThat(stream[i]).isEqualTo((byte) i);
        r.clear();
        s.consume(s.size());
        s.trim();
        assertThat(memory.bytes()).isZero();
    }

    /** The held ranges in sequence order, as {@code start, end} pairs. */
    private static java.util.List<Integer> ranges(ReceiveBuffer r) {
        int[] blocks = new int[2 * ReceiveBuffer.MAX_RANGES];
        int n = r.sackBlocks(blocks, ReceiveBuffer.MAX_RANGES);
        java.util.List<int[]> pairs = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) pairs.add(new int[] {blocks[2 * i], blocks[2 * i + 1]});
        pairs.sort(java.util.Comparator.comparingInt(p -> p[0]));
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int[] p : pairs) { out.add(p[0]); out.add(p[1]); }
        return out;
    }
}
