package io.jtcp.tcp;

import io.jtcp.api.Errno;

import io.jtcp.wire.DropReason;
import io.jtcp.wire.Segment;
import io.jtcp.wire.Seq;
import io.jtcp.wire.TcpFlags;

/**
 * SEGMENT ARRIVES (RFC 9293 §3.10.7), state by state and step by step in the
 * RFC's order: sequence number, RST, SYN, ACK, URG, text, FIN. RFC 5961's
 * answers to blind attacks replace the RFC 793 RST, SYN and ACK rules, as
 * RFC 9293 asks. Nothing here throws for any segment content: every discard
 * is reported with a {@link DropReason}.
 */
final class Input {
    private Input() {}

    /** Returns false when TIME_WAIT yields a SYN to a new incarnation. */
    static boolean segmentArrives(Connection c, Segment seg) {
        switch (c.state) {
            case CLOSED -> closed(c, seg);
            case LISTEN -> listen(c, seg);
            case SYN_SENT -> synSent(c, seg);
            case TIME_WAIT -> { return timeWait(c, seg); }
            default -> synchronizedState(c, seg);
        }
        return true;
    }

    /** §3.10.7.1: a CLOSED TCB answers everything but a RST with a RST. */
    private static void closed(Connection c, Segment seg) {
        drop(c, seg, DropReason.CLOSED);
        Output.replyReset(c, seg);
    }

    /** §3.10.7.2. */
    private static void listen(Connection c, Segment seg) {
        if (seg.rst()) {
            drop(c, seg, DropReason.LISTEN_RST);
            return;
        }
        if (seg.ackFlag()) {
            drop(c, seg, DropReason.LISTEN_ACK);
            Output.replyReset(c, seg);
            return;
        }
        if (!seg.syn()) {
            drop(c, seg, DropReason.UNEXPECTED_SEGMENT);
            return;
        }
        if (c.remoteAddr.isAny()) {
            c.remoteAddr = seg.srcAddr;
            c.remotePort = seg.srcPort;
        }
        c.irs = seg.seq;
        c.rcvNxt = seg.seq + 1;
        Options.negotiate(c, seg);
        Ecn.synArrived(c, seg);
        // RCV.WND counts from RCV.NXT (§3.3.1): the whole initial window, though a SYN-ACK's field says at most 65535 of it.
        c.rcvEdge = c.rcvNxt + (int) c.rcvSsthresh;
        c.sndUna = c.sndNxt = c.sndMax = c.sndSml = c.pushedSeq = c.iss;
        c.sendHeadSeq = c.iss + 1;
        // The window of a SYN is never scaled (RFC 7323 §2.2).
        updateWindow(c, seg.window, seg.seq);
        c.lastReceivedAt = c.now;
        // Data on a SYN is not kept (Linux without TCP Fast Open does the same): the peer resends it.
        c.setState(State.SYN_RECEIVED, Cause.SYN_RECEIVED);
        if (c.fastOpenChild) FastOpen.takeSynData(c, seg);
    }

    /**
     * A SYN cookie came back ({@link Connection#openFromCookie}): do what {@link #listen}
     * did on the SYN and what sending the SYN-ACK did, from the cookie's terms, then
     * take the ACK through the SYN_RECEIVED rules like any other.
     */
    static void cookieAck(Connection c, CookieHandshake.Terms terms, Segment ack) {
        c.remoteAddr = ack.srcAddr;
        c.remotePort = ack.srcPort;
        c.irs = ack.seq - 1;
        c.rcvNxt = ack.seq;
        Segment syn = new Segment();
        syn.seq = c.irs;
        syn.mss = terms.mss();
        syn.windowScale = terms.windowScale();
        syn.sackPermitted = terms.sackPermitted();
        syn.hasTimestamps = terms.timestamps() && ack.hasTimestamps;
        // The SYN's own TSval is gone; the ACK's is the most recent the peer sent (Linux does the same).
        syn.tsVal = ack.tsVal;
        Options.negotiate(c, syn);
        Ecn.fromCookie(c, terms.ecn());
        c.sndUna = c.sndSml = c.pushedSeq = c.iss;
        c.sndNxt = c.sndMax = c.iss + 1;
        c.sendHeadSeq = c.iss + 1;
        // The SYN's window is unknown (not remembered); the ACK's, scaled, replaces it in ack().
        updateWindow(c, 0, c.irs);
        // What our SYN-ACK offered (CookieHandshake.synAck follows Options.negotiate).
        c.rcvEdge = c.rcvNxt + (int) c.rcvSsthresh;
        c.lastAckSent = c.rcvNxt;
        c.lastReceivedAt = c.now;
        c.synCookie = true;
        c.setState(State.SYN_RECEIVED, Cause.SYN_COOKIE_ACK);
        synchronizedState(c, ack);
    }

