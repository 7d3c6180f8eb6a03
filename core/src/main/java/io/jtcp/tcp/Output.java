package io.jtcp.tcp;

import io.jtcp.wire.Segment;
import io.jtcp.wire.Seq;
import io.jtcp.wire.TcpFlags;

/**
 * Everything a connection sends: SYN and SYN-ACK, retransmissions of what loss
 * recovery marked lost, new data under the send window, congestion window (in
 * segments, as Linux's tcp_cwnd_test), Nagle's rule and sender-side SWS avoidance,
 * the FIN (piggybacked on the last data segment when it can be), ACKs with the
 * window we advertise, probes and resets. Every data segment or FIN sent for the
 * first time becomes a {@link Scoreboard} record.
 *
 * <p>Segments are built in one scratch {@link Segment} per stack thread and
 * handed to {@link SegmentOut} at once, so sending allocates nothing.
 */
final class Output {
    private Output() {}

    private static final ThreadLocal<Segment> SCRATCH = ThreadLocal.withInitial(Segment::new);
    private static final ThreadLocal<int[]> SACK_SCRATCH = ThreadLocal.withInitial(() -> new int[2 * Segment.MAX_SACK_BLOCKS]);

    /** Sends whatever the state, windows and queues allow, then any ACK still owed, then arms timers. */
    static void push(Connection c) {
        if (c.sndNxt == c.iss && !c.ourSynAcked()) {
            transmit(c, c.state == State.SYN_SENT ? TcpFlags.SYN : TcpFlags.SYN | TcpFlags.ACK, c.iss, FastOpenClient.synData(c));
        } else if (c.state.isSynchronized() && (c.ourSynAcked() || closedBeforeSynAcked(c)) || FastOpen.maySendBeforeAck(c)) {
            int before = c.sndNxt;
            boolean outstandingBefore = !c.board.isEmpty();
            boolean cwndLimited = recover(c);
            cwndLimited |= sendQueued(c);
            // tcp_write_xmit validates the window only when it sent something or the window stopped it.
            if (c.sndNxt != before || cwndLimited) c.recovery.validate(cwndLimited);
            if (c.sndNxt != before) newDataSent(c, outstandingBefore);
            if (c.opts.pushRequested) c.opts.pushRequested = false;  // true only in an object of its own
        }
        if (c.ackNow) sendAck(c);
        armTimers(c);
    }

    /**
     * §3.10.4, CLOSE in SYN-RECEIVED: "If no SENDs have been issued and there is no pending
     * data to send, then form a FIN segment and send it, and enter FIN-WAIT-1 state" (Linux
     * too); queued data, by contrast, waits for the ACK of our SYN.
     */
    private static boolean closedBeforeSynAcked(Connection c) {
        return c.state == State.FIN_WAIT_1 && c.finQueued && c.sendBuf.size() == 0 && c.sndNxt == c.finSeq;
    }

    /**
     * tcp_xmit_recovery: what loss recovery marked lost goes out first, within the
     * congestion window, except while F-RTO sends new data instead (RFC 5682 step 2b).
     * Returns whether the window stopped it.
     */
    private static boolean recover(Connection c) {
        LossRecovery r = c.recovery;
        if (r.sendNewInsteadOfLost) {
            r.sendNewInsteadOfLost = false;
            sendQueued(c);
            if (Seq.gt(c.sndNxt, r.highSeq)) return false;
            r.frto = false;
        }
        return retransmitLost(c);
    }

    /**
     * tcp_xmit_retransmit_queue: resend the records marked lost and not already resent, oldest
     * first, while the window has room; beyond the head only what the peer's window covers.
     */
    private static boolean retransmitLost(Connection c) {
        Scoreboard b = c.board;
        if (b.lostOut == 0) return false;
        int i = b.resendScanStart();
        boolean cwndLimited = false;
        for (; i < b.packetsOut(); i++) {
            if (b.inFlight() >= c.recovery.w.cwnd) {
                cwndLimited = true;
                break;
            }
            byte f = b.flags(i);
            if ((f & Scoreboard.LOST) == 0 || (f & (Scoreboard.SACKED | Scoreboard.RETRANS)) != 0) continue;
            if (i > 0 && Seq.distance(c.sndUna, b.start(i)) >= c.sndWnd) break;
            c.recovery.splitToMss(i);
            retransmitRecord(c, i, false);
        }
        b.resendScanStopped(i);
        return cwndLimited;
    }

