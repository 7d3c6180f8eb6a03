package io.jtcp.scenario;

import io.jtcp.wire.IpAddress;
import io.jtcp.link.sim.Fate;
import io.jtcp.link.sim.WireTap;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;

/**
 * Reports what the simulated network itself did to a packet (lost it, dropped it
 * by rule, corrupted it) as a trace {@code drop} line from host {@code net}, so a
 * trace shows why a segment that was sent never arrived.
 */
final class NetworkTrace implements WireTap {
    private final TraceSink sink;
    private final Segment scratch = new Segment();

    NetworkTrace(TraceSink sink) {
        this.sink = sink;
    }

    @Override
    public void onPacket(long time, byte[] packet, int off, int len, IpAddress fromAddr, IpAddress toAddr, Fate fate) {
        if (fate != Fate.LOST && fate != Fate.DROPPED_BY_RULE && fate != Fate.CORRUPTED && fate != Fate.DELAYED
                && fate != Fate.DUPLICATED && fate != Fate.QUEUE_OVERFLOW && fate != Fate.CE_MARKED) {
            return;
        }
        // Seen from the host it was meant for, like a host's own drop lines: local is the destination.
        String local = null, remote = null;
        if (PacketCodec.decode(packet, off, len, scratch) == null) {
            local = TraceEvent.endpoint(scratch.dstAddr, scratch.dstPort);
            remote = TraceEvent.endpoint(scratch.srcAddr, scratch.srcPort);
        }
        sink.accept(new TraceEvent.DropEvent(time, "net", local, remote, fate.name(), describe(fate)));
    }

    private static String describe(Fate fate) {
        return switch (fate) {
            case LOST -> "lost on the link";
            case DROPPED_BY_RULE -> "dropped by a fault rule";
            case CORRUPTED -> "a bit flipped on the link";
            case DELAYED -> "held back by a fault rule";
            case DUPLICATED -> "duplicated on the link";
            case QUEUE_OVERFLOW -> "dropped by the link's full queue";
            case CE_MARKED -> "marked CE by the link's queue";
            default -> fate.name();
        };
    }
}
