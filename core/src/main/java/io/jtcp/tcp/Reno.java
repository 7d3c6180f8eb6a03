package io.jtcp.tcp;

import io.jtcp.config.CongestionAlgorithm;

/**
 * RFC 5681's slow start and congestion avoidance with a halving on loss: Linux's "reno"
 * (tcp_reno_cong_avoid, tcp_reno_ssthresh, tcp_reno_undo_cwnd). With the loss recovery of
 * {@link LossRecovery} around it, this is NewReno, or SACK-based recovery when SACK is on.
 */
final class Reno implements CongestionControl {
    /** Reno keeps no state of its own, so every connection shares one. */
    static final Reno SHARED = new Reno();

    private Reno() {}

    @Override
    public CongestionAlgorithm algorithm() {
        return CongestionAlgorithm.RENO;
    }

    @Override
    public int ssthresh(CongestionWindow w) {
        return Math.max(w.cwnd >> 1, 2);
    }

    @Override
    public void congestionAvoidance(CongestionWindow w, int acked, long now) {
        if (!w.isCwndLimited()) return;
        if (w.inSlowStart()) {
            acked = w.slowStart(acked);
            if (acked == 0) return;
        }
        w.additiveIncrease(w.cwnd, acked);
    }

    @Override
    public int undoCwnd(CongestionWindow w) {
        return Math.max(w.cwnd, w.priorCwnd);
    }
}
