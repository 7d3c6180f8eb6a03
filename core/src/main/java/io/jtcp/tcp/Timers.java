package io.jtcp.tcp;

import io.jtcp.wire.Seq;

/**
 * The connection's timers (RFC 9293 §3.8 and §3.10.8): retransmission with
 * RFC 6298 backoff and retry limits, delayed ACK, zero-window persist,
 * keepalive, the orphan FIN_WAIT_2 timeout, and TIME_WAIT's 2MSL. Each is a
 * deadline field in the TCB; {@link #fire} runs those that are due.
 */
final class Timers {
    private Timers() {}

    static final long NEVER = Connection.NEVER;

    static void fire(Connection c) {
        long now = c.now;
        if (c.timeWaitAt <= now) {
            c.timeWaitAt = NEVER;
            c.setState(State.CLOSED, Cause.TIME_WAIT_EXPIRED);
            return;
        }
        if (c.finWait2At <= now) {
            c.finWait2At = NEVER;
            c.setState(State.CLOSED, Cause.FIN_WAIT_2_TIMEOUT);
            return;
        }
        if (c.rtxAt <= now) {
            c.rtxAt = NEVER;
            retransmissionTimeout(c);
            if (c.state == State.CLOSED) return;
        }
        if (c.persistAt <= now) {
            c.persistAt = NEVER;
            persist(c);
            if (c.state == State.CLOSED) return;
        }
        if (c.delackAt <= now) {
            c.delackAt = NEVER;
            AckPolicy.delayedAckDue(c);
        }
        if (c.keepaliveAt <= now) {
            c.keepaliveAt = NEVER;
            keepalive(c);
        }
    }

    /**
     * RFC 6298 §5.4–5.6: back the timer off and resend from the oldest unacknowledged
     * octet (go-back-N: {@link Output#push} resends the SYN, the data and the FIN as
     * the congestion window allows). Gives up with ETIMEDOUT after the sysctl's
     * number of retries: tcp_syn_retries for a SYN, tcp_synack_retries for a SYN-ACK,
     * tcp_retries2 for data (tcp_orphan_retries once the application has closed).
     */
    private static void retransmissionTimeout(Connection c) {
        if (userTimedOut(c)) {
            c.fail(Errno.ETIMEDOUT, Cause.USER_TIMEOUT);
            return;
        }
        if (c.retries >= retryLimit(c)) {
            c.fail(Errno.ETIMEDOUT, Cause.RETRANSMISSION_LIMIT);
            return;
        }
        c.retries++;
        c.rtt.backoff();
        Congestion.timeout(c);
        c.rttTiming = false;
        c.sndNxt = c.sndUna;
    }

    private static int retryLimit(Connection c) {
        return switch (c.state) {
            case SYN_SENT -> c.cfg.tcpSynRetries();
            case SYN_RECEIVED -> c.cfg.tcpSynackRetries();
            default -> c.orphan ? c.cfg.orphanRetries() : c.cfg.tcpRetries2();
        };
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

    /** §3.8.6.1: probe a zero window, backing off like retransmissions, within the same retry limit. */
    private static void persist(Connection c) {
        if (c.sndWnd > 0) return;
        if (userTimedOut(c) || c.persistProbes >= (c.orphan ? c.cfg.orphanRetries() : c.cfg.tcpRetries2())) {
            c.fail(Errno.ETIMEDOUT, Cause.RETRANSMISSION_LIMIT);
            return;
        }
        Output.sendProbe(c);
        c.persistBackoff++;
        c.persistProbes++;
        armPersist(c);
    }

    static void armPersist(Connection c) {
        if (c.persistBackoff == 0) c.outstandingSince = c.now;
        long interval = c.rtt.rto() << Math.min(c.persistBackoff, 20);
        c.persistAt = c.now + Math.min(interval, c.cfg.rtoMax().toNanos());
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
            c.keepaliveAt = c.now + idleLimit;
        } else if (idle < idleLimit) {
            c.keepaliveAt = c.lastReceivedAt + idleLimit;
        } else if (c.keepaliveProbes >= c.opts.keepCnt) {
            Output.sendReset(c, Output.acceptableSeq(c), c.rcvNxt, true); // tcp_keepalive_timer's tcp_send_active_reset
            c.fail(Errno.ETIMEDOUT, Cause.KEEPALIVE_TIMEOUT);
        } else {
            Output.sendProbe(c);
            c.keepaliveProbes++;
            c.keepaliveAt = c.now + c.opts.keepIntvl.toNanos();
        }
    }

    static void armKeepalive(Connection c) {
        c.keepaliveAt = c.opts.keepAlive ? c.lastReceivedAt + c.opts.keepIdle.toNanos() : NEVER;
    }

    /** An orphan (closed by its application) may wait in FIN_WAIT_2 only tcp_fin_timeout (or TCP_LINGER2) long. */
    static void armFinWait2IfOrphaned(Connection c) {
        if (!c.orphan || c.state != State.FIN_WAIT_2) return;
        c.finWait2At = c.now + (c.opts.linger2 != null ? c.opts.linger2 : c.cfg.tcpFinTimeout()).toNanos();
    }

    /** Entering (or restarting) TIME_WAIT: only the 2MSL timer runs (§3.10.7.4). */
    static void enterTimeWait(Connection c) {
        cancelAll(c);
        c.timeWaitAt = c.now + c.cfg.timeWait().toNanos();
    }

    static void cancelAll(Connection c) {
        c.rtxAt = c.delackAt = c.persistAt = c.keepaliveAt = c.timeWaitAt = c.finWait2At = NEVER;
    }
}