    /**
     * tcp_event_new_data_sent and the end of tcp_write_xmit: the RTO starts when data leaves
     * with nothing outstanding (or replaces a loss probe), then a probe may take its place.
     */
    private static void newDataSent(Connection c, boolean outstandingBefore) {
        if (!outstandingBefore || c.timers.recoveryPending() == TimerTable.Kind.LOSS_PROBE) {
            if (c.retries == 0) c.outstandingSince = c.now;
            c.recovery.rearmRetransmit();
        }
        c.recovery.scheduleLossProbe(false);
    }

    /** New data and the FIN, as the windows, Nagle and the cork allow. Returns whether the congestion window stopped it. */
    private static boolean sendQueued(Connection c) {
        int dataEnd = c.sendHeadSeq + c.sendBuf.size();
        if (!TcpStats.queuesEmpty(c)) c.stats.chronoStart(SendChrono.BUSY, c.now);
        boolean fullSegmentSent = false, cwndLimited = false;
        while (true) {
            long inFlight = Seq.distance(c.sndUna, c.sndNxt);
            boolean finWaits = c.finQueued && c.sndNxt == c.finSeq;
            if (!Seq.lt(c.sndNxt, dataEnd) && !finWaits) break;
            if (c.board.inFlight() >= c.recovery.w.cwnd) {
                cwndLimited = true;
                break;
            }
            if (!Seq.lt(c.sndNxt, dataEnd)) {
                transmit(c, TcpFlags.FIN | TcpFlags.ACK, c.sndNxt, 0);
                break;
            }
            long unsent = Seq.distance(c.sndNxt, dataEnd);
            int len = (int) Math.min(Math.min(unsent, c.agreed.sndMss), Math.max(c.sndWnd - inFlight, 0));
            boolean last = len == unsent;
            if (len <= 0 || len < c.agreed.sndMss && !mayTransmitPartial(c, len, last, inFlight, fullSegmentSent)) break;
            fullSegmentSent |= len == c.agreed.sndMss;
            boolean fin = last && c.finQueued;
            transmit(c, TcpFlags.ACK | (push(c, c.sndNxt, len, last && !c.tailWrittenWithMore) ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0), c.sndNxt, len);
        }
        if (rwndLimited(c, dataEnd)) c.stats.chronoStart(SendChrono.RWND_LIMITED, c.now);
        else c.stats.chronoStop(SendChrono.RWND_LIMITED, TcpStats.queuesEmpty(c), c.now);
        return cwndLimited;
    }

    /**
     * A tail loss probe's new segment (tcp_send_loss_probe through tcp_write_xmit's push_one):
     * one segment past the congestion window and Nagle, if the peer's window takes it whole.
     */
    static boolean sendProbeSegment(Connection c) {
        int dataEnd = c.sendHeadSeq + c.sendBuf.size();
        if (!Seq.lt(c.sndNxt, dataEnd)) return false;
        long unsent = Seq.distance(c.sndNxt, dataEnd);
        int len = (int) Math.min(unsent, c.agreed.sndMss);
        if (Seq.distance(c.sndUna, c.sndNxt) + len > c.sndWnd) return false;
        boolean last = len == unsent;
        boolean fin = last && c.finQueued;
        transmit(c, TcpFlags.ACK | (push(c, c.sndNxt, len, last && !c.tailWrittenWithMore) ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0), c.sndNxt, len);
        return true;
    }