    /** §3.10.7.3. */
    private static void synSent(Connection c, Segment seg) {
        boolean ackAcceptable = false;
        if (seg.ackFlag()) {
            if (Seq.leq(seg.ack, c.iss) || Seq.gt(seg.ack, c.sndMax)) {
                drop(c, seg, DropReason.BAD_SYN_ACK);
                if (!seg.rst()) Output.sendReset(c, seg.ack, 0, false);
                // Linux's tcp_rcv_synsent_state_process: the peer may hold a stale connection that our RST
                // (or its own) is now clearing; unless the SYN was resent already, resend it at once
                // (the retransmission timer set to TCP_TIMEOUT_MIN) rather than one initial RTO later.
                if (c.retries == 0) c.timers.armRecovery(TimerTable.Kind.RETRANSMIT, c.now + Tcp.TIMEOUT_MIN_NANOS);
                return;
            }
            ackAcceptable = true;
        }
        if (seg.rst()) {
            // RFC 5961 §3: in SYN_SENT an RST counts only if it acknowledges our SYN.
            if (ackAcceptable) {
                c.fail(Errno.ECONNREFUSED, Cause.RESET_REFUSED);
            } else {
                drop(c, seg, DropReason.RST_OUT_OF_WINDOW);
            }
            return;
        }
        if (!seg.syn()) {
            drop(c, seg, DropReason.UNEXPECTED_SEGMENT);
            return;
        }
        c.irs = seg.seq;
        c.rcvNxt = seg.seq + 1;
        // RCV.WND counts from RCV.NXT (§3.3.1): the initial window our SYN offered (its field unscaled, RFC 7323 §2.2).
        c.rcvEdge = c.rcvNxt + (int) c.rcvSsthresh;
        c.lastReceivedAt = c.now;
        Options.negotiate(c, seg);
        if (ackAcceptable) {
            // Our SYN is acknowledged: the handshake is complete on this side.
            c.stats.lastAckReceivedAt = c.now;
            Ecn.synAckArrived(c, seg);
            acknowledge(c, seg);
            updateWindow(c, seg.window, seg.seq);
            AckPolicy.connected(c);
            FastOpenClient.synAckArrived(c, seg);
            // Linux's sk_write_pending: a blocked writer sends at once, and its data carries this ACK.
            if (c.writePending) AckPolicy.awaitPendingWrite(c);
            else c.ackNow = true;
            c.setState(State.ESTABLISHED, Cause.SYN_ACK_RECEIVED);
            if (seg.payloadLength > 0 || seg.fin()) {
                receiveText(c, seg, seg.seq + 1);
                receiveFin(c, seg, seg.seq + 1);
            }
        } else {
            // Simultaneous open: answer with <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
            Ecn.crossingSynArrived(c, seg);
            updateWindow(c, seg.window, seg.seq);
            c.resendFromUna();
            c.timers.cancelRecovery();
            c.setState(State.SYN_RECEIVED, Cause.SIMULTANEOUS_OPEN);
        }
    }

