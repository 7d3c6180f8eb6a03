package io.jtcp.tcp;

/**
 * When received data is acknowledged: Linux's receiver-side ACK engine (the
 * {@code icsk_ack} part of its connection socket) rather than one fixed delayed-ACK
 * timer. RFC 9293 §3.8.6.3 and RFC 1122 §4.2.3.2 only bound the delay; Linux
 * chooses it like this:
 *
 * <ul>
 * <li><b>Quick-ACK mode.</b> The first data of a connection, data after a silence
 *     longer than the RTO, and old or out-of-window data grant a quota of ACKs sent
 *     at once (tcp_incr_quickack: the window over two segments, at most
 *     {@link #MAX_QUICK_ACKS}); each ACK of new data spends one (tcp_dec_quickack_mode).
 *     A sender in slow start is not held back by our delayed ACKs.</li>
 * <li><b>Interactive (pingpong) mode.</b> When we send data less than one ATO after
 *     data arrived (tcp_event_data_sent), or the peer's FIN arrives (tcp_fin), or the
 *     application asks with TCP_QUICKACK 0, ACKs are delayed even in quick-ACK mode,
 *     so they can ride on the reply. A delayed-ACK timer that fires leaves it.</li>
 * <li><b>The ACK timeout (ATO).</b> Estimated from the gaps between data segments
 *     (tcp_event_data_recv), doubled when the timer fires without a reply
 *     (tcp_delack_timer_handler), bounded by the RTT and 200 or 500 ms
 *     (tcp_send_delayed_ack).</li>
 * </ul>
 *
 * The lower bound, Linux's TCP_ATO_MIN and TCP_DELACK_MIN (40 ms), is the
 * {@code delayed_ack} sysctl.
 */
final class AckPolicy {
    /** Linux's TCP_MAX_QUICKACKS. */
    static final int MAX_QUICK_ACKS = 16;
    /** Linux's TCP_DELACK_MAX (HZ/5): the longest delay, and the bound in interactive mode. */
    static final long DELACK_MAX_NANOS = 200_000_000L;
    /** HZ/2: tcp_send_delayed_ack's bound on the ATO outside interactive mode. */
    static final long ATO_MAX_NANOS = 500_000_000L;

    private AckPolicy() {}

    /** A new incarnation: nothing owed, no timeout learned. */
    static void reset(Connection c) {
        c.ackQuick = 0;
        c.ackAto = 0;
        c.ackLastDataAt = 0;
        c.ackInteractive = c.ackScheduled = c.ackPushed = c.ackPushedTwice = false;
        c.ackRcvMss = 0;
    }

    /** tcp_event_data_recv: data arrived in order; {@code len} bytes of it. Call before RCV.NXT advances. */
    static void dataReceived(Connection c, int len) {
        c.ackScheduled = true;
        measureRcvMss(c, len);
        long atoMin = atoMin(c);
        if (c.ackAto == 0) {
            incrementQuick(c, MAX_QUICK_ACKS);
            c.ackAto = atoMin;
        } else {
            long gap = c.now - c.ackLastDataAt;
            if (gap <= atoMin / 2) {
                c.ackAto = c.ackAto / 2 + atoMin / 2;
            } else if (gap < c.ackAto) {
                c.ackAto = Math.min(c.ackAto / 2 + gap, c.rtt.rto());
            } else if (gap > c.rtt.rto()) {
                // A long silence: the sender restarts from a small window, so do not hold its ACKs back.
                incrementQuick(c, MAX_QUICK_ACKS);
            }
        }
        c.ackLastDataAt = c.now;
    }

    /**
     * tcp_measure_rcv_mss, simplified: a segment as large as the estimate raises it (up to
     * our MSS); a shorter one marks the ACK as pushed, which lets a read that empties the
     * buffer send it ({@link #afterRead}).
     */
    private static void measureRcvMss(Connection c, int len) {
        initRcvMss(c);
        if (len >= c.ackRcvMss) {
            c.ackRcvMss = Math.min(len, c.agreed.advertisedMss);
        } else {
            if (c.ackPushed) c.ackPushedTwice = true;
            c.ackPushed = true;
        }
    }

