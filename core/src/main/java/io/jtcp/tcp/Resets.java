package io.jtcp.tcp;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;

/** The reset sent for a segment that belongs to no connection (RFC 9293 §3.10.7.1). */
public final class Resets {
    private Resets() {}

    /**
     * Fills {@code reply} with the answer to {@code in}: {@code <SEQ=SEG.ACK><CTL=RST>}
     * if it carried an ACK, else {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}.
     * Returns false, leaving {@code reply} untouched, when {@code in} is itself a RST:
     * a RST is never answered.
     */
    public static boolean replyTo(Segment in, Segment reply) {
        if (in.rst()) return false;
        int seq = in.seq, ack = in.ack, len = in.seqLength(), flags = in.flags;
        IpAddress src = in.srcAddr, dst = in.dstAddr;
        int srcPort = in.srcPort, dstPort = in.dstPort;
        reply.clear();
        reply.srcAddr = dst;
        reply.dstAddr = src;
        reply.srcPort = dstPort;
        reply.dstPort = srcPort;
        if ((flags & TcpFlags.ACK) != 0) {
            reply.seq = ack;
            reply.flags = TcpFlags.RST;
        } else {
            reply.ack = seq + len;
            reply.flags = TcpFlags.RST | TcpFlags.ACK;
        }
        return true;
    }
}
