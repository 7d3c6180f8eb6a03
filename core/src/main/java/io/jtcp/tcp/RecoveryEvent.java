package io.jtcp.tcp;

/**
 * What loss detection and recovery did, one constant per counter Linux keeps for it in
 * its TcpExt MIB (nstat shows them as TcpExtTCPSackRecovery ...). A host counts them from
 * {@link ConnectionEvents#recovery} and the trace shows each as it happens.
 */
public enum RecoveryEvent {
    /** Fast recovery entered on SACK information (TCPSackRecovery) or on duplicate ACKs alone (TCPRenoRecovery). */
    SACK_RECOVERY("TCPSackRecovery"),
    RENO_RECOVERY("TCPRenoRecovery"),
    /** A segment retransmitted in fast recovery (TCPFastRetrans) or after a timeout (TCPSlowStartRetrans). */
    FAST_RETRANS("TCPFastRetrans"),
    SLOW_START_RETRANS("TCPSlowStartRetrans"),
    /** A retransmission timeout (TCPTimeouts). */
    TIMEOUT("TCPTimeouts"),
    /** A tail loss probe sent (TCPLossProbes), and one that repaired a real loss (TCPLossProbeRecovery). */
    LOSS_PROBE("TCPLossProbes"),
    LOSS_PROBE_RECOVERY("TCPLossProbeRecovery"),
    /** A timeout F-RTO found spurious (TCPSpuriousRTOs). */
    SPURIOUS_RTO("TCPSpuriousRTOs"),
    /** Window reductions undone: D-SACKs for every retransmission, timestamps at recovery's end, partway, after a timeout. */
    DSACK_UNDO("TCPDSACKUndo"),
    FULL_UNDO("TCPFullUndo"),
    PARTIAL_UNDO("TCPPartialUndo"),
    LOSS_UNDO("TCPLossUndo"),
    /** D-SACK blocks received (TCPDSACKRecv), and sent for old or out-of-order duplicates (TCPDSACKOldSent, TCPDSACKOfoSent). */
    DSACK_RECV("TCPDSACKRecv"),
    DSACK_OLD_SENT("TCPDSACKOldSent"),
    DSACK_OFO_SENT("TCPDSACKOfoSent"),
    /** Reordering detected from SACKs (TCPSACKReorder), duplicate ACKs (TCPRenoReorder) or timestamps. */
    SACK_REORDER("TCPSACKReorder"),
    RENO_REORDER("TCPRenoReorder"),
    /** Reordering shown by timestamps: a partial ACK echoing the original's TSval (TCPTSReorder). */
    TS_REORDER("TCPTSReorder"),
    /** A retransmission found lost again by RACK (TCPLostRetransmit). */
    LOST_RETRANSMIT("TCPLostRetransmit"),
    /** SACK blocks that were neither new information nor a D-SACK (TCPSACKDiscard). */
    SACK_DISCARD("TCPSACKDiscard");

    private final String mibName;

    RecoveryEvent(String mibName) {
        this.mibName = mibName;
    }

    /** The counter's name in Linux's TcpExt MIB. */
    public String mibName() {
        return mibName;
    }
}