    /**
     * tcp_write_xmit's is_rwnd_limited: data waits, the congestion window has room, but
     * the peer's window cannot take the next segment (tcp_snd_wnd_test).
     */
    private static boolean rwndLimited(Connection c, int dataEnd) {
        if (!Seq.lt(c.sndNxt, dataEnd)) return false;
        long inFlight = Seq.distance(c.sndUna, c.sndNxt);
        long next = Math.min(Seq.distance(c.sndNxt, dataEnd), c.agreed.sndMss);
        return c.board.inFlight() < c.recovery.w.cwnd && inFlight + next > c.sndWnd;
    }

    /**
     * A segment shorter than the MSS goes out only when it ends the queue and Nagle
     * allows (RFC 9293 §3.7.4 with Minshall's refinement, as Linux: no earlier partial
     * segment unacknowledged, TCP_NODELAY, or a FIN follows). When the peer's window cut
     * it short, Linux is stricter than RFC 9293's sender SWS rule (§3.8.6.2.1, which
     * would send whenever nothing is in flight): tcp_write_xmit sends nothing unless a
     * whole segment fits (tcp_snd_wnd_test) and splits off the window's partial tail only
     * within a burst that just sent full segments, when Nagle allows (tcp_mss_split_point);
     * otherwise the probe timer's tcp_write_wakeup sends what fits ({@link #writeWakeup}).
     * A congestion window is spent in whole segments (tcp_cwnd_test), so only the peer's
     * window ever cuts one short of the queue's end.
     */
    private static boolean mayTransmitPartial(Connection c, int len, boolean last, long inFlight, boolean fullSegmentSent) {
        if (last && corked(c)) return c.finQueued;
        if (last) return inFlight == 0 || c.opts.noDelay || c.finQueued || !smallSegmentInFlight(c);
        return len >= halfWindowBound(c) || fullSegmentSent && (c.opts.noDelay || !smallSegmentInFlight(c));
    }

    /**
     * Linux's tcp_bound_to_half_wnd: a segment is never larger than half the largest window
     * the peer has offered (the whole of it when that is below 536 bytes), so a peer with a
     * small window still gets full segments of that size.
     */
    private static long halfWindowBound(Connection c) {
        return c.sndMaxWnd > Tcp.DEFAULT_MSS ? c.sndMaxWnd / 2 : c.sndMaxWnd;
    }

    /** Unsent data waits with nothing in flight because the peer's window cannot take its next segment. */
    private static boolean windowTooSmall(Connection c, long unsent) {
        return c.sndWnd < Math.min(Math.min(unsent, c.agreed.sndMss), halfWindowBound(c));
    }

    /**
     * TCP_CORK, or MSG_MORE on the send being pushed (Linux's TCP_NAGLE_CORK): the last,
     * partial segment of the queue waits, whatever is in flight, unless a FIN follows it
     * (tcp_nagle_test lets a FIN through). Linux has no cork timer of its own: the "200 ms
     * ceiling" of tcp(7) is the zero-window probe timer, which tcp_write_xmit's caller arms
     * (tcp_check_probe_timer) when data waits with nothing in flight; it fires after
     * max(RTO, TCP_RTO_MIN), not a fixed 200 ms, and tcp_write_wakeup sends the waiting
     * segment. jtcp does the same with its persist timer ({@link #writeWakeup}).
     */
    static boolean corked(Connection c) {
        return !c.opts.pushRequested && (c.opts.cork || c.moreToCome);
    }

    /**
     * Whether the data segment [seq, seq + len) carries PSH. Linux marks it on the last
     * segment of what the application has written (tcp_push) and, so a receiver never
     * holds more than half our window's worth waiting for one, on a segment that ends
     * more than half the peer's largest window past the last PSH (forced_push). Linux
     * judges the second at write time, jtcp as the segment leaves: the same segments
     * when the window is what cuts them.
     */
    private static boolean push(Connection c, int seq, int len, boolean last) {
        int end = seq + len;
        boolean forced = Seq.gt(end, c.pushedSeq) && Seq.distance(c.pushedSeq, end) > c.sndMaxWnd / 2;
        if (!last && !forced) return false;
        if (Seq.gt(end, c.pushedSeq)) c.pushedSeq = end;
        return true;
    }