    /** TIME_WAIT keeps only the rules of {@link TimeWaitRules}, exactly what a compact TIME_WAIT entry can do. */
    private static boolean timeWait(Connection c, Segment seg) {
        switch (TimeWaitRules.classify(seg, c.rcvNxt, c.agreed.tsOk, c.tsRecent, c.cfg.tcpRfc1337())) {
            case ACK_AND_RESTART -> {
                c.ackNow = true;
                Timers.enterTimeWait(c);
                if (seg.fin()) {
                    c.events.transition(c, State.TIME_WAIT, State.TIME_WAIT, Cause.TIME_WAIT_FIN_REACKED);
                } else {
                    drop(c, seg, DropReason.TIME_WAIT);
                }
            }
            case ACK -> {
                c.ackNow = true;
                drop(c, seg, DropReason.TIME_WAIT);
            }
            case RESTART -> Timers.enterTimeWait(c);
            case KILL -> c.setState(State.CLOSED, Cause.RESET_TIME_WAIT);
            case IGNORE -> drop(c, seg, DropReason.TIME_WAIT);
            case NEW_INCARNATION -> {
                c.setState(State.CLOSED, Cause.TIME_WAIT_NEW_INCARNATION);
                return false;
            }
        }
        return true;
    }

    /** §3.10.7.4: SYN_RECEIVED and every state after it but TIME_WAIT. */
    private static void synchronizedState(Connection c, Segment seg) {
        // Simultaneous open (RFC 9293 Figure 7): the peer's SYN-ACK acknowledges our SYN and completes
        // the handshake, though its SYN lies just below RCV.NXT (Linux: the "goto pass" of tcp_rcv_state_process).
        if (c.state == State.SYN_RECEIVED && !c.passive && seg.syn() && seg.ackFlag() && !seg.rst()
                && seg.seq == c.irs && seg.payloadLength == 0 && !seg.fin() && seg.ack == c.sndMax) {
            c.lastReceivedAt = c.now;
            ack(c, seg);
            // Its SYN repeats one we hold: Linux's tcp_data_queue takes it as old data, so it is
            // acknowledged at once and in quick-ACK mode, which tells the peer our side is done too.
            AckPolicy.enterQuickAck(c);
            c.ackNow = true;
            return;
        }
        // Linux answers a retransmitted SYN in SYN_RECEIVED (our SYN-ACK was lost) with the SYN-ACK again.
        if (c.state == State.SYN_RECEIVED && seg.syn() && !seg.ackFlag() && !seg.rst() && seg.seq == c.irs) {
            if (!c.ourSynAcked()) c.resendFromUna();
            return;
        }
        // RFC 7323 §5.3: PAWS runs before the sequence check.
        if (c.agreed.tsOk && seg.hasTimestamps && !seg.rst() && Seq.lt(seg.tsVal, c.tsRecent)
                && c.now - c.tsRecentAt < Tcp.PAWS_IDLE_LIMIT_NANOS) {
            c.ackNow = true;
            drop(c, seg, DropReason.PAWS);
            return;
        }
        // First, check the sequence number.
        long wnd = c.rcvWnd();
        int segLen = seg.seqLength();
        if (!acceptable(seg.seq, segLen, c.rcvNxt, wnd)) {
            if (seg.rst() && resetAtPeerFin(c, seg)) {
                reset(c);
                return;
            }
            if (!seg.rst()) answerOutOfWindow(c, seg);
            drop(c, seg, seg.rst() ? DropReason.RST_OUT_OF_WINDOW
                    : Seq.leq(seg.seq + segLen, c.rcvNxt) ? DropReason.OLD_SEQUENCE : DropReason.OUT_OF_WINDOW);
            return;
        }
        c.lastReceivedAt = c.now;
        c.keepaliveProbes = 0;
        // RFC 7323 §4.3: remember the timestamp of a segment that covers the last ACK we sent.
        if (c.agreed.tsOk && seg.hasTimestamps && Seq.geq(seg.tsVal, c.tsRecent) && Seq.leq(seg.seq, c.lastAckSent)) {
            c.tsRecent = seg.tsVal;
            c.tsRecentAt = c.now;
        }
        // Second, check the RST bit (RFC 5961 §3).
        if (seg.rst()) {
            if (seg.seq == c.rcvNxt || resetAtPeerFin(c, seg)) {
                reset(c);
            } else {
                challengeAck(c);
                drop(c, seg, DropReason.RST_IN_WINDOW);
            }
            return;
        }
        // Fourth, check the SYN bit (RFC 5961 §4).
        if (seg.syn()) {
            if (c.state == State.SYN_RECEIVED && c.passive) {
                drop(c, seg, DropReason.SYN_IN_SYNCHRONIZED_STATE);
                backToListen(c);
            } else {
                challengeAck(c);
                drop(c, seg, DropReason.SYN_IN_SYNCHRONIZED_STATE);
            }
            return;
        }
        // Fifth, check the ACK field.
        if (!seg.ackFlag()) {
            drop(c, seg, DropReason.NO_ACK);
            return;
        }
        if (!ack(c, seg)) return;
        // Sixth, the URG bit: urgent data is delivered inline, as RFC 6093 recommends.
        if (seg.has(TcpFlags.URG) && receiving(c.state)) {
            c.rcvUp = Seq.max(c.rcvUp, seg.seq + seg.urgent);
            c.urgentPending = true;
        }
        // Seventh and eighth: the segment text, then the FIN.
        if (receiveText(c, seg, seg.seq)) receiveFin(c, seg, seg.seq);
        AckPolicy.settle(c);
        if (c.state == State.FIN_WAIT_1 && c.ourFinAcked()) c.setState(State.FIN_WAIT_2, Cause.ACK_OF_FIN);
    }

