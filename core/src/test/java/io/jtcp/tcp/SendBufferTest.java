package io.jtcp.tcp;

import io.jtcp.wire.Segment;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SendBufferTest {

    private static byte[] bytes(int from, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) (from + i);
        return b;
    }

    private static byte[] view(Segment s) {
        return Arrays.copyOfRange(s.payload, s.payloadOffset, s.payloadOffset + s.payloadLength);
    }

    @Test
    void noArrayUntilFirstWriteAndTrimReleasesIt() {
        SendBuffer b = new SendBuffer(64 * 1024);
        assertThat(b.allocatedBytes()).isZero();
        assertThat(b.write(bytes(0, 10), 0, 10)).isEqualTo(10);
        assertThat(b.allocatedBytes()).isEqualTo(Ring.MIN_SIZE);   // sized to the write, not a page
        b.trim();                                   // not empty: keeps the data
        assertThat(b.allocatedBytes()).isEqualTo(Ring.MIN_SIZE);
        b.consume(10);
        b.trim();
        assertThat(b.allocatedBytes()).isZero();
        assertThat(b.size()).isZero();
    }

    @Test
    void growsByDoublingUpToCapacity() {
        SendBuffer b = new SendBuffer(10_000);
        b.write(new byte[5000], 0, 5000);
        assertThat(b.allocatedBytes()).isEqualTo(8192);
        assertThat(b.write(new byte[8000], 0, 8000)).isEqualTo(5000);   // only the free space
        assertThat(b.allocatedBytes()).isEqualTo(10_000);
        assertThat(b.free()).isZero();
        assertThat(b.write(new byte[1], 0, 1)).isZero();
    }

    @Test
    void shrinkingCapacityKeepsDataAndRefusesMoreUntilDrained() {
        SendBuffer b = new SendBuffer(100);
        b.write(bytes(0, 80), 0, 80);
        b.setCapacity(50);
        assertThat(b.size()).isEqualTo(80);
        assertThat(b.free()).isZero();
        assertThat(b.write(bytes(0, 5), 0, 5)).isZero();
        b.consume(40);
        assertThat(b.free()).isEqualTo(10);
        Segment s = new Segment();
        b.peek(0, 40, s);
        assertThat(view(s)).isEqualTo(bytes(40, 40));
    }

    @Test
    void peekAcrossTheWrapUsesScratchAndContiguousPeekPointsIntoRing() {
        SendBuffer b = new SendBuffer(16);
        b.write(bytes(0, 12), 0, 12);
        b.consume(10);
        b.write(bytes(12, 10), 0, 10);              // wraps: ring holds 10,11 | 12..21
        Segment s = new Segment();
        b.peek(0, 12, s);
        assertThat(view(s)).isEqualTo(bytes(10, 12));
        byte[] scratch = s.payload;
        b.peek(1, 5, s);                            // before the wrap: straight into the ring
        assertThat(s.payload).isNotSameAs(scratch);
        assertThat(view(s)).isEqualTo(bytes(11, 5));
        byte[] ring = s.payload;
        b.peek(6, 3, s);                            // wholly past the wrap: the ring again
        assertThat(s.payload).isSameAs(ring);
        assertThat(s.payloadOffset).isZero();
        assertThat(view(s)).isEqualTo(bytes(16, 3));
        byte[] out = new byte[12];
        b.copyTo(0, out, 0, 12);
        assertThat(out).isEqualTo(bytes(10, 12));
    }

    @Test
    void emptyPeekAndZeroCapacity() {
        SendBuffer b = new SendBuffer(0);
        assertThat(b.write(bytes(0, 3), 0, 3)).isZero();
        Segment s = new Segment();
        b.peek(0, 0, s);
        assertThat(s.payloadLength).isZero();
    }

    // --- property: random operations against a byte-array model ---

    sealed interface Op permits Write, Consume, Peek, Resize, Trim {}
    record Write(int len) implements Op {}
    record Consume(int fraction) implements Op {}
    record Peek(int offFraction, int lenFraction) implements Op {}
    record Resize(int capacity) implements Op {}
    record Trim() implements Op {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> w = Arbitraries.integers().between(0, 3000).map(Write::new);
        Arbitrary<Op> c = Arbitraries.integers().between(0, 100).map(Consume::new);
        Arbitrary<Op> p = Combinators.combine(Arbitraries.integers().between(0, 100),
                Arbitraries.integers().between(0, 100)).as(Peek::new);
        Arbitrary<Op> r = Arbitraries.integers().between(0, 20_000).map(Resize::new);
        Arbitrary<Op> t = Arbitraries.just(new Trim());
        return Arbitraries.frequencyOf(
                Tuple.of(5, w), Tuple.of(4, c), Tuple.of(4, p),
                Tuple.of(1, r), Tuple.of(1, t)).list().ofMaxSize(200);
    }

    @Property(tries = 300)
    void behavesLikeAByteQueue(@ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 1, max = 12_000) int capacity) {
        SendBuffer b = new SendBuffer(capacity);
        byte[] model = new byte[0];          // what the buffer must hold, head first
        int next = 0;                        // the stream's next byte value
        Segment s = new Segment();
        for (Op op : ops) {
            switch (op) {
                case Write w -> {
                    byte[] src = bytes(next, w.len());
                    int n = b.write(src, 0, src.length);
                    assertThat(n).isEqualTo(Math.min(w.len(), Math.max(0, b.capacity() - model.length)));
                    ByteArrayOutputStream m = new ByteArrayOutputStream();
                    m.write(model, 0, model.length);
                    m.write(src, 0, n);
                    model = m.toByteArray();
                    next += n;
                }
                case Consume c -> {
                    int n = model.length * c.fraction() / 100;
                    b.consume(n);
                    model = Arrays.copyOfRange(model, n, model.length);
                }
                case Peek p -> {
                    int off = model.length * p.offFraction() / 100;
                    int len = (model.length - off) * p.lenFraction() / 100;
                    b.peek(off, len, s);
                    assertThat(view(s)).isEqualTo(Arrays.copyOfRange(model, off, off + len));
                }
                case Resize r -> b.setCapacity(r.capacity());
                case Trim t -> b.trim();
            }
            assertThat(b.size()).isEqualTo(model.length);
            assertThat(b.free()).isEqualTo(Math.max(0, b.capacity() - model.length));
        }
        b.peek(0, model.length, s);
        assertThat(view(s)).isEqualTo(model);
    }
}
