package io.jtcp.tcp;

/**
 * Why a connection changed state, with the RFC 9293 section whose rule it follows
 * (or the Linux behaviour it mirrors where the RFC is silent).
 */
public enum Cause {
    ACTIVE_OPEN("active OPEN, SYN sent", "3.10.1"),
    PASSIVE_OPEN("passive OPEN", "3.10.1"),
    SYN_RECEIVED("SYN received, SYN-ACK sent", "3.10.7.2"),
    SYN_COOKIE_ACK("ACK returned a valid SYN cookie: TCB rebuilt as if SYN and SYN-ACK were exchanged (RFC 4987 §3.6)",
            "3.10.7.2"),
    SYN_ACK_RECEIVED("SYN-ACK received, ACK sent", "3.10.7.3"),
    SIMULTANEOUS_OPEN("SYN received in SYN_SENT: simultaneous open, SYN-ACK sent", "3.10.7.3"),
    ACK_OF_SYN("ACK of our SYN", "3.10.7.4"),
    CLOSE_FIN_SENT("CLOSE, FIN queued after pending data", "3.10.4"),
    SHUTDOWN_FIN_SENT("shutdown(SHUT_WR), FIN queued after pending data", "3.10.4"),
    CLOSE_BEFORE_SYNCHRONIZED("CLOSE before the handshake completed, TCB deleted", "3.10.4"),
    FIN_RECEIVED("FIN received", "3.10.7.4"),
    SIMULTANEOUS_CLOSE("FIN received before the ACK of our FIN: simultaneous close", "3.10.7.4"),
    FIN_WITH_ACK_OF_FIN("FIN received together with the ACK of our FIN", "3.10.7.4"),
    ACK_OF_FIN("ACK of our FIN", "3.10.7.4"),
    TIME_WAIT_FIN_REACKED("retransmitted FIN re-ACKed, 2MSL timer restarted", "3.10.7.4"),
    TIME_WAIT_EXPIRED("2MSL timer expired", "3.10.8"),
    TIME_WAIT_NEW_INCARNATION("SYN for a new incarnation accepted in TIME_WAIT (RFC 6191)", "3.10.7.4"),
    RESET_RECEIVED("RST received", "3.10.7.4"),
    RESET_REFUSED("RST received in SYN_SENT: connection refused", "3.10.7.3"),
    RESET_BACK_TO_LISTEN("RST received in SYN_RECEIVED of a passive open: back to LISTEN", "3.10.7.4"),
    TIME_WAIT_OVERFLOW("TIME_WAIT table full (tcp_max_tw_buckets), TCB deleted (Linux)", "3.10.7.4"),
    TIME_WAIT_REUSED("TIME_WAIT 4-tuple taken by a new outgoing connection (tcp_tw_reuse, Linux)", "3.10.7.4"),
    RESET_TIME_WAIT("RST received in TIME_WAIT, TCB deleted (RFC 1337 hazard)", "3.10.7.4"),
    ACCEPT_QUEUE_OVERFLOW("accept queue full at the final ACK, RST sent, request dropped (tcp_abort_on_overflow, Linux)",
            "3.10.7.4"),
    ABORT("ABORT, RST sent", "3.10.5"),
    ABORT_UNREAD_DATA("CLOSE with unread data, RST sent (Linux)", "3.10.5"),
    /** tcp_check_oom at close or on a timeout: "too many orphaned sockets" or "out of memory -- consider tuning tcp_mem". */
    ABORT_ON_MEMORY("orphan over tcp_max_orphans or tcp_mem, RST sent (Linux)", "3.10.5"),
    ABORT_DATA_AFTER_CLOSE("data arrived after CLOSE, RST sent (Linux)", "3.10.7.4"),
    ICMP_ERROR("ICMP error during the handshake (destination, host or port unreachable)", "3.10.7.3"),
    RETRANSMISSION_LIMIT("retransmission limit reached, ETIMEDOUT", "3.8.3"),
    USER_TIMEOUT("user timeout expired, ETIMEDOUT", "3.10.8"),
    KEEPALIVE_TIMEOUT("keepalive probes unanswered, RST sent, ETIMEDOUT", "3.8.4"),
    FIN_WAIT_2_TIMEOUT("orphan in FIN_WAIT_2 for tcp_fin_timeout, TCB deleted (Linux)", "3.10.7.4");

    private final String text;
    private final String section;

    Cause(String text, String section) {
        this.text = text;
        this.section = section;
    }

    public String text() { return text; }

    /** The RFC 9293 section whose rule caused the step. */
    public String section() { return section; }

    @Override
    public String toString() { return text + " (" + section + ")"; }
}