    /**
     * An unacceptable segment is answered with an ACK (§3.10.7.4), but, as Linux's
     * tcp_invalid_ratelimit does, at most once per interval when the segment carries
     * no data: two ends that each find the other's ACKs out of window must not be
     * able to drive an endless ACK loop.
     */
    private static void answerOutOfWindow(Connection c, Segment seg) {
        if (seg.payloadLength == 0 && !seg.syn()) {
            challengeAck(c);
        } else {
            // Linux's tcp_send_dupack: data we already hold means our ACKs were lost; send the next ones at
            // once, the first reporting the duplicate in a D-SACK.
            if (seg.payloadLength > 0 && Seq.lt(seg.seq, c.rcvNxt)) {
                AckPolicy.enterQuickAck(c);
                DuplicateSack.set(c, seg.seq, Seq.min(seg.seq + seg.payloadLength, c.rcvNxt));
            }
            c.ackNow = true;
        }
    }

    /**
     * RFC 5961's challenge ACK (for an in-window RST, a SYN, an unacceptable ACK), sent at
     * most once per interval per connection as RFC 5961 §7 asks; Linux shares this limiter
     * with the answers to out-of-window segments (tcp_send_challenge_ack, tcp_oow_rate_limited).
     */
    private static void challengeAck(Connection c) {
        if (c.now - c.lastOutOfWindowAckAt < Tcp.OUT_OF_WINDOW_ACK_INTERVAL_NANOS) return;
        c.lastOutOfWindowAckAt = c.now;
        c.ackNow = true;
    }

    /**
     * The acceptability table of §3.10.7.4. A zero window still admits a segment at
     * exactly RCV.NXT, so that its ACK, RST and URG are processed ("special allowance");
     * its text is then trimmed away.
     */
    static boolean acceptable(int seq, int segLen, int rcvNxt, long wnd) {
        if (wnd == 0) return seq == rcvNxt;
        if (segLen == 0) return Seq.inWindow(seq, rcvNxt, wnd);
        return Seq.inWindow(seq, rcvNxt, wnd) || Seq.inWindow(seq + segLen - 1, rcvNxt, wnd);
    }

    /**
     * Linux's tcp_reset_check: once the peer's FIN has been received (CLOSE_WAIT, CLOSING,
     * LAST_ACK), a RST carrying the FIN's own sequence number, RCV.NXT - 1, is taken as
     * exact, since some stacks send it so; tcp_validate_incoming accepts it even when it
     * falls left of the window.
     */
    private static boolean resetAtPeerFin(Connection c, Segment seg) {
        return seg.seq == c.rcvNxt - 1
                && (c.state == State.CLOSE_WAIT || c.state == State.CLOSING || c.state == State.LAST_ACK);
    }