    /**
     * Minshall's variant of Nagle (draft-minshall-nagle, Linux's tcp_minshall_check): a
     * partial segment waits only while an earlier partial segment is unacknowledged, so
     * the tail of a large write goes out at once but a stream of small writes coalesces.
     */
    static boolean smallSegmentInFlight(Connection c) {
        return Seq.gt(c.sndSml, c.sndUna) && Seq.leq(c.sndSml, c.sndMax);
    }

    /**
     * Sends [seq, seq + len) with the given flags and advances SND.NXT (and SND.MAX) past it.
     * Data and a FIN become a scoreboard record; a SYN's never does (the handshake resends
     * from SND.UNA, see {@link Connection#resendFromUna}).
     */
    private static void transmit(Connection c, int flags, int seq, int len) {
        boolean retransmission = Seq.lt(seq, c.sndMax);
        boolean syn = (flags & TcpFlags.SYN) != 0;
        if (!syn && c.board.isEmpty() && c.sndMax == c.sndUna) c.recovery.restartAfterIdle();
        // ECN (RFC 3168 §6.1.1): our SYN asks for it, a SYN-ACK agrees; new data below goes out ECT(0).
        if (syn) flags |= c.state == State.SYN_SENT ? Ecn.synFlags(c, retransmission) : Ecn.synAckFlags(c);
        Segment s = header(c, flags, seq);
        // Data on a SYN (Fast Open) starts after the SYN's own sequence number.
        int dataSeq = (flags & TcpFlags.SYN) != 0 ? seq + 1 : seq;
        if (len > 0) {
            c.sendBuf.peek((int) Seq.distance(c.sendHeadSeq, dataSeq), len, s);
            AckPolicy.dataSent(c);
            if (!syn && !retransmission) Ecn.newDataSent(c, s);
        }
        c.sndNxt = seq + s.seqLength();
        if (!syn && s.seqLength() > 0) {
            byte bits = (byte) (((flags & TcpFlags.FIN) != 0 ? Scoreboard.FIN : 0) | ((flags & TcpFlags.PSH) != 0 ? Scoreboard.PSH : 0)
                    | (retransmission ? Scoreboard.EVER_RETRANS : 0));
            c.board.append(seq, c.sndNxt, bits, c.now);
        }
        c.recovery.segmentSent(len > 0); // data on a SYN (Fast Open) counts as data sent too
        if (len > 0 && len < c.agreed.sndMss) c.sndSml = seq + len;
        if (Seq.gt(c.sndNxt, c.sndMax)) c.sndMax = c.sndNxt;
        c.stats.sent(len, retransmission, c.now);
        if (!retransmission && s.seqLength() > 0) c.stats.firstSent(seq, c.sndNxt, (flags & TcpFlags.SYN) != 0);
        if (retransmission) {
            c.rttTiming = false; // Karn: an ACK for a resent segment says nothing about the round trip
            c.retransmittedSegments++;
            c.events.retransmitted(c);
        } else if (!c.rttTiming && !c.agreed.tsOk) {
            c.rttTiming = true;
            c.rttSeq = seq;
            c.rttStart = c.now;
        }
        c.out.emit(s);
    }

