package io.jtcp.tcp;

import io.jtcp.api.Errno;

import io.jtcp.wire.Seq;

/**
 * The connection's timers (RFC 9293 §3.8 and §3.10.8): retransmission with
 * RFC 6298 backoff and retry limits, the tail loss probe and RACK's reordering
 * timer ({@link LossRecovery}), delayed ACK, zero-window persist, keepalive, the
 * orphan FIN_WAIT_2 timeout, and TIME_WAIT's 2MSL. Each is a deadline in the
 * connection's {@link TimerTable}; {@link #fire} runs those that are due.
 */
final class Timers {
    private Timers() {}

    static void fire(Connection c) {
        long now = c.now;
        TimerTable t = c.timers;
        if (t.take(TimerTable.Kind.TIME_WAIT, now)) {
            c.setState(State.CLOSED, Cause.TIME_WAIT_EXPIRED);
            return;
        }
        if (t.take(TimerTable.Kind.FIN_WAIT_2, now)) {
            c.setState(State.CLOSED, Cause.FIN_WAIT_2_TIMEOUT);
            return;
        }
        if (t.take(TimerTable.Kind.RETRANSMIT, now)) {
            retransmissionTimeout(c);
            if (c.state == State.CLOSED) return;
        }
        if (t.take(TimerTable.Kind.LOSS_PROBE, now)) c.recovery.sendLossProbe();
        if (t.take(TimerTable.Kind.REORDER, now)) Rack.timeout(c.recovery);
        if (t.take(TimerTable.Kind.PERSIST, now)) {
            persist(c);
            if (c.state == State.CLOSED) return;
        }
        if (t.take(TimerTable.Kind.DELAYED_ACK, now)) AckPolicy.delayedAckDue(c);
        if (t.take(TimerTable.Kind.KEEPALIVE, now)) keepalive(c);
    }

    /**
     * RFC 6298 §5.4–5.6: back the timer off and resend. Once the handshake is done
     * everything outstanding is marked lost ({@link LossRecovery#enterLoss}) and
     * {@link Output#push} resends it oldest first as the window of one segment grows;
     * during the handshake the SYN (and what followed it) is sent again from SND.UNA.
     * Gives up with ETIMEDOUT when {@link #writeTimedOut} says so, before resending, as
     * Linux's tcp_retransmit_timer asks tcp_write_timeout.
     */
    private static void retransmissionTimeout(Connection c) {
        if (TcpMemory.orphanTimedOutOfResources(c)) return;
        if (windowShrunkToZero(c)) {
            probeShrunkWindow(c);
            return;
        }
        if (writeTimedOut(c)) {
            boolean byUser = c.state.isSynchronized() && !c.opts.userTimeout.isZero();
            c.fail(c.timeoutError(), byUser ? Cause.USER_TIMEOUT : Cause.RETRANSMISSION_LIMIT);
            return;
        }
        boolean resend = c.state != State.SYN_RECEIVED || DeferAccept.resendsSynAck(c);
        c.stats.timedOut(c.now);
        boolean handshake = !c.ourSynAcked() || c.board.isEmpty();
        if (!handshake) c.recovery.enterLoss();
        c.retries++;
        if (!synLinearTimeout(c)) c.rtt.backoff();
        c.rttTiming = false;
        if (handshake && resend) c.resendFromUna();
    }

    /**
     * The receiver took back its window (to zero, when it ran out of buffer) with our data
     * in flight: Linux's tcp_retransmit_timer then treats the retransmissions as window
     * probes. The head goes out again with the timer backed off, tcp_retries2 is not
     * counted, and the connection ends only as tcp_rtx_probe0_timed_out says. An orphan
     * takes the ordinary path, so that it cannot hang for ever.
     */
    private static boolean windowShrunkToZero(Connection c) {
        return c.sndWnd == 0 && !c.orphan && c.ourSynAcked() && c.state != State.SYN_RECEIVED && !c.board.isEmpty();
    }