    private static void reset(Connection c) {
        switch (c.state) {
            case SYN_RECEIVED -> {
                // A Fast Open child is a full socket already accepted: tcp_reset gives it ECONNRESET.
                if (c.fastOpenChild) c.fail(Errno.ECONNRESET, Cause.RESET_RECEIVED);
                else if (c.passive) backToListen(c);
                else c.fail(Errno.ECONNREFUSED, Cause.RESET_REFUSED);
            }
            // Linux's tcp_reset: the peer had closed already, so the user hears a broken pipe, not a reset.
            case CLOSE_WAIT -> c.fail(Errno.EPIPE, Cause.RESET_RECEIVED);
            // CLOSING and LAST_ACK too: RFC 9293 only deletes the TCB, but Linux's tcp_reset records
            // ECONNRESET, so a peer that answered our FIN with RST is reported, not taken for a clean close.
            default -> c.fail(Errno.ECONNRESET, Cause.RESET_RECEIVED);
        }
    }

    /** A passive open's SYN_RECEIVED returns to LISTEN; the queue it built is discarded (§3.10.7.4). */
    private static void backToListen(Connection c) {
        c.newIncarnation(true);
        c.setState(State.LISTEN, Cause.RESET_BACK_TO_LISTEN);
    }

    /**
     * The fifth step for synchronized states. Returns false when the segment must
     * go no further.
     */
    private static boolean ack(Connection c, Segment seg) {
        if (c.state == State.SYN_RECEIVED) {
            if (!(Seq.lt(c.sndUna, seg.ack) && Seq.leq(seg.ack, c.sndMax))) {
                drop(c, seg, DropReason.ACK_UNACCEPTABLE);
                Output.sendReset(c, seg.ack, 0, false);
                return false;
            }
            if (DeferAccept.holdsBareAck(c, seg)) {
                drop(c, seg, DropReason.DEFER_ACCEPT);
                return false;
            }
            c.setState(State.ESTABLISHED, Cause.ACK_OF_SYN);
        } else if (!c.ourSynAcked() && Seq.gt(seg.ack, c.iss) && Seq.leq(seg.ack, c.sndMax)) {
            // FIN_WAIT_1 entered from SYN_RECEIVED by an early CLOSE: this ACK completes the handshake too.
            c.events.transition(c, c.state, c.state, Cause.ACK_OF_SYN);
        }
        // RFC 5961 §5.2: acceptable if SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT.
        if (Seq.gt(seg.ack, c.sndMax) || Seq.lt(seg.ack, c.sndUna - (int) Math.min(c.sndMaxWnd, Integer.MAX_VALUE))) {
            challengeAck(c);
            drop(c, seg, DropReason.ACK_UNACCEPTABLE);
            return false;
        }
        // An acceptable ACK answers any zero-window probes: only unanswered ones count toward the limit (Linux tcp_ack).
        c.persistProbes = 0;
        c.stats.lastAckReceivedAt = c.now;
        long oldWnd = c.sndWnd;
        int priorUna = c.sndUna;
        boolean advanced = Seq.gt(seg.ack, c.sndUna);
        long window = (long) seg.window << c.agreed.sndWscale;
        LossRecovery r = c.recovery;
        r.ackBegins(seg);
        // tcp_ack's tcp_ecn_accept_cwr: any ACK that is not older than SND.UNA may end our ECE echo.
        if (!Seq.lt(seg.ack, c.sndUna)) Ecn.cwrArrived(c, seg);
        if (mayUpdateWindow(c, seg, window, advanced)) updateWindow(c, window, seg.seq);
        if (c.agreed.sackOk && c.ourSynAcked()) r.sackArrived(seg);
        long rtt = advanced ? acknowledge(c, seg) : -1;
        // tcp_ack's FLAG_NOT_DUP: no data, no window change, nothing acknowledged, and something outstanding.
        boolean duplicate = !advanced && seg.ack == c.sndUna && seg.payloadLength == 0 && !seg.fin()
                && c.sndWnd == oldWnd && c.sndMax != c.sndUna;
        if (c.ourSynAcked()) r.ackProcessed(seg, advanced, duplicate, priorUna, rtt);
        switch (c.state) {
            case CLOSING -> {
                if (c.ourFinAcked()) c.setState(State.TIME_WAIT, Cause.ACK_OF_FIN);
            }
            case LAST_ACK -> {
                if (c.ourFinAcked()) {
                    c.setState(State.CLOSED, Cause.ACK_OF_FIN);
                    return false;
                }
            }
            default -> { }
        }
        return true;
    }

