package io.jtcp.tcp;

import io.jtcp.config.IpSysctl;
import io.jtcp.wire.Segment;
import io.jtcp.wire.Seq;

/**
 * Loss detection and recovery as Linux runs them (tcp_input.c's tcp_ack, tcp_fastretrans_alert,
 * tcp_recovery.c): SACK information marks the {@link Scoreboard}, whose pipe and
 * retransmit-the-lost-first order are RFC 6675's; RACK (RFC 8985) deems a segment lost once
 * one sent after it was delivered and a reordering window has passed (RFC 6675's
 * duplicate threshold survives only as that window closing once tcp_reordering segments
 * are SACKed: Linux 6.18 runs RACK whatever tcp_recovery's first bit says); NewReno's
 * head-of-queue rule without SACK; Proportional Rate Reduction (RFC 6937) paces the window
 * down during recovery; tail loss probes (RFC 8985 §7) turn a lost tail into a fast recovery
 * instead of a timeout; a timeout marks everything lost and F-RTO (RFC 5682) checks whether
 * it was spurious; timestamps (Eifel, RFC 3522) and D-SACKs (RFC 3708) undo reductions that
 * were. The {@link CongestionControl} chooses by how much the window shrinks and how it grows.
 *
 * <p>One instance per connection holds the recovery state; the window is in {@link CongestionWindow}.
 */
final class LossRecovery {
    /** Linux's TCP_TIMEOUT_MIN (2 jiffies at HZ=1000) that timers add so they fire after, not at, the instant. */
    static final long TIMEOUT_MIN_NANOS = 2_000_000L;

    final Connection c;
    final CongestionWindow w = new CongestionWindow();
    /** The connection's algorithm, and its state, made at first use: an idle connection never needs one. */
    private io.jtcp.config.CongestionAlgorithm algorithm;
    private CongestionControl ops;

    /** SND.NXT when the current reduction began (high_seq): recovery ends once SND.UNA passes it. */
    int highSeq;
    /** The reordering degree in segments (tp->reordering), and how often reordering was seen (reord_seen). */
    int reordering;
    int reorderSeen;
    /** Undo bookkeeping (undo_marker, undo_retrans): retransmissions since the reduction that no D-SACK has shown spurious. */
    boolean undoArmed;
    int undoMarker, undoRetrans;
    /** The TSval clock at the episode's first retransmission (retrans_stamp): an echo older than it proves the original arrived. */
    boolean retransStamped;
    int retransStamp;
    /** PRR's counters (RFC 6937): segments delivered and sent since recovery began. */
    int prrDelivered, prrOut;
    /** F-RTO is judging the last timeout (tp->frto); its step 2b sends new data instead of retransmitting. */
    boolean frto, sendNewInsteadOfLost;
    /** Segments delivered (acknowledged or SACKed) over the connection's life (tp->delivered). */
    long delivered;

    // RACK's state (RFC 8985 §6, see {@link Rack}): the most recently sent segment known delivered, and the reordering window.
    long rackSentAt = Long.MIN_VALUE;
    int rackEndSeq;
    long rackRtt;
    boolean rackAdvanced, rackDsackSeen;
    int reoWndSteps = 1, reoWndPersist;
    long rackLastDelivered;

    // The tail loss probe (RFC 8985 §7): outstanding until SND.UNA passes tlpHighSeq.
    boolean tlpActive, tlpRetrans;
    int tlpHighSeq;

    // What the ACK being processed did (tcp_ack's flag and sack_state).
    private int ackedSegments, sackedSegments;
    int lostSegments;
    private boolean origAcked, dataSacked, dsack, dsackForProbe;
    /** This ACK echoes congestion (tcp_ack's FLAG_ECE, part of FLAG_CA_ALERT): see {@link Ecn#echoed}. */
    private boolean ece;
    private int reorderLow;
    private boolean reorderLowSet;
    private int highestSacked, priorHighestSacked;
    private boolean anySacked, priorAnySacked;

    /** Ready once {@link #reset} has run (Connection's newIncarnation, from its constructor on). */
    LossRecovery(Connection c) {
        this.c = c;
    }

    /** A fresh incarnation: the initial window, the configured algorithm (started afresh) and reordering degree. */
    void reset() {
        io.jtcp.config.CongestionAlgorithm wanted = c.opts.congestion != null ? c.opts.congestion : c.cfg.tcpCongestionControl();
        if (ops != null && wanted == algorithm) ops.init(w);
        else ops = null;
        algorithm = wanted;
        w.cwnd = CongestionWindow.INITIAL_WINDOW;
        w.ssthresh = CongestionWindow.INFINITE_SSTHRESH;
        w.cwndCount = w.maxPacketsOut = w.priorCwnd = w.priorSsthresh = 0;
        w.cwndLimited = false;
        w.state = CaState.OPEN;
        w.lastDataSentAt = c.now;
        reordering = c.cfg.ip(IpSysctl.TCP_REORDERING);
        reorderSeen = 0;
        undoArmed = retransStamped = frto = sendNewInsteadOfLost = tlpActive = tlpRetrans = false;
        prrDelivered = prrOut = 0;
        delivered = 0;
        rackSentAt = Long.MIN_VALUE;
        rackRtt = 0;
        rackAdvanced = rackDsackSeen = false;
        reoWndSteps = 1;
        reoWndPersist = 0;
        anySacked = false;
    }

