package io.jtcp.wire;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Sequence space is a circle of 2^32 (RFC 9293 §3.4): comparisons must hold across the wrap. */
class SeqTest {
    private static final int NEAR_TOP = 0xFFFFFFF0;
    private static final int JUST_WRAPPED = 0x10;

    @Test
    void numbersJustBeforeTheWrapAreLessThanNumbersJustAfterIt() {
        assertThat(Seq.lt(NEAR_TOP, JUST_WRAPPED)).isTrue();
        assertThat(Seq.leq(NEAR_TOP, JUST_WRAPPED)).isTrue();
        assertThat(Seq.gt(JUST_WRAPPED, NEAR_TOP)).isTrue();
        assertThat(Seq.geq(JUST_WRAPPED, NEAR_TOP)).isTrue();
        assertThat(Seq.gt(NEAR_TOP, JUST_WRAPPED)).isFalse();
        assertThat(Seq.distance(NEAR_TOP, JUST_WRAPPED)).isEqualTo(0x20);
        assertThat(Seq.max(NEAR_TOP, JUST_WRAPPED)).isEqualTo(JUST_WRAPPED);
        assertThat(Seq.min(NEAR_TOP, JUST_WRAPPED)).isEqualTo(NEAR_TOP);
    }

    @Test
    void equalNumbersAreLeqAndGeqButNotLtOrGt() {
        assertThat(Seq.leq(5, 5)).isTrue();
        assertThat(Seq.geq(5, 5)).isTrue();
        assertThat(Seq.lt(5, 5)).isFalse();
        assertThat(Seq.gt(5, 5)).isFalse();
    }

    @Test
    void aWindowThatStraddlesTheWrapHoldsBothEnds() {
        int rcvNxt = 0xFFFFFF00;
        long rcvWnd = 0x200;
        assertThat(Seq.inWindow(0xFFFFFF00, rcvNxt, rcvWnd)).isTrue();
        assertThat(Seq.inWindow(0, rcvNxt, rcvWnd)).isTrue();
        assertThat(Seq.inWindow(0xFF, rcvNxt, rcvWnd)).isTrue();
        assertThat(Seq.inWindow(0x100, rcvNxt, rcvWnd)).as("one past the right edge").isFalse();
        assertThat(Seq.inWindow(0xFFFFFEFF, rcvNxt, rcvWnd)).as("one before the left edge").isFalse();
    }

    @Test
    void anEmptyWindowHoldsNothingNotEvenItsStart() {
        assertThat(Seq.inWindow(100, 100, 0)).isFalse();
    }

    @Property
    void orderIsPreservedForAnyBaseAndForwardDistanceBelowHalfTheSpace(
            @ForAll int base, @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int d) {
        int later = base + d;
        assertThat(Seq.lt(base, later)).isTrue();
        assertThat(Seq.gt(later, base)).isTrue();
        assertThat(Seq.leq(later, base)).isFalse();
        assertThat(Seq.distance(base, later)).isEqualTo(d);
        assertThat(Seq.inWindow(later, base, (long) d + 1)).isTrue();
        assertThat(Seq.inWindow(later, base, d)).isFalse();
    }
}