    /**
     * Whether this acceptable ACK's window replaces SND.WND. Linux's tcp_may_update_window:
     * any ACK that advances SND.UNA, a segment newer than SND.WL1, or one as new that opens
     * the window or closes it to zero. RFC 9293 §3.10.7.4 instead asks SND.WL1 < SEG.SEQ or
     * (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK) of every ACK, so a retransmitted segment that
     * acknowledges new data keeps the old window, which then counts from the new SND.UNA,
     * past the peer's right edge. An old ACK (below SND.UNA) never counts (tcp_ack's old_ack).
     * Must be asked before SND.UNA moves.
     */
    private static boolean mayUpdateWindow(Connection c, Segment seg, long window, boolean advanced) {
        if (Seq.lt(seg.ack, c.sndUna)) return false;
        return advanced || Seq.gt(seg.seq, c.sndWl1)
                || (seg.seq == c.sndWl1 && (window > c.sndWnd || window == 0));
    }

    /**
     * SND.UNA advances to SEG.ACK: free acknowledged data and its scoreboard records, time
     * the round trip, restart the retransmission timer. Returns the RTT sample, or -1.
     */
    private static long acknowledge(Connection c, Segment seg) {
        c.recovery.cumulativeAck(seg.ack);
        int dataEnd = c.sendHeadSeq + c.sendBuf.size();
        if (Seq.gt(seg.ack, c.sendHeadSeq)) {
            int n = (int) Seq.distance(c.sendHeadSeq, Seq.min(seg.ack, dataEnd));
            if (n > 0) {
                c.sendBuf.consume(n);
                c.sendHeadSeq += n;
                c.notice(Connection.NOTICE_WRITABLE);
            }
        }
        c.sndUna = seg.ack;
        c.softError = null;  // something got through: Linux's tcp_ack forgets sk_err_soft
        c.stats.acknowledged(c);
        c.synAcked = true; // the SYN is the first sequence number, so any advance of SND.UNA covers it
        // Keep Minshall's marker inside the window, so comparing it never wraps however long the stream.
        if (!Output.smallSegmentInFlight(c)) c.sndSml = c.sndUna;
        if (Seq.lt(c.sndNxt, c.sndUna)) c.sndNxt = c.sndUna;
        long rtt = sampleRtt(c, seg);
        c.retries = 0;
        c.stats.recovered(c.now);
        c.rtt.resetBackoff();
        SendSpace.acknowledged(c);
        c.outstandingSince = c.now;
        c.recovery.rearmRetransmit();
        return rtt;
    }

    /**
     * RTT samples: from the echoed timestamp when there is one (RFC 7323 §4), else from one
     * timed segment, with Karn's rule. Returns the sample in nanoseconds, or -1.
     */
    private static long sampleRtt(Connection c, Segment seg) {
        // A cookie's TSval had its low bits replaced by options (CookieHandshake), and nobody timed the
        // stateless SYN-ACK: the ACK of ISS + 1 says nothing about the round trip (Linux takes no sample either).
        if (c.synCookie && seg.ack == c.iss + 1) return -1;
        long sample = -1;
        if (c.agreed.tsOk && seg.hasTimestamps && seg.tsEcr != 0) {
            int ms = c.tsNow(c.now) - seg.tsEcr;
            if (ms >= 0 && ms < 3_600_000) sample = ms * 1_000_000L;
        } else if (c.rttTiming && Seq.gt(seg.ack, c.rttSeq)) {
            sample = c.now - c.rttStart;
            c.rttTiming = false;
        }
        if (sample >= 0) c.rtt.sample(sample, seg.ack, c.sndNxt);
        return sample;
    }