    /**
     * Sends scoreboard record {@code i} again, with the flags it first carried; SND.NXT stays
     * where it is. A retransmission of loss recovery is marked as one in flight
     * (tcp_retransmit_skb); a tail loss probe is not (tcp_send_loss_probe calls
     * __tcp_retransmit_skb directly), so it neither counts in the pipe nor against undo.
     */
    static void retransmitRecord(Connection c, int i, boolean probe) {
        Scoreboard b = c.board;
        int seq = b.start(i);
        boolean fin = b.has(i, Scoreboard.FIN);
        int len = b.end(i) - seq - (fin ? 1 : 0);
        Segment s = header(c, TcpFlags.ACK | (b.has(i, Scoreboard.PSH) ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0), seq);
        if (len > 0) {
            c.sendBuf.peek((int) Seq.distance(c.sendHeadSeq, seq), len, s);
            AckPolicy.dataSent(c);
        }
        c.stats.sent(len, true, c.now);
        c.rttTiming = false; // Karn: an ACK for a resent segment says nothing about the round trip
        c.retransmittedSegments++;
        c.events.retransmitted(c);
        if (probe) {
            b.resent(i, c.now);
        } else {
            b.retransmitted(i, c.now);
            c.recovery.retransmitted();
        }
        c.recovery.segmentSent(len > 0);
        c.out.emit(s);
    }

    /** A bare ACK: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, with SND.NXT as {@link #acceptableSeq} picks it. */
    static void sendAck(Connection c) {
        c.stats.sent(0, false, c.now);
        c.out.emit(header(c, TcpFlags.ACK, acceptableSeq(c)));
    }

    /**
     * The sequence number for a segment that carries no data (a bare ACK, the RST of an
     * abort), Linux's tcp_acceptable_seq. Normally the highest ever sent (SND.MAX, Linux's
     * snd_nxt), not a SND.NXT wound back for a retransmission: the peer may already hold
     * the data being resent, and an ACK below its RCV.NXT would be dropped as old. But when
     * the peer's window has shrunk or closed below SND.MAX, that number lies beyond its
     * window and the segment would be discarded there too; then the window's right edge,
     * SND.UNA + SND.WND, is used. Linux keeps SND.MAX while it is within one unit of our
     * own receive window scale past the edge, since a scaled window field may have rounded
     * the edge down (it tests rcv_wscale, and so does this).
     */
    static int acceptableSeq(Connection c) {
        int windowEnd = SendSequence.windowEnd(c);
        if (Seq.geq(windowEnd, c.sndMax)) return c.sndMax;
        if (c.agreed.wscaleOk && Seq.distance(windowEnd, c.sndMax) < (1L << c.agreed.rcvWscale)) return c.sndMax;
        return windowEnd;
    }

    /**
     * A keepalive or zero-window probe as Linux sends it: an ACK carrying the
     * already-acknowledged sequence number SND.UNA - 1, which the peer must answer
     * with an ACK showing its current window (RFC 9293 §3.8.4, §3.8.6.1).
     */
    static void sendProbe(Connection c) {
        c.stats.sent(0, false, c.now);
        c.out.emit(header(c, TcpFlags.ACK, c.sndUna - 1));
    }

    /** <SEQ=seq><CTL=RST>, with ACK=ack when {@code withAck}. */
    static void sendReset(Connection c, int seq, int ack, boolean withAck) {
        c.stats.sent(0, false, c.now);
        c.out.emit(reset(c, seq, ack, withAck));
    }

    /**
     * Linux's tcp_send_active_reset: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK> from our own TCB
     * (sequence number from tcp_acceptable_seq), built by tcp_transmit_skb and so carrying the
     * connection's timestamps; a reset answering a stray segment (tcp_v4_send_reset) carries none.
     */
    static void sendActiveReset(Connection c) {
        Segment s = reset(c, acceptableSeq(c), c.rcvNxt, true);
        if (c.agreed.tsOk) timestamps(c, s);
        c.stats.sent(0, false, c.now);
        c.out.emit(s);
    }

    private static Segment reset(Connection c, int seq, int ack, boolean withAck) {
        Segment s = SCRATCH.get().clear();
        address(c, s);
        s.seq = seq;
        s.ack = ack;
        s.flags = TcpFlags.RST | (withAck ? TcpFlags.ACK : 0);
        return s;
    }

    /** The reset a CLOSED or LISTEN TCB returns for an unwanted segment (§3.10.7.1). */
    static void replyReset(Connection c, Segment in) {
        Segment s = SCRATCH.get();
        if (Resets.replyTo(in, s)) c.out.emit(s);
    }