    private static void probeShrunkWindow(Connection c) {
        if (shrunkWindowTimedOut(c)) {
            c.fail(c.timeoutError(), c.opts.userTimeout.isZero() ? Cause.RETRANSMISSION_LIMIT : Cause.USER_TIMEOUT);
            return;
        }
        c.stats.timedOut(c.now);
        c.recovery.enterLoss();
        c.rtt.backoff();
        c.rttTiming = false;
    }

    /**
     * tcp_rtx_probe0_timed_out: with TCP_USER_TIMEOUT, once retransmitting has gone on
     * as long as it (answered or not); otherwise only when nothing has been heard from
     * the peer for twice TCP_RTO_MAX and retransmitting has gone on as long. Linux asks
     * for longer than the user timeout, but its clamped timer (tcp_clamp_rto_to_user_timeout)
     * fires a jiffy past it; {@link #retransmitDeadline} clamps to the timeout itself, so
     * reaching it must end the connection, or the timer would fire at that instant for ever.
     */
    private static boolean shrunkWindowTimedOut(Connection c) {
        long retransmitting = c.now - c.outstandingSince;
        long timeout = 2 * c.cfg.rtoMax().toNanos();
        if (!c.opts.userTimeout.isZero()) {
            if (retransmitting >= c.opts.userTimeout.toNanos()) return true;
            timeout = Math.min(timeout, c.opts.userTimeout.toNanos());
        }
        return c.now - c.stats.lastAckReceivedAt > timeout && retransmitting > timeout;
    }

    /**
     * Linux 6.17+'s tcp_syn_linear_timeouts: in SYN_SENT the first that many timeouts
     * leave the RTO at its initial value, so SYNs go out at 0, 1, 2, 3, 4, 5, 7, 11 s
     * with the default 4 and a 1 s initial RTO; later ones back off as usual
     * (tcp_retransmit_timer backs off only once total_rto exceeds the sysctl). Only
     * SYN_SENT: a SYN-ACK's timer backs off from the first timeout.
     */
    private static boolean synLinearTimeout(Connection c) {
        return c.state == State.SYN_SENT && c.retries <= c.cfg.tcpSynLinearTimeouts();
    }

    /**
     * tcp_write_timeout in SYN_SENT. retry_until is TCP_SYNCNT when the socket set it
     * (icsk_syn_retries), else tcp_syn_retries; the SYN is given up after retry_until plus
     * tcp_syn_linear_timeouts retransmissions, or, once it has been resent, when the time
     * since the first SYN reaches what retry_until exponential backoffs from the initial
     * RTO would take (retransmits_timed_out). The second bound is what ends a short
     * TCP_SYNCNT early: with 1, the flat 1 s RTO of the linear timeouts resends at 1 and
     * 2 s and the SYN is given up at 3 s (1 + 2 s of the model).
     */
    static boolean synTimedOut(Connection c) {
        int retryUntil = c.opts.synCnt > 0 ? c.opts.synCnt : c.cfg.tcpSynRetries();
        if (c.retries >= retryUntil + c.cfg.tcpSynLinearTimeouts()) return true;
        long model = modelTimeout(c.cfg.rtoInitial().toNanos(), c.cfg.rtoMax().toNanos(), retryUntil);
        return c.retries > 0 && c.now - c.outstandingSince >= model;
    }

