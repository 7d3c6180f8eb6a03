package io.jtcp.tcp;

import io.jtcp.config.CongestionAlgorithm;

/**
 * A congestion-control algorithm, shaped as Linux's struct tcp_congestion_ops: the loss
 * machinery ({@link LossRecovery}) decides when the window is cut and restored; the
 * algorithm decides by how much, and how it grows. One instance per connection, so an
 * algorithm keeps its own state (CUBIC's epoch, HyStart's round). All windows are in
 * segments ({@link CongestionWindow}); times in nanoseconds of the stack's clock.
 */
interface CongestionControl {
    CongestionAlgorithm algorithm();

    /** A new incarnation of the connection starts this algorithm afresh (ops->init). */
    default void init(CongestionWindow w) {}

    /** The slow-start threshold after a loss or a congestion echo (ops->ssthresh). */
    int ssthresh(CongestionWindow w);

    /**
     * An ACK acknowledged or SACKed {@code acked} segments while the sender was limited
     * by the window (ops->cong_avoid; slow start included).
     */
    void congestionAvoidance(CongestionWindow w, int acked, long now);

    /**
     * Every ACK that acknowledged or SACKed data (ops->pkts_acked): {@code rttNanos} is this
     * ACK's round-trip sample, or -1 when it has none (Karn's rule, no timestamp).
     */
    default void acked(CongestionWindow w, int acked, long rttNanos, long now) {}

    /** The sender moved to {@code next} (ops->set_state); {@code w.state} is still the old state. */
    default void stateChanged(CongestionWindow w, CaState next) {}

    /** Something the algorithm may care about (ops->cwnd_event). */
    default void event(CongestionWindow w, CongestionEvent e, long now) {}

    /** The window to return to when the last reduction proves spurious (ops->undo_cwnd). */
    int undoCwnd(CongestionWindow w);

    /** tcp_ca_event's events. */
    enum CongestionEvent {
        /** The first transmission with nothing in flight (CA_EVENT_TX_START). */
        TX_START,
        /** The window was reset after an idle period (CA_EVENT_CWND_RESTART). */
        CWND_RESTART,
        /** A reduction for an ECN echo or a repaired tail loss ended (CA_EVENT_COMPLETE_CWR). */
        COMPLETE_CWR,
        /** A retransmission timeout (CA_EVENT_LOSS). */
        LOSS,
        /** A data segment arrived with, or without, the CE mark (CA_EVENT_ECN_IS_CE, CA_EVENT_ECN_NO_CE). */
        ECN_IS_CE, ECN_NO_CE
    }

    static CongestionControl create(CongestionAlgorithm algorithm) {
        return switch (algorithm) {
            case RENO -> Reno.SHARED;
            case CUBIC -> new Cubic();
        };
    }
}