    /**
     * After the application read: if the window we could offer is at least twice
     * the one last advertised, and larger by the receiver-side SWS threshold, tell
     * the peer now rather than at the next ACK (§3.8.6.2.2; Linux's tcp_cleanup_rbuf).
     */
    static void windowUpdateIfOpened(Connection c) {
        if (c.state != State.ESTABLISHED && c.state != State.FIN_WAIT_1 && c.state != State.FIN_WAIT_2) return;
        long current = c.rcvWnd();
        // Only a window the header can carry counts: without scaling a 128 KiB buffer still advertises
        // at most 65535, and an update that cannot grow the window is a wasted segment.
        long offer = Math.min(offerable(c), 0xFFFFL << c.agreed.rcvWscale);
        if (offer >= 2 * current && offer - current >= swsThreshold(c)) c.ackNow = true;
    }

    /** The window we could offer now: the buffer's free space, within what the connection has earned so far. */
    private static long offerable(Connection c) {
        long free = c.recvBuf.window();
        return c.rcvSsthresh > 0 ? Math.min(free, c.rcvSsthresh) : free;
    }

    /**
     * How much the window must grow before it moves (receiver-side SWS avoidance). Never
     * more than the window we may offer at all: with rcv_ssthresh below one MSS (a 64 KiB
     * MSS over a 65535-byte device, whose initial window is smaller) the window, once shut,
     * could never reopen, and the peer would probe a zero window for ever. Linux's
     * __tcp_select_window cannot stall so: with window scaling it offers the free space
     * capped at rcv_ssthresh, with no such threshold.
     */
    private static long swsThreshold(Connection c) {
        long threshold = Math.min(c.recvBuf.capacity() / 2, c.agreed.advertisedMss);
        return c.rcvSsthresh > 0 && threshold > c.rcvSsthresh ? c.rcvSsthresh / 2 : threshold;
    }

    private static Segment header(Connection c, int flags, int seq) {
        Segment s = SCRATCH.get().clear();
        address(c, s);
        s.seq = seq;
        s.flags = flags;
        boolean syn = (flags & TcpFlags.SYN) != 0;
        if ((flags & TcpFlags.ACK) != 0) {
            s.ack = c.rcvNxt;
            c.lastAckSent = c.rcvNxt;
            c.ackNow = false;
            AckPolicy.ackSent(c);
            c.timers.cancel(TimerTable.Kind.DELAYED_ACK);
        }
        s.window = advertise(c, syn);
        if (syn) {
            synOptions(c, s);
        } else {
            Ecn.echo(c, s);
            if (c.agreed.tsOk) timestamps(c, s);
            if (c.agreed.sackOk && (c.recvBuf.outOfOrderBytes() > 0 || DuplicateSack.pending(c))) sackBlocks(c, s);
        }
        return s;
    }

    private static void address(Connection c, Segment s) {
        s.srcAddr = c.localAddr;
        s.dstAddr = c.remoteAddr;
        s.srcPort = c.localPort;
        s.dstPort = c.remotePort;
    }

    /** On our SYN we offer what the sysctls allow; on a SYN-ACK we repeat only what the peer offered. */
    private static void synOptions(Connection c, Segment s) {
        boolean offering = c.state == State.SYN_SENT;
        s.mss = c.agreed.advertisedMss;
        if (offering ? c.cfg.tcpWindowScaling() : c.agreed.wscaleOk) s.windowScale = c.agreed.rcvWscale;
        s.sackPermitted = offering ? c.cfg.tcpSack() : c.agreed.sackOk;
        if (offering ? c.cfg.tcpTimestamps() : c.agreed.tsOk) {
            s.hasTimestamps = true;
            s.tsVal = c.tsNow(c.now);
            s.tsEcr = offering ? 0 : c.tsRecent;
        }
        FastOpen.synOption(c, s);
    }

    private static void timestamps(Connection c, Segment s) {
        s.hasTimestamps = true;
        s.tsVal = c.tsNow(c.now);
        s.tsEcr = c.tsRecent;
    }

