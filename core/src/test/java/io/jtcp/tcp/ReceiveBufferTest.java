package io.jtcp.tcp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ReceiveBufferTest {

    /** The test stream: byte i of the connection is (byte) (i * 7 + 3). */
    private static byte[] stream(int from, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) ((from + i) * 7 + 3);
        return b;
    }

    /** Inserts stream bytes [from, from+len) given the receiver's current RCV.NXT (= rcvNxt). */
    private static int deliver(ReceiveBuffer b, int rcvNxt, int from, int len) {
        return b.insert(from - rcvNxt, stream(from, len), 0, len);
    }

    private static byte[] readAll(ReceiveBuffer b) {
        byte[] out = new byte[b.readable()];
        assertThat(b.read(out, 0, out.length)).isEqualTo(out.length);
        return out;
    }

    @Test
    void inOrderDataIsReadableAndShrinksTheWindow() {
        ReceiveBuffer b = new ReceiveBuffer(1000);
        assertThat(b.allocatedBytes()).isZero();
        assertThat(deliver(b, 0, 0, 100)).isEqualTo(100);
        assertThat(deliver(b, 100, 100, 50)).isEqualTo(50);
        assertThat(b.readable()).isEqualTo(150);
        assertThat(b.window()).isEqualTo(850);
        byte[] out = new byte[60];
        assertThat(b.read(out, 0, 60)).isEqualTo(60);
        assertThat(out).isEqualTo(stream(0, 60));
        assertThat(b.skip(1000)).isEqualTo(90);
        assertThat(b.window()).isEqualTo(1000);
        b.trim();
        assertThat(b.allocatedBytes()).isZero();
    }

    @Test
    void gapThenFillAdvancesOverHeldData() {
        ReceiveBuffer b = new ReceiveBuffer(1000);
        assertThat(deliver(b, 0, 100, 100)).isZero();         // 100..200 out of order
        assertThat(deliver(b, 0, 300, 50)).isZero();          // 300..350
        assertThat(b.outOfOrderBytes()).isEqualTo(150);
        assertThat(b.readable()).isZero();
        assertThat(b.window()).isEqualTo(1000);               // held bytes live inside the window
        assertThat(deliver(b, 0, 0, 100)).isEqualTo(200);     // fills the first gap, joins 100..200
        assertThat(b.outOfOrderBytes()).isEqualTo(50);
        int[] sack = new int[8];
        assertThat(b.sackBlocks(sack, 4)).isEqualTo(1);
        assertThat(sack[0]).isEqualTo(100);                   // rebased: 300 - RCV.NXT(200)
        assertThat(sack[1]).isEqualTo(150);
        assertThat(deliver(b, 200, 200, 100)).isEqualTo(150);
        assertThat(readAll(b)).isEqualTo(stream(0, 350));
        assertThat(b.outOfOrderBytes()).isZero();
    }

    @Test
    void overlappingAndDuplicateSegments() {
        ReceiveBuffer b = new ReceiveBuffer(1000);
        deliver(b, 0, 50, 50);
        deliver(b, 0, 70, 60);                                 // overlaps, extends to 130
        deliver(b, 0, 60, 10);                                 // duplicate inside
        assertThat(b.outOfOrderRanges()).isEqualTo(1);
        assertThat(b.outOfOrderBytes()).isEqualTo(80);
        assertThat(deliver(b, 0, 0, 60)).isEqualTo(130);       // overlaps the held range
        assertThat(readAll(b)).isEqualTo(stream(0, 130));
    }

    @Test
    void bytesBeyondTheWindowAreDiscarded() {
        ReceiveBuffer b = new ReceiveBuffer(100);
        assertThat(deliver(b, 0, 0, 150)).isEqualTo(100);
        assertThat(b.window()).isZero();
        assertThat(deliver(b, 100, 100, 10)).isZero();
        assertThat(b.lastInsertDropped()).isFalse();          // out of window, not a reassembly drop
        b.skip(30);
        assertThat(deliver(b, 100, 120, 50)).isZero();         // offset 20: only 10 bytes fit
        assertThat(b.outOfOrderBytes()).isEqualTo(10);
        assertThat(deliver(b, 100, 100, 20)).isEqualTo(30);
        assertThat(b.readable()).isEqualTo(100);
        byte[] out = readAll(b);
        assertThat(out).isEqualTo(stream(30, 100));
    }

    @Test
    void sackBlocksNewestFirst() {
        ReceiveBuffer b = new ReceiveBuffer(10_000);
        deliver(b, 0, 100, 10);   // A
        deliver(b, 0, 300, 10);   // B
        deliver(b, 0, 500, 10);   // C
        deliver(b, 0, 110, 10);   // extends A: A is now newest
        int[] out = new int[8];
        assertThat(b.sackBlocks(out, 4)).isEqualTo(3);
        assertThat(out).startsWith(100, 120, 500, 510, 300, 310);
        assertThat(b.sackBlocks(out, 2)).isEqualTo(2);
        assertThat(b.sackBlocks(out, 0)).isZero();
        deliver(b, 0, 0, 100);                                  // RCV.NXT -> 120; B, C rebased
        assertThat(b.sackBlocks(out, 4)).isEqualTo(2);
        assertThat(out).startsWith(380, 390, 180, 190);
    }

    @Test
    void tooManyHolesDropsTheNewRangeAndSaysSo() {
        ReceiveBuffer b = new ReceiveBuffer(100_000);
        for (int i = 0; i < ReceiveBuffer.MAX_RANGES; i++) {
            deliver(b, 0, 10 + 20 * i, 10);
            assertThat(b.lastInsertDropped()).isFalse();
        }
        int far = 10 + 20 * ReceiveBuffer.MAX_RANGES + 5;
        assertThat(deliver(b, 0, far, 10)).isZero();
        assertThat(b.lastInsertDropped()).isTrue();
        assertThat(b.outOfOrderRanges()).isEqualTo(ReceiveBuffer.MAX_RANGES);
        deliver(b, 0, 20, 10);                                   // joins two ranges: no new slot needed
        assertThat(b.lastInsertDropped()).isFalse();
        assertThat(b.outOfOrderRanges()).isEqualTo(ReceiveBuffer.MAX_RANGES - 1);
        assertThat(deliver(b, 0, 0, 10)).isEqualTo(40);         // in-order data is never dropped
    }

    @Test
    void growsLazilyAndKeepsOutOfOrderDataAcrossGrowth() {
        ReceiveBuffer b = new ReceiveBuffer(64 * 1024);
        deliver(b, 0, 0, 3000);
        b.skip(2500);                                            // head away from 0
        deliver(b, 3000, 3100, 500);                             // held, near the wrap of a 4 KiB ring
        int rangeTable = ReassemblyRanges.arrayBytes(ReceiveBuffer.MAX_RANGES);
        assertThat(b.allocatedBytes()).isEqualTo(4096 + rangeTable);   // the ring, and the out-of-order table
        deliver(b, 3000, 10_000, 1000);                          // forces growth
        assertThat(b.allocatedBytes()).isGreaterThan(4096 + rangeTable);
        assertThat(deliver(b, 3000, 3000, 7000)).isEqualTo(8000);
        assertThat(readAll(b)).isEqualTo(stream(2500, 8500));
    }

    // --- property: any arrival order, with duplicates, reassembles the stream ---

    record Piece(int from, int len) {}

    @Property(tries = 300)
    void reassemblesAnyOrderWithDuplicates(
            @ForAll @IntRange(min = 0, max = 40_000) int total,
            @ForAll @IntRange(min = 1, max = 1500) int maxPiece,
            @ForAll @IntRange(min = 256, max = 20_000) int capacity,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        ReceiveBuffer b = new ReceiveBuffer(capacity);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int rcvNxt = 0;
        // Like a sender: anything from RCV.NXT to the end may be in flight; each round
        // sends a shuffled batch of pieces (with duplicates and overlaps) from the window.
        while (rcvNxt < total) {
            List<Piece> batch = new ArrayList<>();
            int edge = Math.min(total, rcvNxt + b.window() + rnd.nextInt(maxPiece));
            for (int at = rcvNxt; at < edge; ) {
                int len = Math.min(1 + rnd.nextInt(maxPiece), edge - at);
                batch.add(new Piece(at, len));
                if (rnd.nextInt(4) == 0) batch.add(new Piece(at, len));                 // duplicate
                if (rnd.nextInt(4) == 0 && at > rcvNxt) batch.add(new Piece(at - 1, len)); // overlap
                at += len;
            }
            if (rnd.nextInt(3) == 0) batch.removeIf(p -> rnd.nextInt(5) == 0);          // loss
            Collections.shuffle(batch, rnd);
            for (Piece p : batch) {
                int from = p.from(), len = p.len();
                if (from + len <= rcvNxt) continue;                  // wholly old: the caller drops it
                if (from < rcvNxt) {                                   // the caller trims to RCV.NXT
                    len -= rcvNxt - from;
                    from = rcvNxt;
                }
                int before = b.readable();
                int adv = b.insert(from - rcvNxt, stream(from, len), 0, len);
                assertThat(b.readable()).isEqualTo(before + adv);
                rcvNxt += adv;
                assertThat(b.window()).isEqualTo(Math.max(0, capacity - b.readable()));
                int[] sack = new int[8];
                int n = b.sackBlocks(sack, 4);
                for (int i = 0; i < n; i++) assertThat(sack[2 * i]).isPositive().isLessThan(sack[2 * i + 1]);
            }
            // the application reads a random amount
            int want = rnd.nextInt(b.readable() + 1);
            while (want > 0) {
                int r = b.read(chunk, 0, Math.min(chunk.length, want));
                got.write(chunk, 0, r);
                want -= r;
            }
            if (rnd.nextInt(4) == 0) b.trim();
        }
        byte[] rest = readAll(b);
        got.write(rest, 0, rest.length);
        assertThat(got.toByteArray()).isEqualTo(stream(0, total));
        assertThat(b.outOfOrderBytes()).isZero();
    }
}
