package io.jtcp.tcp;

/**
 * A connection's timers: one absolute deadline per {@link Kind}, {@link #NEVER} when off.
 * Adding a timer is adding a kind; {@link Timers#fire} runs the due ones in the enum's order.
 *
 * <p>Three kinds share one slot, as Linux's icsk_pending does: the retransmission timer,
 * the tail loss probe and RACK's reordering timer are alternatives for the same outstanding
 * data, so arming one ({@link #armRecovery}) disarms the others.
 */
final class TimerTable {
    static final long NEVER = Long.MAX_VALUE;

    enum Kind {
        /** 2MSL in TIME_WAIT (§3.10.7.4). */
        TIME_WAIT,
        /** An orphan's FIN_WAIT_2 limit (tcp_fin_timeout). */
        FIN_WAIT_2,
        /** RFC 6298's retransmission timeout (ICSK_TIME_RETRANS). */
        RETRANSMIT,
        /** RFC 8985 §7's probe timeout (ICSK_TIME_LOSS_PROBE). */
        LOSS_PROBE,
        /** RFC 8985 §6.3's reordering timer (ICSK_TIME_REO_TIMEOUT). */
        REORDER,
        /** Zero-window probes and corked data's wakeup (ICSK_TIME_PROBE0). */
        PERSIST,
        DELAYED_ACK,
        KEEPALIVE
    }

    /*
     * One field per kind rather than a long[]: the array was an object of its own (80 bytes
     * with its header and length) on every connection, idle ones included.
     */
    private long timeWait = NEVER, finWait2 = NEVER, retransmit = NEVER, lossProbe = NEVER,
            reorder = NEVER, persist = NEVER, delayedAck = NEVER, keepalive = NEVER;
    /** The earliest deadline, kept as deadlines change: the host asks for it after every event. */
    private long earliest = NEVER;

    long at(Kind k) {
        return switch (k) {
            case TIME_WAIT -> timeWait;
            case FIN_WAIT_2 -> finWait2;
            case RETRANSMIT -> retransmit;
            case LOSS_PROBE -> lossProbe;
            case REORDER -> reorder;
            case PERSIST -> persist;
            case DELAYED_ACK -> delayedAck;
            case KEEPALIVE -> keepalive;
        };
    }

    boolean armed(Kind k) { return at(k) != NEVER; }

    void set(Kind k, long deadline) {
        long old = at(k);
        if (old == deadline) return;
        switch (k) {
            case TIME_WAIT -> timeWait = deadline;
            case FIN_WAIT_2 -> finWait2 = deadline;
            case RETRANSMIT -> retransmit = deadline;
            case LOSS_PROBE -> lossProbe = deadline;
            case REORDER -> reorder = deadline;
            case PERSIST -> persist = deadline;
            case DELAYED_ACK -> delayedAck = deadline;
            case KEEPALIVE -> keepalive = deadline;
        }
        if (deadline <= earliest) earliest = deadline;
        else if (old == earliest) earliest = scan();
    }

    void cancel(Kind k) { set(k, NEVER); }

    /** Whether {@code k} is due at {@code now}; a due timer is disarmed, so it fires once. */
    boolean take(Kind k, long now) {
        if (at(k) > now) return false;
        cancel(k);
        return true;
    }

    /** Arms one of the three timers that share the retransmission slot, disarming the other two. */
    void armRecovery(Kind k, long deadline) {
        set(k, deadline);
        if (k != Kind.RETRANSMIT) cancel(Kind.RETRANSMIT);
        if (k != Kind.LOSS_PROBE) cancel(Kind.LOSS_PROBE);
        if (k != Kind.REORDER) cancel(Kind.REORDER);
    }

    void cancelRecovery() {
        cancel(Kind.RETRANSMIT);
        cancel(Kind.LOSS_PROBE);
        cancel(Kind.REORDER);
    }

    /** Which of the shared slot's timers runs, or null. */
    Kind recoveryPending() {
        if (armed(Kind.RETRANSMIT)) return Kind.RETRANSMIT;
        if (armed(Kind.LOSS_PROBE)) return Kind.LOSS_PROBE;
        return armed(Kind.REORDER) ? Kind.REORDER : null;
    }

    long next() {
        return earliest;
    }

    private long scan() {
        return Math.min(Math.min(Math.min(timeWait, finWait2), Math.min(retransmit, lossProbe)),
                Math.min(Math.min(reorder, persist), Math.min(delayedAck, keepalive)));
    }

    void cancelAll() {
        timeWait = finWait2 = retransmit = lossProbe = reorder = persist = delayedAck = keepalive = NEVER;
        earliest = NEVER;
    }
}
