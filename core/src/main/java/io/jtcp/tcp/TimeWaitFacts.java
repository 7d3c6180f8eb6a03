package io.jtcp.tcp;

/**
 * What a connection entering TIME_WAIT hands to its host's compact TIME_WAIT
 * table (DESIGN.md: "TIME_WAIT is not a Connection"): the few facts
 * {@link TimeWaitRules} and the TIME_WAIT ACK need, as Linux's
 * tcp_time_wait copies them into a tcp_timewait_sock.
 *
 * @param sndNxt       SND.NXT, one past our FIN: the sequence number of every TIME_WAIT ACK
 * @param rcvNxt       RCV.NXT, one past the peer's FIN
 * @param window       the window field last advertised, already scaled down (Linux's tw_rcv_wnd)
 * @param tsOk         timestamps were negotiated (RFC 7323)
 * @param tsRecent     TS.Recent, the last timestamp accepted from the peer
 * @param tsRecentAt   when TS.Recent was accepted (the stack's clock, nanoseconds)
 * @param tsOffset     this connection's timestamp clock offset (RFC 7323 §5.4), for TSval
 * @param rto          the retransmission timeout at the hand-off, backoff included (Linux's icsk_rto), nanoseconds:
 *                     what tcp_tw_recycle shortens TIME_WAIT to 3.5 times of
 */
public record TimeWaitFacts(int sndNxt, int rcvNxt, int window, boolean tsOk, int tsRecent, long tsRecentAt,
                            int tsOffset, long rto) {
}