    private static void updateWindow(Connection c, long window, int wl1) {
        c.sndWnd = window;
        c.sndWl1 = wl1;
        c.sndMaxWnd = Math.max(c.sndMaxWnd, window);
        if (window > 0) {
            // The window opened: the next zero window starts probing at the base interval again.
            c.timers.cancel(TimerTable.Kind.PERSIST);
            c.persistBackoff = 0;
        }
    }

    private static boolean receiving(State s) {
        return s == State.ESTABLISHED || s == State.FIN_WAIT_1 || s == State.FIN_WAIT_2;
    }

    /**
     * The seventh step: queue the text that falls inside the window, in order or
     * for reassembly. {@code dataSeq} is the sequence number of the first payload
     * byte. Returns false when the connection was reset because of the data.
     */
    private static boolean receiveText(Connection c, Segment seg, int dataSeq) {
        if (seg.payloadLength == 0) return true;
        if (!receiving(c.state)) {
            drop(c, seg, DropReason.DATA_AFTER_FIN);
            return true;
        }
        DuplicateSack.newDataArrives(c);
        int dataEnd = dataSeq + seg.payloadLength;
        if (Seq.leq(dataEnd, c.rcvNxt)) {
            // Old data (Linux's tcp_data_queue): the peer missed our ACK.
            DuplicateSack.set(c, dataSeq, dataEnd);
            AckPolicy.enterQuickAck(c);
            c.ackNow = true;
            return true;
        }
        if (c.readShut && (c.state == State.FIN_WAIT_1 || c.state == State.FIN_WAIT_2)) {
            // RFC 1122 §4.2.2.13: new data for an application that will read no more (close(), or both
            // shutdowns) is answered with RST. Linux's tcp_rcv_state_process resets the connection
            // (tcp_reset: ECONNRESET) and its caller answers the segment itself (tcp_v4_send_reset):
            // <SEQ=SEG.ACK><CTL=RST>, not a RST from our own sequence space.
            Output.replyReset(c, seg);
            c.fail(Errno.ECONNRESET, Cause.ABORT_DATA_AFTER_CLOSE);
            return false;
        }
        int skip = Seq.lt(dataSeq, c.rcvNxt) ? (int) Seq.distance(dataSeq, c.rcvNxt) : 0;
        int offset = skip > 0 ? 0 : (int) Seq.distance(c.rcvNxt, dataSeq);
        long room = c.rcvWnd() - offset;
        int len = (int) Math.min(seg.payloadLength - skip, Math.max(0, room));
        if (c.peerFinSeen) {
            // Nothing follows the peer's FIN in its sequence space (§3.10.7.4): text a segment puts past
            // a FIN we already hold is not the stream's, so it is cut off there.
            long beforeFin = Seq.distance(c.rcvNxt, c.peerFinSeq) - offset;
            if (beforeFin < len) {
                len = (int) Math.max(0, beforeFin);
                drop(c, seg, DropReason.DATA_AFTER_FIN);
            }
        }
        if (len < seg.payloadLength - skip) c.ackNow = true; // part fell beyond the window
        if (len <= 0) {
            // Nothing fits (a closed window): tcp_data_queue's out_of_window enters quick-ACK mode too.
            AckPolicy.enterQuickAck(c);
            drop(c, seg, DropReason.OUT_OF_WINDOW);
            return true;
        }
        Ecn.dataArrived(c, seg);  // tcp_ecn_check_ce: in-order and out-of-order data alike, not old data
        // D-SACK: the part below RCV.NXT (tcp_data_queue's partial packet), then what is held out of order.
        if (skip > 0) DuplicateSack.set(c, dataSeq, c.rcvNxt);
        DuplicateSack.heldDuplicate(c, dataSeq + skip, len);
        boolean fillsHole = offset == 0 && c.recvBuf.outOfOrderBytes() > 0;
        int advance = c.recvBuf.insert(offset, seg.payload, seg.payloadOffset + skip, len, c.rcvWnd());
        if (c.recvBuf.lastInsertDropped()) {
            DropReason why = c.recvBuf.lastDropReason();
            drop(c, seg, why);
            if (why == DropReason.RECEIVE_QUEUE_MEMORY) {
                // In sequence and in the window, yet no memory for it: Linux's tcp_data_queue drops it
                // (TCPRcvQDrop) and, since 6.4, answers at once with a zero window (ICSK_ACK_NOMEM) so
                // that the sender probes instead of retransmitting into the full buffer until it times out.
                c.windowNoMem = true;
                c.ackNow = true;
                return true;
            }
        }
        if (advance == 0) {
            // Out of order: a duplicate ACK right away tells the sender about the hole (RFC 5681 §4.2).
            c.ackNow = true;
            return true;
        }
        AckPolicy.dataReceived(c, len);
        c.rcvNxt += advance;
        ReceiveSpace.segmentReceived(c, len);
        if (c.orphan) {
            c.recvBuf.skip(c.recvBuf.readable());
        } else {
            c.notice(Connection.NOTICE_READABLE);
        }
        // RFC 5681 §4.2: a segment that fills all or part of a gap is acknowledged at once.
        scheduleAck(c, len, fillsHole || c.recvBuf.outOfOrderBytes() > 0);
        return true;
    }

