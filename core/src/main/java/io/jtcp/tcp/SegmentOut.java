package io.jtcp.tcp;

import io.jtcp.wire.Segment;

/**
 * Where a connection's outgoing segments go. Called synchronously while the
 * connection processes an event; the segment (addresses and ports filled in)
 * and its payload view are only valid during the call, so the receiver encodes
 * or copies it before returning.
 */
@FunctionalInterface
public interface SegmentOut {
    void emit(Segment segment);
}