    /** tcp_initialize_rcv_mss: a guess no larger than 536 nor half the window, until segments show more. */
    private static void initRcvMss(Connection c) {
        if (c.ackRcvMss != 0) return;
        long hint = Math.min(Math.min(c.agreed.advertisedMss, c.agreed.sndMss), Math.min(c.rcvWnd() / 2, Tcp.DEFAULT_MSS));
        c.ackRcvMss = (int) Math.max(hint, Tcp.MIN_MSS);
    }

    /** tcp_incr_quickack: a quota of immediate ACKs, the window's worth of segment pairs, at most {@code max}. */
    private static void incrementQuick(Connection c, int max) {
        initRcvMss(c);
        long quota = c.rcvWnd() / (2L * c.ackRcvMss);
        if (quota == 0) quota = 2;
        c.ackQuick = (int) Math.max(c.ackQuick, Math.min(quota, max));
    }

    /**
     * tcp_enter_quickack_mode: the peer resends data we hold, or sends what does not fit:
     * our ACKs are late or lost, so send the next ones at once.
     */
    static void enterQuickAck(Connection c) {
        enterQuickAck(c, MAX_QUICK_ACKS);
    }

    /** tcp_enter_quickack_mode with Linux's max_quickacks: ECN's CE transitions ask for at most 2. */
    static void enterQuickAck(Connection c, int maxQuickAcks) {
        incrementQuick(c, maxQuickAcks);
        c.ackInteractive = false;
        c.ackAto = atoMin(c);
    }

    /** tcp_finish_connect: the handshake's completion counts as data received (icsk_ack.lrcvtime, tcpi_last_data_recv). */
    static void connected(Connection c) {
        c.ackLastDataAt = c.now;
        c.stats.lastDataReceivedAt = c.now;
        // ... and as data sent (lsndtime), so the first data does not look like a restart after idle.
        c.recovery.w.lastDataSentAt = c.now;
    }

    /**
     * tcp_rcv_synsent_state_process with a writer already waiting (sk_write_pending): the
     * handshake's ACK is held for up to TCP_DELACK_MAX so that write's first segment carries it,
     * in quick-ACK mode. As {@link #connected} stamped the SYN-ACK's arrival as the last data's,
     * data written at once looks like a reply and makes the connection interactive.
     */
    static void awaitPendingWrite(Connection c) {
        enterQuickAck(c);
        c.ackScheduled = true;
        c.timers.set(TimerTable.Kind.DELAYED_ACK, c.now + DELACK_MAX_NANOS);
    }

    /**
     * The writer awaited by {@link #awaitPendingWrite} returns. Its data carried the held ACK
     * if it had any; if everything it wrote already rode on a Fast Open SYN, Linux (6.18,
     * checked with packetdrill's fastopen/client scripts) sends the handshake's ACK as the
     * call returns rather than at TCP_DELACK_MAX.
     */
    static void writerReturned(Connection c) {
        if (c.ackScheduled && c.state.isSynchronized()) c.ackNow = true;
    }

    /** tcp_in_quickack_mode. */
    static boolean inQuickAckMode(Connection c) {
        return c.ackQuick > 0 && !c.ackInteractive;
    }

    /** tcp_fin in ESTABLISHED or SYN_RECEIVED: the FIN's ACK waits, so a prompt close() can carry it. */
    static void finReceived(Connection c) {
        c.ackInteractive = true;
        c.ackScheduled = true;
    }

    /**
     * tcp_ack_snd_check, after a segment's text and FIN: an owed ACK goes at once in
     * quick-ACK mode, otherwise after the ACK timeout. Data and a FIN in one segment
     * are thus acknowledged late, as the FIN made the connection interactive.
     */
    static void settle(Connection c) {
        if (!c.ackScheduled || c.ackNow) return;
        if (inQuickAckMode(c)) c.ackNow = true;
        else delay(c);
    }

