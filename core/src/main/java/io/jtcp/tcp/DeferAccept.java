package io.jtcp.tcp;

import io.jtcp.wire.Segment;

/**
 * TCP_DEFER_ACCEPT on a listener, as Linux does it: the seconds are turned into a
 * number of SYN-ACK timeouts (secs_to_retrans), and until that many have passed a
 * final ACK without data does not complete the handshake (tcp_check_req: the
 * request is marked acked and the ACK dropped, TCPDeferAcceptDrop). The first data
 * completes it; so does a bare ACK once the period is over. While it waits, the
 * SYN-ACK is not resent until the last timeout of the period, which gives the
 * client a last chance to send data or ACK again (syn_ack_recalc).
 */
final class DeferAccept {
    private DeferAccept() {}

    /**
     * Linux's secs_to_retrans: the number of SYN-ACK timeouts, starting at
     * {@code initial} seconds and doubling up to {@code max}, whose sum first reaches
     * {@code seconds}; zero for zero.
     */
    static int secondsToRetransmissions(int seconds, int initial, int max) {
        if (seconds <= 0) return 0;
        int count = 1, timeout = initial, period = initial;
        while (seconds > period && count < 255) {
            count++;
            timeout = Math.min(timeout << 1, max);
            period += timeout;
        }
        return count;
    }

    /**
     * Linux's retrans_to_secs, the way back: the seconds that {@code count} SYN-ACK
     * timeouts span, which is what getsockopt(TCP_DEFER_ACCEPT) reports.
     */
    static int retransmissionsToSeconds(int count, int initial, int max) {
        int period = 0, timeout = initial;
        for (int i = 0; i < count; i++) {
            period += timeout;
            timeout = Math.min(timeout << 1, max);
        }
        return period;
    }

    /** getsockopt(TCP_DEFER_ACCEPT): {@code seconds} rounded up to the end of its last SYN-ACK timeout. */
    static int reportedSeconds(int seconds, io.jtcp.config.Sysctls cfg) {
        int initial = (int) cfg.rtoInitial().toSeconds(), max = (int) cfg.rtoMax().toSeconds();
        return retransmissionsToSeconds(secondsToRetransmissions(seconds, initial, max), initial, max);
    }

    /** The listener's TCP_DEFER_ACCEPT as SYN-ACK timeouts (rskq_defer_accept). */
    static int retransmissions(Connection c) {
        return secondsToRetransmissions(c.opts.deferAccept,
                (int) c.cfg.rtoInitial().toSeconds(), (int) c.cfg.rtoMax().toSeconds());
    }

    /**
     * An acceptable ACK of our SYN-ACK arrives for a request: true when it must not
     * complete the handshake yet (no data, no FIN, period not over). The request
     * remembers that it was acknowledged. The ACK of a SYN cookie is never held: no
     * request is left to wait (cookie_v4_check has no such rule).
     */
    static boolean holdsBareAck(Connection c, Segment ack) {
        if (!c.passive || c.synCookie || c.retries >= retransmissions(c) || ack.seq + ack.seqLength() != c.irs + 1) return false;
        c.requestAcked = true;
        return true;
    }

    /** syn_ack_recalc's resend: an acknowledged request waits for data without SYN-ACKs until the period's last timeout. */
    static boolean resendsSynAck(Connection c) {
        int defer = retransmissions(c);
        return defer == 0 || !c.requestAcked || c.retries >= defer - 1;
    }

    /**
     * syn_ack_recalc's expire: the listener's TCP_SYNCNT, else tcp_synack_retries, timeouts
     * (reqsk_timer_handler), and for an acknowledged request the whole period too.
     */
    static boolean expired(Connection c) {
        int defer = retransmissions(c);
        int retries = c.opts.synCnt > 0 ? c.opts.synCnt : c.cfg.tcpSynackRetries();
        return c.retries >= retries && (defer == 0 || !c.requestAcked || c.retries >= defer);
    }
}