    /**
     * The ACKs that cannot wait (RFC 5681 §4.2): one for a segment that fills a hole or
     * arrives while one remains, and one once more than a segment's worth is unacknowledged
     * (Linux's __tcp_ack_snd_check counts bytes against rcv_mss, so one large segment suffices). Whether
     * any other is sent at once or delayed is decided once the FIN has been seen too
     * ({@link AckPolicy#settle}).
     */
    private static void scheduleAck(Connection c, int len, boolean reassembling) {
        if (reassembling) {
            c.ackNow = true;
        } else if (AckPolicy.moreThanSegmentUnacked(c)) {
            c.ackNow = true;
        }
    }

    /**
     * The eighth step. A FIN counts once every byte before it has arrived; one that
     * comes early is remembered and acted on when the hole fills.
     */
    private static void receiveFin(Connection c, Segment seg, int dataSeq) {
        if (seg.fin()) {
            int finSeq = dataSeq + seg.payloadLength;
            // A FIN below data we already hold contradicts it: ignore the FIN, the stream goes on.
            int heldEnd = c.rcvNxt + c.recvBuf.outOfOrderExtent();
            if (!c.peerFinSeen && Seq.geq(finSeq, heldEnd) && Seq.leq(finSeq, c.rcvEdge)) {
                c.peerFinSeen = true;
                c.peerFinSeq = finSeq;
            }
        }
        if (!c.peerFinSeen || c.rcvNxt != c.peerFinSeq) return;
        c.rcvNxt = c.peerFinSeq + 1;
        c.notice(Connection.NOTICE_READABLE);
        switch (c.state) {
            case SYN_RECEIVED, ESTABLISHED -> {
                // Linux delays this ACK (tcp_fin enters pingpong mode): an application that closes at once sends FIN+ACK.
                AckPolicy.finReceived(c);
                c.setState(State.CLOSE_WAIT, Cause.FIN_RECEIVED);
            }
            case FIN_WAIT_1 -> {
                c.ackNow = true;
                if (c.ourFinAcked()) c.setState(State.TIME_WAIT, Cause.FIN_WITH_ACK_OF_FIN);
                else c.setState(State.CLOSING, Cause.SIMULTANEOUS_CLOSE);
            }
            case FIN_WAIT_2 -> {
                c.ackNow = true;
                c.setState(State.TIME_WAIT, Cause.FIN_RECEIVED);
            }
            default -> c.ackNow = true;
        }
    }

    static void drop(Connection c, Segment seg, DropReason reason) {
        c.events.dropped(c, seg, reason);
    }
}