    /**
     * Linux's tcp_write_timeout. A SYN or SYN-ACK is given up after a number of
     * retransmissions (tcp_syn_retries, tcp_synack_retries: icsk_retransmits and the
     * request's num_timeout are counted; TCP_DEFER_ACCEPT may keep a request longer,
     * see {@link DeferAccept}). A synchronized connection is not: its tcp_retries2
     * is turned into a time by {@link #modelTimeout}, as retransmits_timed_out does,
     * so a path whose RTO is 2 s dies as soon as one with the 200 ms floor would, not
     * after ten times as long; TCP_USER_TIMEOUT, when set, replaces that time. The
     * time counts from the oldest unacknowledged data's send or last progress (our
     * retrans_stamp), and only once something has been retransmitted. A SYN's flat
     * timeouts ({@link #synLinearTimeout}) come on top of tcp_syn_retries, as Linux adds
     * tcp_syn_linear_timeouts to max_retransmits, so the linear start does not shorten
     * how long connect() tries.
     *
     * <p>An orphan still counts tcp_orphan_retries timeouts (0 reads as 8), where Linux
     * bounds it by the same model time and kills it at once when its RTO reaches
     * TCP_RTO_MAX (tcp_orphan_retries(sk, alive)). The soak test shows why not yet:
     * jtcp drops a retransmitted segment that ends at RCV.NXT as old without refreshing
     * TS.Recent, where Linux's tcp_sequence accepts it up to rcv_wup and
     * tcp_replace_ts_recent refreshes it; the peer then echoes a stale TSval, the RTO
     * swells to a minute, and a time bound ends orphans whose data would still arrive.
     */
    static boolean writeTimedOut(Connection c) {
        return switch (c.state) {
            case SYN_SENT -> synTimedOut(c);
            case SYN_RECEIVED -> DeferAccept.expired(c);
            default -> {
                if (c.orphan && c.opts.userTimeout.isZero()) yield c.retries >= c.cfg.orphanRetries();
                if (c.retries == 0) yield false;
                long limit = c.opts.userTimeout.isZero()
                        ? modelTimeout(c.cfg.rtoMin().toNanos(), c.cfg.rtoMax().toNanos(), c.cfg.tcpRetries2())
                        : c.opts.userTimeout.toNanos();
                yield c.now - c.outstandingSince >= limit;
            }
        };
    }

    /**
     * Linux's tcp_model_timeout: how long {@code boundary} retransmissions take when
     * the first RTO is {@code base} (TCP_RTO_MIN) and each doubles up to {@code max}
     * (TCP_RTO_MAX). With 200 ms and 120 s, tcp_retries2 = 15 gives 924.6 s.
     */
    static long modelTimeout(long base, long max, int boundary) {
        int linearFrom = 63 - Long.numberOfLeadingZeros(max / base); // ilog2(TCP_RTO_MAX / rto_base)
        if (boundary <= linearFrom) return ((2L << boundary) - 1) * base;
        return ((2L << linearFrom) - 1) * base + (long) (boundary - linearFrom) * max;
    }

    /**
     * When the retransmission timer should fire: one RTO from now, but never after the
     * TCP_USER_TIMEOUT runs out, so the connection fails when the user said and not up
     * to a backed-off RTO later (Linux's tcp_clamp_rto_to_user_timeout).
     */
    static long retransmitDeadline(Connection c) {
        long at = c.now + c.rtt.rto();
        if (c.opts.userTimeout.isZero()) return at;
        return Math.max(c.now, Math.min(at, c.outstandingSince + c.opts.userTimeout.toNanos()));
    }

    /** TCP_USER_TIMEOUT: sent data has gone unacknowledged for longer than the user allows. */
    private static boolean userTimedOut(Connection c) {
        return !c.opts.userTimeout.isZero() && c.now - c.outstandingSince >= c.opts.userTimeout.toNanos();
    }

    /**
     * §3.8.6.1: probe a zero window, backing off like retransmissions. As Linux's
     * tcp_probe_timer: the first firing stamps when probing began (icsk_probes_tstamp,
     * kept in {@code outstandingSince}: nothing is in flight while the window is shut),
     * a later one ends the connection once TCP_USER_TIMEOUT has passed since that stamp,
     * and unanswered probes are counted against the retry limit.
     */
    private static void persist(Connection c) {
        if (c.sndWnd > 0) {
            Output.writeWakeup(c);
            return;
        }
        if (TcpMemory.orphanTimedOutOfResources(c)) return;
        boolean first = c.persistBackoff == 0;
        if (first) c.outstandingSince = c.now;
        if (!first && userTimedOut(c) || c.persistProbes >= (c.orphan ? c.cfg.orphanRetries() : c.cfg.tcpRetries2())) {
            c.fail(c.timeoutError(), Cause.RETRANSMISSION_LIMIT);
            return;
        }
        Output.sendProbe(c);
        c.persistBackoff++;
        c.persistProbes++;
        armPersist(c);
    }