    /** TCP_CONGESTION on a live connection: the new algorithm starts from the current window (tcp_reinit_congestion_control). */
    void switchAlgorithm(io.jtcp.config.CongestionAlgorithm next) {
        algorithm = next;
        ops = null;
    }

    io.jtcp.config.CongestionAlgorithm algorithm() {
        return algorithm;
    }

    private CongestionControl ops() {
        if (ops == null) ops = CongestionControl.create(algorithm);
        return ops;
    }

    boolean sackMode() {
        return c.agreed.sackOk;
    }

    // ---------------------------------------------------------------- ACK processing

    /** Before an acceptable ACK is looked at: clears the per-ACK record. */
    void ackBegins(Segment seg) {
        lastEcho = seg.hasTimestamps ? seg.tsEcr : 0;
        priorAnySacked = anySacked;
        priorHighestSacked = highestSacked;
        ackedSegments = sackedSegments = lostSegments = 0;
        origAcked = dataSacked = dsack = dsackForProbe = reorderLowSet = false;
        ece = Ecn.echoed(c, seg);
    }

    /**
     * tcp_sacktag_write_queue: marks what the SACK blocks cover, notes a D-SACK (RFC 2883:
     * the first block below SND.UNA or inside the second), advances RACK and detects
     * reordering. Blocks outside [SND.UNA, SND.NXT] are discarded.
     */
    void sackArrived(Segment seg) {
        Scoreboard b = c.board;
        int n = seg.sackCount;
        if (n == 0) return;
        int first = 0;
        if (isDsack(seg)) {
            dsack = true;
            first = 1;
            c.events.recovery(c, RecoveryEvent.DSACK_RECV);
            dsackArrived(seg.sackLeft(0), seg.sackRight(0));
        }
        // Linux sorts the blocks by sequence (the newest comes first on the wire), so a lower block
        // is never taken for data that arrived after a higher one.
        int[] order = SACK_ORDER.get();
        int m = 0;
        for (int k = first; k < n; k++) {
            int at = m++;
            while (at > 0 && Seq.gt(seg.sackLeft(order[at - 1]), seg.sackLeft(k))) {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = k;
        }
        for (int j = 0; j < m; j++) {
            int k = order[j];
            int left = seg.sackLeft(k), right = seg.sackRight(k);
            if (!Seq.gt(right, left) || Seq.gt(right, c.sndNxt) || !Seq.gt(right, c.sndUna)) {
                c.events.recovery(c, RecoveryEvent.SACK_DISCARD);
                continue;
            }
            if (Seq.lt(left, c.sndUna)) left = c.sndUna;
            int i = b.find(left);
            if (i < 0) continue;
            // A block that starts inside a record covers it only from there: Linux's tcp_match_skb_to_sack
            // splits off the covered part; here the record keeps waiting for the rest to be SACKed.
            if (b.start(i) != left) i++;
            for (; i < b.packetsOut() && Seq.leq(b.end(i), right); i++) {
                if (b.has(i, Scoreboard.SACKED)) continue;
                sacked(i);
            }
        }
        if (reorderLowSet) {
            checkReordering(reorderLow);
            reorderLowSet = false;
        }
    }

    private static final ThreadLocal<int[]> SACK_ORDER = ThreadLocal.withInitial(() -> new int[Segment.MAX_SACK_BLOCKS]);

    private static boolean isDsack(Segment seg) {
        if (Seq.lt(seg.sackLeft(0), seg.ack)) return true;
        return seg.sackCount > 1 && Seq.leq(seg.sackRight(0), seg.sackRight(1)) && Seq.geq(seg.sackLeft(0), seg.sackLeft(1));
    }

    /**
     * tcp_check_dsack: a D-SACK below SND.UNA for data retransmitted in this episode means
     * that retransmission was not needed; when none remains needed the reduction is undone
     * ({@link #tryUndoDsack}). It also widens RACK's reordering window.
     */
    private void dsackArrived(int left, int right) {
        rackDsackSeen = true;
        // tcp_sacktag_one: a D-SACK for a resent segment whose original was SACKed already means the original
        // was only late; the path reorders down to it.
        Scoreboard b = c.board;
        for (int i = Math.max(b.find(left), 0); i < b.packetsOut() && Seq.leq(b.end(i), right); i++) {
            if (Seq.geq(b.start(i), left) && b.has(i, Scoreboard.SACKED) && b.has(i, Scoreboard.EVER_RETRANS)
                    && (!reorderLowSet || Seq.lt(b.start(i), reorderLow))) {
                reorderLow = b.start(i);
                reorderLowSet = true;
            }
        }
        if (undoArmed && undoRetrans > 0 && Seq.leq(right, c.sndUna) && Seq.gt(right, undoMarker)) undoRetrans--;
        if (tlpActive && tlpRetrans && right == tlpHighSeq) dsackForProbe = true;
    }

    private void sacked(int i) {
        Scoreboard b = c.board;
        byte f = b.flags(i);
        if ((f & Scoreboard.EVER_RETRANS) == 0) {
            // tcp_sacktag_one: a never-retransmitted segment SACKed below the highest SACK arrived out of order.
            if (anySacked && Seq.lt(b.start(i), highestSacked) && (!reorderLowSet || Seq.lt(b.start(i), reorderLow))) {
                reorderLow = b.start(i);
                reorderLowSet = true;
            }
            if (Seq.leq(b.end(i), highSeq)) origAcked = true;
        }
        b.unmark(i, Scoreboard.LOST);
        b.unmark(i, Scoreboard.RETRANS);
        b.mark(i, Scoreboard.SACKED);
        sackedSegments++;
        dataSacked = true;
        Rack.advance(this, f, b.end(i), b.sentAt(i));
        if (!anySacked || Seq.gt(b.end(i), highestSacked)) highestSacked = b.end(i);
        anySacked = true;
    }

    /**
     * tcp_check_sack_reordering: data below the highest SACK arrived without a retransmission,
     * so the path reorders by at least that distance; RACK then keeps its reordering window.
     */
    private void checkReordering(int lowSeq) {
        checkReordering(lowSeq, RecoveryEvent.SACK_REORDER);
    }

    private void checkReordering(int lowSeq, RecoveryEvent counted) {
        if (!anySacked || !Seq.lt(lowSeq, highestSacked)) return;
        int mss = Math.max(c.agreed.sndMss, 1);
        long metric = Seq.distance(lowSeq, highestSacked);
        if (metric > (long) reordering * mss) {
            reordering = (int) Math.min((metric + mss - 1) / mss, c.cfg.ip(IpSysctl.TCP_MAX_REORDERING));
        }
        reorderSeen++;
        c.events.recovery(c, counted);
    }

    /**
     * tcp_clean_rtx_queue: SND.UNA moved to {@code ack}; the records it covers leave the
     * scoreboard, each counted delivered unless SACKed before, and RACK advances.
     */
    void cumulativeAck(int ack) {
        Scoreboard b = c.board;
        for (int i = 0; i < b.packetsOut() && Seq.leq(b.end(i), ack); i++) {
            byte f = b.flags(i);
            if ((f & (Scoreboard.EVER_RETRANS | Scoreboard.SACKED)) == 0) {
                if (!reorderLowSet || Seq.lt(b.start(i), reorderLow)) {
                    reorderLow = b.start(i);
                    reorderLowSet = true;
                }
                if (Seq.leq(b.end(i), highSeq)) origAcked = true;
            }
            if ((f & Scoreboard.SACKED) == 0) {
                ackedSegments++;
                if (sackMode()) Rack.advance(this, f, b.end(i), b.sentAt(i));
            }
        }
        b.removeUpTo(ack);
        if (!sackMode()) removeRenoSacks();
        // tcp_clean_rtx_queue: never-resent data acknowledged below what was SACKed before this ACK arrived out of order.
        if (sackMode() && reorderLowSet && priorAnySacked && Seq.lt(reorderLow, priorHighestSacked)) checkReordering(reorderLow);
        if (anySacked && !Seq.gt(highestSacked, ack)) anySacked = false;
    }

    /**
     * The end of tcp_ack for an acceptable ACK: recovery's state machine
     * (tcp_fastretrans_alert) when the ACK is dubious, then the window (PRR in a reduction,
     * the algorithm's growth otherwise), then the timers. What it decided to retransmit goes
     * out with the next {@link Output#push}.
     */
    void ackProcessed(Segment seg, boolean advanced, boolean duplicate, int priorUna, long rttNanos) {
        int newlyDelivered = ackedSegments + sackedSegments;
        delivered += newlyDelivered;
        w.sndUna = c.sndUna;
        w.sndNxt = c.sndNxt;
        if (newlyDelivered > 0) ops().acked(w, newlyDelivered, rttNanos, c.now);
        Rack.updateReorderWindow(this, newlyDelivered, dsack);
        if (tlpActive) tlpAcked(seg.ack, advanced, duplicate);
        boolean dubious = duplicate || dataSacked || dsack || ece || w.state != CaState.OPEN;
        boolean setTimer = advanced;
        if (dubious) setTimer &= !fastRetransAlert(advanced, duplicate ? 1 : 0, priorUna);
        if (w.state == CaState.CWR || w.state == CaState.RECOVERY) {
            reduce(newlyDelivered + (sackMode() ? 0 : renoDelivered), lostSegments > 0, advanced);
        } else if (mayRaise(advanced)) {
            ops().congestionAvoidance(w, newlyDelivered + (sackMode() ? 0 : renoDelivered), c.now);
        }
        renoDelivered = 0;
        if (setTimer) setTransmitTimer();
    }

    /** tcp_may_raise_cwnd: grow on in-order delivery, or on any progress when the path is known to reorder. */
    private boolean mayRaise(boolean advanced) {
        if (reordering > c.cfg.ip(IpSysctl.TCP_REORDERING)) return advanced || dataSacked;
        return advanced && ackedSegments > 0;
    }

    /**
     * tcp_fastretrans_alert. Returns true when it armed RACK's reordering timer, which
     * then holds the retransmission slot.
     */
    private boolean fastRetransAlert(boolean advanced, int dupAcks, int priorUna) {
        Scoreboard b = c.board;
        if (b.isEmpty() && b.sackedOut > 0) b.sackedOut = 0;
        // D: the state ends once what was outstanding when it began is acknowledged.
        if (w.state != CaState.OPEN && w.state != CaState.DISORDER && w.state != CaState.LOSS && !Seq.lt(c.sndUna, highSeq)) {
            if (w.state == CaState.CWR) {
                if (c.sndUna != highSeq) {
                    endReduction();
                    setState(CaState.OPEN);
                }
            } else if (w.state == CaState.RECOVERY) {
                if (!sackMode()) b.sackedOut = 0;
                if (tryUndoRecovery()) return false;
                endReduction();
            }
        }
        boolean reoTimer = false;
        switch (w.state) {
            case RECOVERY -> {
                if (!advanced) {
                    if (!sackMode()) addRenoSack(dupAcks);
                } else if (tryUndoPartial(priorUna)) {
                    return false;
                }
                if (tryUndoDsack()) tryKeepOpen();
                reoTimer = identifyLoss(advanced);
                if (!timeToRecover()) {
                    tryToOpen();
                    return reoTimer;
                }
            }
            case LOSS -> {
                processLoss(advanced, dupAcks, priorUna);
                reoTimer = identifyLoss(advanced);
                if (w.state != CaState.OPEN) return reoTimer;
                reoTimer |= openStateAlert(advanced, dupAcks);
            }
            default -> reoTimer = openStateAlert(advanced, dupAcks);
        }
        return reoTimer;
    }

    /** fastretrans_alert's default branch: Open, Disorder or CWR, deciding whether to enter recovery. */
    private boolean openStateAlert(boolean advanced, int dupAcks) {
        if (!sackMode()) {
            if (advanced) c.board.sackedOut = 0;
            addRenoSack(dupAcks);
        }
        if (w.state.ordinal() <= CaState.DISORDER.ordinal()) tryUndoDsack();
        boolean reoTimer = identifyLoss(advanced);
        if (!timeToRecover()) {
            tryToOpen();
            return reoTimer;
        }
        enterRecovery();
        if (!sackMode()) markHeadLost();
        return reoTimer;
    }

    /** tcp_time_to_recover: something is marked lost. */
    private boolean timeToRecover() {
        return c.board.lostOut > 0;
    }

    /** tcp_identify_packet_loss. Returns true when RACK armed its reordering timer. */
    private boolean identifyLoss(boolean advanced) {
        if (c.board.isEmpty()) return false;
        if (!sackMode()) {
            newRenoMarkLost(advanced);
            return false;
        }
        return Rack.markLost(this);
    }

    /** tcp_newreno_mark_lost: the head is lost on the reordering degree's worth of duplicates, or on a partial ACK in recovery. */
    private void newRenoMarkLost(boolean advanced) {
        if (w.state.ordinal() < CaState.RECOVERY.ordinal() && c.board.sackedOut >= reordering
                || w.state == CaState.RECOVERY && advanced) {
            markHeadLost();
        }
    }

    /** Without SACK, the head is what is lost (tcp_newreno_mark_lost, splitting it to one MSS). */
    private void markHeadLost() {
        Scoreboard b = c.board;
        if (b.isEmpty() || b.has(0, Scoreboard.LOST)) return;
        splitToMss(0);
        markLost(0);
    }

    /** tcp_mark_skb_lost: a retransmission deemed lost again stops counting as in flight. */
    void markLost(int i) {
        Scoreboard b = c.board;
        if (b.has(i, Scoreboard.SACKED) || b.has(i, Scoreboard.LOST) && !b.has(i, Scoreboard.RETRANS)) return;
        if (b.has(i, Scoreboard.RETRANS)) {
            b.unmark(i, Scoreboard.RETRANS);
            c.events.recovery(c, RecoveryEvent.LOST_RETRANSMIT);
        }
        b.mark(i, Scoreboard.LOST);
        lostSegments++;
    }

    // ---------------------------------------------------------------- states and the window

    private void setState(CaState next) {
        if (next == w.state) return;
        ops().stateChanged(w, next);
        w.state = next;
    }

    /** tcp_init_undo: a reduction begins that may later prove unneeded. */
    private void initUndo() {
        undoArmed = true;
        undoMarker = c.sndUna;
        undoRetrans = c.board.retransOut + (tlpActive && tlpRetrans ? 1 : 0);
        if (undoRetrans == 0) undoRetrans = -1;
    }

    /** tcp_current_ssthresh: what to restore on undo, at least three quarters of the window outside a reduction. */
    private int currentSsthresh() {
        if (w.state == CaState.CWR || w.state == CaState.RECOVERY) return w.ssthresh;
        return Math.max(w.ssthresh, (w.cwnd >> 1) + (w.cwnd >> 2));
    }

    /** tcp_init_cwnd_reduction. */
    private void initReduction() {
        highSeq = c.sndNxt;
        tlpActive = false;
        w.cwndCount = 0;
        w.priorCwnd = w.cwnd;
        prrDelivered = prrOut = 0;
        w.ssthresh = ops().ssthresh(w);
        Ecn.queueCwr(c);
    }

    /** tcp_enter_recovery: fast recovery, with the window reduced by PRR from here. */
    void enterRecovery() {
        w.priorSsthresh = 0;
        initUndo();
        c.events.recovery(c, sackMode() ? RecoveryEvent.SACK_RECOVERY : RecoveryEvent.RENO_RECOVERY);
        if (w.state != CaState.CWR && w.state != CaState.RECOVERY) {
            w.priorSsthresh = currentSsthresh();
            initReduction();
        }
        setState(CaState.RECOVERY);
    }

    /**
     * tcp_enter_cwr: a congestion signal without loss (an ECN echo) reduces the window once
     * per round trip through PRR, with nothing to retransmit and no undo.
     */
    void enterCwr() {
        w.priorSsthresh = 0;
        if (w.state.ordinal() < CaState.CWR.ordinal()) {
            undoArmed = false;
            initReduction();
            setState(CaState.CWR);
        }
    }

    /** tcp_ca_event from outside the sender (the receiver's ECN marks). */
    void congestionEvent(CongestionControl.CongestionEvent e) {
        ops().event(w, e, c.now);
    }

    /** tcp_end_cwnd_reduction: the window settles at ssthresh. */
    private void endReduction() {
        if (w.ssthresh < CongestionWindow.INFINITE_SSTHRESH && (w.state == CaState.CWR || undoArmed)) {
            w.cwnd = w.ssthresh;
        }
        ops().event(w, CongestionControl.CongestionEvent.COMPLETE_CWR, c.now);
    }

    /**
     * tcp_cwnd_reduction, RFC 6937's PRR: while the pipe is above ssthresh, send in proportion
     * to what was delivered (ssthresh / prior cwnd of it); below it, slow-start back up to
     * ssthresh (PRR-SSRB, as Linux's tcp_cwnd_reduction); at least one segment on entering, so the
     * fast retransmit goes out.
     */
    void reduce(int newlyDelivered, boolean newlyLost, boolean advanced) {
        if (newlyDelivered <= 0 || w.priorCwnd == 0) return;
        prrDelivered += newlyDelivered;
        int inFlight = c.board.inFlight();
        long delta = (long) w.ssthresh - inFlight;
        long sendCount;
        if (delta < 0) {
            long dividend = (long) w.ssthresh * prrDelivered + w.priorCwnd - 1;
            sendCount = dividend / w.priorCwnd - prrOut;
        } else {
            // PRR-SSRB: what was delivered and not yet answered, one more when SND.UNA advanced with nothing newly lost.
            sendCount = Math.max(prrDelivered - prrOut, newlyDelivered) + (advanced && !newlyLost ? 1 : 0);
            sendCount = Math.min(delta, sendCount);
        }
        sendCount = Math.max(sendCount, prrOut == 0 ? 1 : 0);
        w.cwnd = (int) Math.max(1, inFlight + sendCount);
    }

    /** A segment went out: PRR's prr_out while the window is being reduced, and the algorithm's lsndtime. */
    void segmentSent(boolean data) {
        if (w.state == CaState.CWR || w.state == CaState.RECOVERY) prrOut++;
        if (data) w.lastDataSentAt = c.now;
    }

    private void tryKeepOpen() {
        CaState next = c.board.sackedOut + c.board.lostOut > 0 || anyRetransDone() ? CaState.DISORDER : CaState.OPEN;
        if (w.state != next) {
            setState(next);
            highSeq = c.sndNxt;
        }
    }

    private void tryToOpen() {
        if (!anyRetransDone()) retransStamped = false;
        if (ece) enterCwr();  // tcp_try_to_open: an ECN echo without loss reduces the window once (RFC 3168 §6.1.2)
        if (w.state != CaState.CWR) tryKeepOpen();
    }

    /** tcp_any_retrans_done: a retransmission is in flight, or the head was resent once. */
    private boolean anyRetransDone() {
        return c.board.retransOut > 0 || !c.board.isEmpty() && c.board.has(0, Scoreboard.EVER_RETRANS);
    }

    // ---------------------------------------------------------------- undo

    /** Eifel (RFC 3522, tcp_packet_delayed): the ACK echoes a timestamp sent before the first retransmission. */
    private boolean packetDelayed() {
        return retransStamped && c.agreed.tsOk && lastEcho != 0 && Seq.lt(lastEcho, retransStamp);
    }

    /** The TSecr of the ACK being processed, 0 without one. */
    int lastEcho;

    /** tcp_may_undo: every retransmission was shown spurious, or the original arrived first. */
    private boolean mayUndo() {
        return undoArmed && (undoRetrans == 0 || packetDelayed());
    }

    /**
     * tcp_undo_cwnd_reduction: the algorithm's pre-reduction window and the old ssthresh come
     * back; with {@code unmarkLoss}, nothing stays marked lost.
     */
    private void undoReduction(boolean unmarkLoss) {
        Scoreboard b = c.board;
        if (unmarkLoss) for (int i = 0; i < b.packetsOut(); i++) b.unmark(i, Scoreboard.LOST);
        if (w.priorSsthresh != 0) {
            w.cwnd = ops().undoCwnd(w);
            if (w.priorSsthresh > w.ssthresh) w.ssthresh = w.priorSsthresh;
        }
        undoArmed = false;
        rackAdvanced = true;
    }

    /** tcp_try_undo_recovery, as recovery ends. Returns true when the state is held (NewReno at exactly high_seq). */
    private boolean tryUndoRecovery() {
        if (mayUndo()) {
            undoReduction(false);
            c.events.recovery(c, w.state == CaState.LOSS ? RecoveryEvent.LOSS_UNDO : RecoveryEvent.FULL_UNDO);
        } else if (reoWndPersist > 0) {
            reoWndPersist--; // a recovery that was needed: RACK's widened window lasts one fewer
        }
        if (c.sndUna == highSeq && !sackMode()) {
            if (!anyRetransDone()) retransStamped = false;
            return true;
        }
        setState(CaState.OPEN);
        return false;
    }

    /** tcp_try_undo_dsack: D-SACKs covered every retransmission of the episode. */
    private boolean tryUndoDsack() {
        if (!undoArmed || undoRetrans != 0) return false;
        reoWndPersist = Math.min(Rack.RECOVERY_THRESH, reoWndPersist + 1);
        undoReduction(false);
        c.events.recovery(c, RecoveryEvent.DSACK_UNDO);
        return true;
    }

    /** tcp_try_undo_partial: a partial ACK whose timestamp shows the original arrived: it was reordering. */
    private boolean tryUndoPartial(int priorUna) {
        if (!undoArmed || !packetDelayed()) return false;
        // The hole was filled by the delayed original, not the retransmission: the path reorders that far.
        checkReordering(priorUna, RecoveryEvent.TS_REORDER);
        if (c.board.retransOut > 0) return false;
        if (!anyRetransDone()) retransStamped = false;
        undoReduction(true);
        c.events.recovery(c, RecoveryEvent.PARTIAL_UNDO);
        tryKeepOpen();
        return true;
    }

    /** tcp_try_undo_loss: the timeout was spurious (F-RTO's verdict, or by timestamps or D-SACKs). */
    private boolean tryUndoLoss(boolean frtoUndo) {
        if (!frtoUndo && !mayUndo()) return false;
        undoReduction(true);
        c.events.recovery(c, RecoveryEvent.LOSS_UNDO);
        if (frtoUndo) c.events.recovery(c, RecoveryEvent.SPURIOUS_RTO);
        c.retries = 0;
        if (frtoUndo || sackMode()) setState(CaState.OPEN);
        return true;
    }

    // ---------------------------------------------------------------- timeouts and F-RTO

    /**
     * tcp_enter_loss, on a retransmission timeout: everything not SACKed is lost, the window
     * drops to one segment (ssthresh reduced once per episode), and F-RTO (RFC 5682 §3.1
     * step 1) watches the next ACKs unless recovery was already under way.
     */
    void enterLoss() {
        Scoreboard b = c.board;
        boolean newRecovery = w.state.ordinal() < CaState.RECOVERY.ordinal();
        for (int i = 0; i < b.packetsOut(); i++) {
            if (b.has(i, Scoreboard.SACKED)) continue;
            b.unmark(i, Scoreboard.RETRANS);
            b.mark(i, Scoreboard.LOST);
        }
        if (w.state.ordinal() <= CaState.DISORDER.ordinal() || !Seq.gt(highSeq, c.sndUna)
                || w.state == CaState.LOSS && c.retries == 0) {
            w.priorSsthresh = currentSsthresh();
            w.priorCwnd = w.cwnd;
            w.ssthresh = ops().ssthresh(w);
            ops().event(w, CongestionControl.CongestionEvent.LOSS, c.now);
            initUndo();
        }
        w.cwnd = b.inFlight() + 1;
        w.cwndCount = 0;
        int sysctlReordering = c.cfg.ip(IpSysctl.TCP_REORDERING);
        if (w.state.ordinal() <= CaState.DISORDER.ordinal() && b.sackedOut >= sysctlReordering) {
            reordering = Math.min(reordering, sysctlReordering);
        }
        setState(CaState.LOSS);
        highSeq = c.sndNxt;
        tlpActive = false;
        Ecn.queueCwr(c);
        frto = c.cfg.ip(IpSysctl.TCP_FRTO) != 0 && (newRecovery || c.retries > 0);
        c.events.recovery(c, RecoveryEvent.TIMEOUT);
    }

    /**
     * tcp_process_loss: F-RTO's steps after a timeout. An ACK of never-retransmitted data
     * proves the timeout spurious (step 3b); the first ACK that advances lets new data go
     * out instead of retransmissions (step 2b); duplicates or SACKs then mean the loss was
     * real (step 3a). Without F-RTO, recovery continues until high_seq is acknowledged.
     */
    private void processLoss(boolean advanced, int dupAcks, int priorUna) {
        boolean recovered = !Seq.lt(c.sndUna, highSeq);
        sendNewInsteadOfLost = false;
        if (advanced && tryUndoLoss(false)) return;
        if (frto) {
            if (origAcked && tryUndoLoss(true)) return;
            if (Seq.gt(c.sndNxt, highSeq)) {
                if (dataSacked || dupAcks > 0) frto = false;
            } else if (advanced && !recovered) {
                highSeq = c.sndNxt;
                if (Seq.lt(c.sndNxt, c.sendHeadSeq + c.sendBuf.size()) && Seq.gt(SendSequence.windowEnd(c), c.sndNxt)) {
                    sendNewInsteadOfLost = true;
                    return;
                }
                frto = false;
            }
        }
        if (recovered) {
            tryUndoRecovery();
            return;
        }
        if (!sackMode()) {
            if (Seq.gt(c.sndUna, priorUna)) c.board.sackedOut = 0;
            addRenoSack(dupAcks);
        }
    }

    /**
     * tcp_simple_retransmit, after the path MTU fell: segments larger than the new MSS are
     * lost without any congestion signal; the state goes to Loss (so they are resent) with
     * the window untouched.
     */
    void mtuReduced() {
        Scoreboard b = c.board;
        for (int i = 0; i < b.packetsOut(); i++) {
            if (b.end(i) - b.start(i) - (b.has(i, Scoreboard.FIN) ? 1 : 0) > c.agreed.sndMss) markLost(i);
        }
        if (b.lostOut == 0) return;
        if (w.state != CaState.LOSS) {
            highSeq = c.sndNxt;
            w.priorSsthresh = 0;
            undoArmed = false;
            setState(CaState.LOSS);
        }
    }

    // ---------------------------------------------------------------- NewReno's emulated SACKs

    private int renoDelivered;

    /** tcp_add_reno_sack: without SACK, each duplicate ACK stands for one segment that left the network. */
    private void addRenoSack(int dupAcks) {
        if (dupAcks == 0) return;
        Scoreboard b = c.board;
        int prior = b.sackedOut;
        b.sackedOut = Math.max(0, Math.min(b.sackedOut + dupAcks, b.packetsOut() - Math.max(b.lostOut, 1)));
        if (prior + dupAcks > b.sackedOut && b.packetsOut() + 1 > reordering) {
            reordering = Math.min(b.packetsOut() + 1, c.cfg.ip(IpSysctl.TCP_MAX_REORDERING));
            reorderSeen++;
            c.events.recovery(c, RecoveryEvent.RENO_REORDER);
        }
        renoDelivered += Math.max(0, b.sackedOut - prior);
    }

    /** tcp_remove_reno_sacks: a cumulative ACK fills the hole and eats the duplicates that stood for what it covers. */
    private void removeRenoSacks() {
        if (ackedSegments == 0) return;
        Scoreboard b = c.board;
        b.sackedOut = ackedSegments - 1 >= b.sackedOut ? 0 : b.sackedOut - (ackedSegments - 1);
    }

    // ---------------------------------------------------------------- timers and the tail loss probe

    /** tcp_set_xmit_timer: after an ACK that acknowledged data, a loss probe if one applies, else the RTO. */
    void setTransmitTimer() {
        if (!scheduleLossProbe(true)) rearmRetransmit();
    }

    /** tcp_rearm_rto: the RTO counts from now, or, replacing a probe or reordering timer, from the head's send. */
    void rearmRetransmit() {
        if (c.sndMax == c.sndUna) {
            c.timers.cancelRecovery();
            return;
        }
        TimerTable.Kind pending = c.timers.recoveryPending();
        long at = Timers.retransmitDeadline(c);
        if ((pending == TimerTable.Kind.LOSS_PROBE || pending == TimerTable.Kind.REORDER) && !c.board.isEmpty()) {
            long delta = c.rtt.rto() - (c.now - c.board.sentAt(0));
            at = Math.min(at, c.now + Math.max(delta, 1));
        }
        c.timers.armRecovery(TimerTable.Kind.RETRANSMIT, at);
    }

    /**
     * tcp_schedule_loss_probe: with SACK, in Open or CWR, probe after two smoothed RTTs (plus
     * the delayed-ACK allowance when a single segment is out), never later than the RTO would fire.
     */
    boolean scheduleLossProbe(boolean advancingRto) {
        int early = c.cfg.ip(IpSysctl.TCP_EARLY_RETRANS);
        if (early != 3 && early != 4 || c.board.isEmpty() || !sackMode() || !c.ourSynAcked()
                || w.state != CaState.OPEN && w.state != CaState.CWR) {
            return false;
        }
        long timeout;
        if (c.rtt.srtt() > 0) {
            timeout = 2 * c.rtt.srtt() + (c.board.packetsOut() == 1 ? c.cfg.rtoMin().toNanos() : TIMEOUT_MIN_NANOS);
        } else {
            timeout = c.cfg.rtoInitial().toNanos();
        }
        long rtoDelta = advancingRto ? c.rtt.rto() : c.rtt.rto() - (c.now - c.board.sentAt(0));
        if (rtoDelta > 0) timeout = Math.min(timeout, rtoDelta);
        c.timers.armRecovery(TimerTable.Kind.LOSS_PROBE, c.now + timeout);
        return true;
    }

    /**
     * tcp_send_loss_probe: one new segment if the window takes it, else the last segment
     * again; at most one probe outstanding. Then the RTO runs from now.
     */
    void sendLossProbe() {
        if (!tlpActive) {
            int packetsBefore = c.board.packetsOut();
            tlpRetrans = false;
            if (Output.sendProbeSegment(c) && c.board.packetsOut() > packetsBefore) {
                probeSent();
            } else if (!c.board.isEmpty()) {
                int last = c.board.packetsOut() - 1;
                int len = c.board.end(last) - c.board.start(last) - (c.board.has(last, Scoreboard.FIN) ? 1 : 0);
                if (len > c.agreed.sndMss) {
                    c.board.split(last, c.board.start(last) + len - c.agreed.sndMss);
                    last++;
                }
                Output.retransmitRecord(c, last, true);
                tlpRetrans = true;
                probeSent();
            }
        }
        rearmRetransmit();
    }

    private void probeSent() {
        tlpHighSeq = c.sndNxt;
        tlpActive = true;
        c.events.recovery(c, RecoveryEvent.LOSS_PROBE);
        c.timers.cancelRecovery();
    }

    /**
     * tcp_process_tlp_ack: once SND.UNA reaches the probe's mark, a D-SACK of the probe or a
     * pure duplicate says both copies arrived (nothing was lost); an ACK beyond it says the
     * probe repaired a loss, which costs one window reduction.
     */
    private void tlpAcked(int ack, boolean advanced, boolean duplicate) {
        if (Seq.lt(ack, tlpHighSeq)) return;
        if (!tlpRetrans || dsackForProbe) {
            tlpActive = false;
        } else if (Seq.gt(ack, tlpHighSeq)) {
            tlpActive = false;
            initReduction();
            setState(CaState.CWR);
            endReduction();
            tryKeepOpen();
            c.events.recovery(c, RecoveryEvent.LOSS_PROBE_RECOVERY);
        } else if (!advanced && duplicate && !dataSacked) {
            tlpActive = false;
        }
    }

    /** A retransmission left: counts for undo (undo_retrans) and stamps the episode's first (retrans_stamp). */
    void retransmitted() {
        if (!retransStamped) {
            retransStamped = true;
            retransStamp = c.tsNow(c.now);
        }
        if (undoRetrans < 0) undoRetrans = 0;
        undoRetrans++;
        c.events.recovery(c, w.state == CaState.LOSS ? RecoveryEvent.SLOW_START_RETRANS : RecoveryEvent.FAST_RETRANS);
    }

    /** Splits record {@code i} so it is at most one MSS (tcp_fragment before a retransmission). */
    void splitToMss(int i) {
        Scoreboard b = c.board;
        int len = b.end(i) - b.start(i) - (b.has(i, Scoreboard.FIN) ? 1 : 0);
        if (len > c.agreed.sndMss) b.split(i, b.start(i) + c.agreed.sndMss);
    }

    /**
     * tcp_cwnd_validate, after a burst: the round trip's peak of segments out, and whether the
     * window was what stopped the sender, both renewed once SND.UNA passes the last round's end.
     */
    void validate(boolean cwndLimited) {
        int packetsOut = c.board.packetsOut();
        if (!Seq.lt(c.sndUna, w.usageSeq) || cwndLimited || !w.cwndLimited && packetsOut > w.maxPacketsOut) {
            w.cwndLimited = cwndLimited;
            w.maxPacketsOut = packetsOut;
            w.usageSeq = c.sndNxt;
        }
    }

    /**
     * tcp_cwnd_restart (tcp_slow_start_after_idle): data sent after an idle longer than the RTO
     * starts from at most the initial window again, halving once per RTO of idleness.
     */
    void restartAfterIdle() {
        long idleNanos = c.now - w.lastDataSentAt;
        ops().event(w, CongestionControl.CongestionEvent.TX_START, c.now);
        if (c.cfg.ip(IpSysctl.TCP_SLOW_START_AFTER_IDLE) == 0 || idleNanos <= c.rtt.rto()) return;
        int restart = Math.min(CongestionWindow.INITIAL_WINDOW, w.cwnd);
        ops().event(w, CongestionControl.CongestionEvent.CWND_RESTART, c.now);
        w.ssthresh = currentSsthresh();
        long rtos = idleNanos / Math.max(c.rtt.rto(), 1);
        while (rtos-- > 0 && w.cwnd > restart) w.cwnd >>= 1;
        w.cwnd = Math.max(w.cwnd, restart);
        w.cwndCount = 0;
    }
}
