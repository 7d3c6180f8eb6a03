package io.jtcp.tcp;

import io.jtcp.config.IpSysctl;
import io.jtcp.wire.Seq;

/**
 * RACK (RFC 8985 §6, Linux's tcp_recovery.c): loss detection by time. The most recently
 * sent segment known to be delivered is the clock; a segment sent before it and outstanding
 * longer than RACK's RTT plus a reordering window is lost. The window is a quarter of the
 * minimum RTT per step, none once the path has shown no reordering and enough is SACKed,
 * and it widens on D-SACKs. Its state lives in {@link LossRecovery}, whose per-ACK
 * processing calls these rules.
 */
final class Rack {
    private Rack() {}

    /** Linux's TCP_RACK_RECOVERY_THRESH: recoveries a widened reordering window persists for. */
    static final int RECOVERY_THRESH = 16;

    /**
     * tcp_rack_advance: a segment sent at {@code sentAt} was delivered. A retransmitted one
     * whose apparent RTT is below the minimum may have been the original's delivery: ignored.
     * An RTT exactly at the minimum is ignored too: on a path without jitter (a simulated
     * link, a packetdrill script) the tie is exact, where Linux's microsecond clock lands a
     * hair below the minimum measured on the handshake and so ignores the sample.
     */
    static void advance(LossRecovery r, byte flags, int endSeq, long sentAt) {
        Connection c = r.c;
        long rtt = c.now - sentAt;
        if ((flags & Scoreboard.EVER_RETRANS) != 0 && rtt <= c.rtt.minRtt()) return;
        r.rackAdvanced = true;
        r.rackRtt = rtt;
        if (sentAfter(sentAt, r.rackSentAt, endSeq, r.rackEndSeq)) {
            r.rackSentAt = sentAt;
            r.rackEndSeq = endSeq;
        }
    }

    private static boolean sentAfter(long t1, long t2, int seq1, int seq2) {
        return t1 > t2 || t1 == t2 && Seq.gt(seq1, seq2);
    }

    /**
     * tcp_rack_reo_wnd: none before reordering was seen once in recovery or once the reordering
     * degree's worth is SACKed (unless tcp_recovery bit 4); else a quarter of the minimum RTT
     * per step, at most SRTT.
     */
    private static long reorderWindow(LossRecovery r) {
        Connection c = r.c;
        if (r.reorderSeen == 0) {
            if (r.w.state.ordinal() >= CaState.RECOVERY.ordinal()) return 0;
            if (c.board.sackedOut >= r.reordering && (c.cfg.ip(IpSysctl.TCP_RECOVERY) & 4) == 0) return 0;
        }
        long minRtt = c.rtt.minRtt() == Long.MAX_VALUE ? 0 : c.rtt.minRtt();
        return Math.min((minRtt >> 2) * r.reoWndSteps, c.rtt.srtt());
    }

    /** tcp_rack_mark_lost. Returns true when it armed the reordering timer for segments not yet overdue. */
    static boolean markLost(LossRecovery r) {
        if (!r.rackAdvanced) return false;
        r.rackAdvanced = false;
        long wait = detectLoss(r);
        if (wait <= 0) return false;
        r.c.timers.armRecovery(TimerTable.Kind.REORDER, r.c.now + wait + LossRecovery.TIMEOUT_MIN_NANOS);
        return true;
    }

    /**
     * tcp_rack_detect_loss: every segment not SACKed, sent before the most recently delivered
     * one, and outstanding longer than RACK's RTT plus the reordering window is lost. Returns
     * the longest time one of the others still has, or 0. Records are in sequence order;
     * originals were sent in that order too, so the scan ends at the first original sent after
     * the RACK segment, while retransmissions (sent later) are only skipped.
     */
    private static long detectLoss(LossRecovery r) {
        Connection c = r.c;
        Scoreboard b = c.board;
        long reoWnd = reorderWindow(r);
        long wait = 0;
        for (int i = 0; i < b.packetsOut(); i++) {
            byte f = b.flags(i);
            if ((f & Scoreboard.SACKED) != 0) continue;
            if ((f & Scoreboard.LOST) != 0 && (f & Scoreboard.RETRANS) == 0) continue;
            if (!sentAfter(r.rackSentAt, b.sentAt(i), r.rackEndSeq, b.end(i))) {
                if ((f & Scoreboard.EVER_RETRANS) == 0) break;
                continue;
            }
            long remaining = r.rackRtt + reoWnd - (c.now - b.sentAt(i));
            if (remaining <= 0) r.markLost(i);
            else wait = Math.max(wait, remaining);
        }
        return wait;
    }

    /** The reordering timer fired (tcp_rack_reo_timeout): mark what is overdue now and repair it. */
    static void timeout(LossRecovery r) {
        Connection c = r.c;
        int before = c.board.inFlight();
        r.lostSegments = 0;
        long wait = detectLoss(r);
        if (before != c.board.inFlight() && r.w.state != CaState.RECOVERY) {
            r.enterRecovery();
            r.reduce(1, true, false);
        }
        if (wait > 0) c.timers.armRecovery(TimerTable.Kind.REORDER, c.now + wait + LossRecovery.TIMEOUT_MIN_NANOS);
        else if (c.timers.recoveryPending() == null) r.rearmRetransmit();
    }

    /**
     * tcp_rack_update_reo_wnd: a D-SACK shows a retransmission was spurious, so the reordering
     * window grows a step (at most once a round trip) and stays wider for 16 recoveries.
     */
    static void updateReorderWindow(LossRecovery r, int newlyDelivered, boolean dsack) {
        if ((r.c.cfg.ip(IpSysctl.TCP_RECOVERY) & 2) != 0 || newlyDelivered == 0 && !dsack) return;
        long priorDelivered = r.delivered - newlyDelivered;
        if (priorDelivered < r.rackLastDelivered) r.rackDsackSeen = false;
        if (r.rackDsackSeen) {
            r.reoWndSteps = Math.min(0xFF, r.reoWndSteps + 1);
            r.rackDsackSeen = false;
            r.rackLastDelivered = r.delivered;
            r.reoWndPersist = RECOVERY_THRESH;
        } else if (r.reoWndPersist == 0) {
            r.reoWndSteps = 1;
        }
    }
}