    /**
     * RFC 2018: report held out-of-order ranges, newest first; three fit beside a timestamp.
     * A pending D-SACK block goes first and takes one of those places (RFC 2883 §4).
     */
    private static void sackBlocks(Connection c, Segment s) {
        int[] ranges = SACK_SCRATCH.get();
        DuplicateSack.write(c, s);
        int n = c.recvBuf.sackBlocks(ranges, (c.agreed.tsOk ? 3 : Segment.MAX_SACK_BLOCKS) - s.sackCount);
        for (int i = 0; i < n; i++) s.addSack(c.rcvNxt + ranges[2 * i], c.rcvNxt + ranges[2 * i + 1]);
    }

    /**
     * The window field for an outgoing segment, and the right edge it promises.
     * The edge never moves left (§3.8.6.2.2) unless data was refused for want of room,
     * and it moves right only by at least the receiver-side SWS threshold; the window in
     * a SYN is never scaled (RFC 7323 §2.2).
     */
    private static int advertise(Connection c, boolean syn) {
        if (c.windowNoMem && !syn) {
            // tcp_select_window's out-of-memory case: the one time the offered window shrinks, to zero.
            c.windowNoMem = false;
            c.rcvEdge = c.rcvNxt;
            return 0;
        }
        long free = offerable(c);
        if (syn && c.state == State.SYN_SENT) return (int) Math.min(free, 0xFFFF);
        long current = c.rcvWnd();
        long wnd = free - current >= swsThreshold(c) ? free : current;
        int shift = syn ? 0 : c.agreed.rcvWscale;
        long field = Math.min(wnd >> shift, 0xFFFF);
        if (field << shift < current) field = Math.min((current + (1L << shift) - 1) >> shift, 0xFFFF);
        c.rcvEdge = Seq.max(c.rcvEdge, c.rcvNxt + (int) (field << shift));
        return (int) field;
    }

    /**
     * The probe timer found the window open (Linux's tcp_write_wakeup): send the head of
     * the unsent data, up to one MSS, even if it is partial; this is how corked data
     * goes out when it has waited a probe interval with nothing in flight.
     */
    static void writeWakeup(Connection c) {
        int dataEnd = c.sendHeadSeq + c.sendBuf.size();
        if (c.sndMax != c.sndUna || !c.ourSynAcked() || !Seq.lt(c.sndNxt, dataEnd)) return;
        long unsent = Seq.distance(c.sndNxt, dataEnd);
        int len = (int) Math.min(Math.min(unsent, c.agreed.sndMss), c.sndWnd);
        boolean fin = len == unsent && c.finQueued;
        transmit(c, TcpFlags.ACK | TcpFlags.PSH | (fin ? TcpFlags.FIN : 0), c.sndNxt, len);
    }

    /**
     * The retransmission timer runs while anything is unacknowledged; the persist timer
     * while a zero window blocks data, or while corked data waits with nothing in flight
     * (tcp_check_probe_timer).
     */
    private static void armTimers(Connection c) {
        boolean outstanding = c.sndMax != c.sndUna;
        if (outstanding && c.timers.recoveryPending() == null) {
            if (c.retries == 0) c.outstandingSince = c.now;
            c.timers.armRecovery(TimerTable.Kind.RETRANSMIT, Timers.retransmitDeadline(c));
        }
        int dataEnd = c.sendHeadSeq + c.sendBuf.size();
        boolean unsent = Seq.lt(c.sndNxt, dataEnd);
        long unsentBytes = unsent ? Seq.distance(c.sndNxt, dataEnd) : 0;
        boolean blocked = c.ourSynAcked() && (c.sndWnd == 0 && (unsent || c.finQueued && c.sndNxt == c.finSeq)
                || unsent && (corked(c) || windowTooSmall(c, unsentBytes)));
        if (blocked && !outstanding && !c.timers.armed(TimerTable.Kind.PERSIST)) Timers.armPersist(c);
    }
}