    /**
     * The next probe, one backed-off RTO away (at most TCP_RTO_MAX); once probing has begun,
     * never after TCP_USER_TIMEOUT runs out (Linux's tcp_clamp_probe0_to_user_timeout), so
     * the connection fails when the user said and not up to two minutes later.
     */
    static void armPersist(Connection c) {
        long at = c.now + Math.min(c.rtt.rto() << Math.min(c.persistBackoff, 20), c.cfg.rtoMax().toNanos());
        if (c.persistBackoff > 0 && !c.opts.userTimeout.isZero()) {
            at = Math.min(at, Math.max(c.now + LossRecovery.TIMEOUT_MIN_NANOS, c.outstandingSince + c.opts.userTimeout.toNanos()));
        }
        c.timers.set(TimerTable.Kind.PERSIST, at);
    }

    /**
     * §3.8.4 and Linux's keepalive timer: after tcp_keepalive_time with nothing heard,
     * probe every tcp_keepalive_intvl; after tcp_keepalive_probes unanswered probes,
     * reset the connection and report ETIMEDOUT. Busy connections are not probed:
     * retransmission covers them.
     */
    private static void keepalive(Connection c) {
        if (!c.opts.keepAlive || !c.state.isSynchronized() || c.state == State.TIME_WAIT) return;
        long idleLimit = c.opts.keepIdle.toNanos();
        boolean busy = c.sndMax != c.sndUna || Seq.lt(c.sndNxt, c.sendHeadSeq + c.sendBuf.size());
        long idle = c.now - c.lastReceivedAt;
        if (busy) {
            c.timers.set(TimerTable.Kind.KEEPALIVE, c.now + idleLimit);
        } else if (idle < idleLimit) {
            c.timers.set(TimerTable.Kind.KEEPALIVE, c.lastReceivedAt + idleLimit);
        } else if (c.keepaliveProbes >= c.opts.keepCnt) {
            Output.sendActiveReset(c); // tcp_keepalive_timer's tcp_send_active_reset
            c.fail(c.timeoutError(), Cause.KEEPALIVE_TIMEOUT);
        } else {
            Output.sendProbe(c);
            c.keepaliveProbes++;
            c.timers.set(TimerTable.Kind.KEEPALIVE, c.now + c.opts.keepIntvl.toNanos());
        }
    }

    static void armKeepalive(Connection c) {
        if (c.opts.keepAlive) c.timers.set(TimerTable.Kind.KEEPALIVE, c.lastReceivedAt + c.opts.keepIdle.toNanos());
        else c.timers.cancel(TimerTable.Kind.KEEPALIVE);
    }

    /** An orphan (closed by its application) may wait in FIN_WAIT_2 only tcp_fin_timeout (or TCP_LINGER2) long. */
    static void armFinWait2IfOrphaned(Connection c) {
        if (!c.orphan || c.state != State.FIN_WAIT_2) return;
        c.timers.set(TimerTable.Kind.FIN_WAIT_2, c.now + (c.opts.linger2 != null ? c.opts.linger2 : c.cfg.tcpFinTimeout()).toNanos());
    }

    /** Entering (or restarting) TIME_WAIT: only the 2MSL timer runs (§3.10.7.4). */
    static void enterTimeWait(Connection c) {
        c.timers.cancelAll();
        c.timers.set(TimerTable.Kind.TIME_WAIT, c.now + c.cfg.timeWait().toNanos());
    }
}
