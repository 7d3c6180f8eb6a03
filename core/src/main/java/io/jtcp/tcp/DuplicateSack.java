package io.jtcp.tcp;

import io.jtcp.config.IpSysctl;
import io.jtcp.wire.Segment;
import io.jtcp.wire.Seq;

/**
 * Sending D-SACKs (RFC 2883), as Linux's tcp_dsack_set / tcp_dsack_extend and tcp_options_write
 * do: a segment that brings bytes we already have (below RCV.NXT, or held out of order) makes
 * the next segment we send report them in a first SACK block, ahead of the usual ones (§4),
 * once; then the block is forgotten. Only with SACK agreed and {@code tcp_dsack} on.
 */
final class DuplicateSack {
    private DuplicateSack() {}

    /**
     * tcp_dsack_set: {@code [start, end)} arrived again. Counted as TCPDSACKOldSent when it
     * starts below RCV.NXT, TCPDSACKOfoSent when it duplicates out-of-order data.
     */
    static void set(Connection c, int start, int end) {
        if (!c.agreed.sackOk || c.cfg.ip(IpSysctl.TCP_DSACK) == 0 || !Seq.gt(end, start)) return;
        c.events.recovery(c, Seq.lt(start, c.rcvNxt) ? RecoveryEvent.DSACK_OLD_SENT : RecoveryEvent.DSACK_OFO_SENT);
        c.dsackPending = true;
        c.dsackStart = start;
        c.dsackEnd = end;
    }

    /** tcp_dsack_extend: grow a pending block that touches {@code [start, end)}, or start one. */
    static void extend(Connection c, int start, int end) {
        if (!c.dsackPending) {
            set(c, start, end);
        } else if (!Seq.gt(start, c.dsackEnd) && !Seq.gt(c.dsackStart, end)) {
            c.dsackStart = Seq.min(start, c.dsackStart);
            c.dsackEnd = Seq.max(end, c.dsackEnd);
        }
    }

    /**
     * A data segment's bytes {@code [seq, seq + len)} are about to be queued: whatever part of
     * them is already held out of order is a duplicate (tcp_data_queue_ofo's overlap cases,
     * tcp_ofo_queue's for data that fills up to held bytes).
     */
    static void heldDuplicate(Connection c, int seq, int len) {
        int offset = (int) Seq.distance(c.rcvNxt, seq);
        long held = c.recvBuf.heldOverlap(offset, len);
        if (held >= 0) extend(c, c.rcvNxt + (int) (held >>> 32), c.rcvNxt + (int) held);
    }

    /** tcp_data_queue starts each data segment by forgetting a D-SACK not yet sent (rx_opt.dsack = 0). */
    static void newDataArrives(Connection c) {
        c.dsackPending = false;
    }

    /** Whether the next segment has a block to report. */
    static boolean pending(Connection c) {
        return c.dsackPending;
    }

    /** The D-SACK block goes first in {@code s} and is spent (tcp_options_write clears rx_opt.dsack). */
    static void write(Connection c, Segment s) {
        if (!c.dsackPending) return;
        s.addSack(c.dsackStart, c.dsackEnd);
        c.dsackPending = false;
    }
}