    /**
     * tcp_send_delayed_ack: arm the delayed-ACK timer one ATO from now, bounded as Linux
     * bounds it, never later than a timer already running; if that one is about to fire,
     * send now. An ATO of zero (no data yet, e.g. a bare FIN) waits one clock tick.
     */
    private static void delay(Connection c) {
        long atoMin = atoMin(c);
        long ato = c.ackAto;
        if (ato > atoMin) {
            long max = c.ackInteractive || c.ackPushed ? DELACK_MAX_NANOS : ATO_MAX_NANOS;
            if (c.rtt.hasSample()) max = Math.min(max, Math.max(c.rtt.srtt(), atoMin));
            ato = Math.min(ato, max);
        }
        ato = Math.max(Math.min(ato, Math.max(DELACK_MAX_NANOS, atoMin)), RttEstimator.CLOCK_GRANULARITY_NANOS);
        long at = c.now + ato;
        long armed = c.timers.at(TimerTable.Kind.DELAYED_ACK);
        if (armed != TimerTable.NEVER) {
            if (armed <= c.now + ato / 4) {
                c.ackNow = true;
                return;
            }
            at = Math.min(at, armed);
        }
        c.timers.set(TimerTable.Kind.DELAYED_ACK, at);
    }

    /**
     * tcp_delack_timer_handler: the timer fired with no reply to carry the ACK. Outside
     * interactive mode the ATO doubles (up to the RTO); in it, the guess was wrong: leave it.
     */
    static void delayedAckDue(Connection c) {
        if (c.ackScheduled) {
            if (!c.ackInteractive) {
                c.ackAto = Math.min(c.ackAto * 2, c.rtt.rto());
            } else {
                c.ackInteractive = false;
                c.ackAto = atoMin(c);
            }
        }
        c.ackNow = true;
    }

    /** tcp_event_ack_sent: an ACK of new data spends one of the quick-ACK quota; nothing is owed any more. */
    static void ackSent(Connection c) {
        if (c.ackQuick > 0 && c.ackScheduled && --c.ackQuick == 0) c.ackAto = atoMin(c);
        c.ackScheduled = c.ackPushed = c.ackPushedTwice = false;
    }

    /** tcp_event_data_sent: data sent within one ATO of data received looks like a reply: go interactive. */
    static void dataSent(Connection c) {
        if (c.now - c.ackLastDataAt < c.ackAto) c.ackInteractive = true;
    }

    /**
     * tcp_cleanup_rbuf after a read: an owed ACK goes now if more than a segment is
     * unacknowledged, or if the read emptied the buffer after short (pushed) segments,
     * outside interactive mode unless two came.
     */
    static void afterRead(Connection c) {
        if (!c.ackScheduled) return;
        boolean moreThanSegment = moreThanSegmentUnacked(c);
        boolean drained = c.recvBuf.readable() == 0 && (c.ackPushedTwice || c.ackPushed && !c.ackInteractive);
        if (moreThanSegment || drained) c.ackNow = true;
    }

    /** More than one segment (icsk_ack.rcv_mss) received since the last ACK we sent (RCV.NXT - rcv_wup). */
    static boolean moreThanSegmentUnacked(Connection c) {
        return c.rcvNxt - c.lastAckSent > c.ackRcvMss;
    }

    /**
     * TCP_QUICKACK (Linux's __tcp_sock_set_quickack): 0 enters interactive mode; 1 leaves
     * it and sends an owed ACK if the application has read everything.
     */
    static void setQuickAck(Connection c, boolean on) {
        if (!on) {
            c.ackInteractive = true;
            return;
        }
        c.ackInteractive = false;
        if ((c.state == State.ESTABLISHED || c.state == State.CLOSE_WAIT) && c.ackScheduled) {
            c.ackPushed = true;
            afterRead(c);
        }
    }

    private static long atoMin(Connection c) {
        return c.cfg.delayedAck().toNanos();
    }
}
