package io.jtcp.tcp;

/**
 * Where a sender stands with the network, Linux's icsk_ca_state (enum tcp_ca_state), in
 * Linux's order: a later state overrides an earlier one.
 */
enum CaState {
    /** Nothing wrong: every ACK advances in order. */
    OPEN,
    /** Duplicate ACKs or SACKs have been seen, not yet enough to call anything lost. */
    DISORDER,
    /** The window is being reduced for a congestion signal other than loss: an ECN echo, a repaired tail loss. */
    CWR,
    /** Fast recovery: losses were marked from SACKs, duplicate ACKs or RACK, and are being repaired. */
    RECOVERY,
    /** A retransmission timeout: everything outstanding is presumed lost. */
    LOSS;

    /** The number TCP_INFO's tcpi_ca_state carries (TCP_CA_Open = 0 ... TCP_CA_Loss = 4). */
    int linux() {
        return ordinal();
    }
}
