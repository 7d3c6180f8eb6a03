package io.jtcp.wire;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Field-by-field comparison of segments, payload bytes included (not the buffers they live in). */
public final class SegmentAssert {
    private SegmentAssert() {}

    public static void assertSameSegment(Segment actual, Segment expected) {
        assertThat(actual.toString()).as("fields").isEqualTo(expected.toString());
        assertThat(actual.flags).as("flags").isEqualTo(expected.flags);
        assertThat(actual.urgent).as("urgent").isEqualTo(expected.urgent);
        assertThat(actual.sackCount).as("sackCount").isEqualTo(expected.sackCount);
        assertThat(Arrays.copyOf(actual.sackBlocks, 2 * actual.sackCount))
                .as("sack blocks").isEqualTo(Arrays.copyOf(expected.sackBlocks, 2 * expected.sackCount));
        assertThat(payloadOf(actual)).as("payload").isEqualTo(payloadOf(expected));
    }

    public static byte[] payloadOf(Segment s) {
        return Arrays.copyOfRange(s.payload, s.payloadOffset, s.payloadOffset + s.payloadLength);
    }
}
