package io.jtcp.api;

import io.jtcp.tcp.State;
import io.jtcp.tcp.TcpInfo;
import io.jtcp.wire.FourTuple;

/**
 * STATUS (RFC 9293 §3.10.6): a snapshot of one TCB, with what {@code ss -tan -o -i}
 * shows of a Linux socket. Sequence numbers are absolute; durations in nanoseconds.
 *
 * @param cwnd           the congestion window in segments, and {@code ssthresh} (0x7fffffff until the first loss)
 * @param congestion     the congestion-control algorithm's Linux name ({@code cubic}), null for a TIME_WAIT entry
 * @param timer          the timer ss would show: {@code on} (retransmission), {@code persist},
 *                       {@code keepalive}, {@code timewait} (also an orphan's FIN_WAIT_2), or {@code off}
 * @param timerRemaining time until that timer fires, 0 when off
 * @param sendQueue      bytes written but not yet acknowledged (Send-Q)
 * @param receiveQueue   bytes received but not yet read (Recv-Q)
 * @param retries        retransmission timeouts since the last progress
 * @param probes         keepalive or zero-window probes sent and unanswered
 * @param info           TCP_INFO at the same moment; null for a TIME_WAIT table entry, which has no TCB
 */
public record ConnectionStatus(
        State state, FourTuple tuple, boolean orphan, Errno error,
        int iss, int sndUna, int sndNxt, long sndWnd, int irs, int rcvNxt, long rcvWnd,
        int sndMss, int advertisedMss, int sndWscale, int rcvWscale, boolean timestamps, boolean sack,
        long srtt, long rttvar, long rto, long cwnd, long ssthresh, String congestion,
        int sendQueue, int receiveQueue, int retries, int probes, long retransmittedSegments,
        String timer, long timerRemaining, TcpInfo info) {

    /** A status without TCP_INFO: what a TIME_WAIT table entry can tell. */
    public ConnectionStatus(State state, FourTuple tuple, boolean orphan, Errno error,
                            int iss, int sndUna, int sndNxt, long sndWnd, int irs, int rcvNxt, long rcvWnd,
                            int sndMss, int advertisedMss, int sndWscale, int rcvWscale, boolean timestamps, boolean sack,
                            long srtt, long rttvar, long rto, long cwnd, long ssthresh, String congestion,
                            int sendQueue, int receiveQueue, int retries, int probes, long retransmittedSegments,
                            String timer, long timerRemaining) {
        this(state, tuple, orphan, error, iss, sndUna, sndNxt, sndWnd, irs, rcvNxt, rcvWnd, sndMss, advertisedMss,
                sndWscale, rcvWscale, timestamps, sack, srtt, rttvar, rto, cwnd, ssthresh, congestion, sendQueue, receiveQueue,
                retries, probes, retransmittedSegments, timer, timerRemaining, null);
    }

    /**
     * This status of a TCB the host no longer runs (it handed TIME_WAIT to its table), shown
     * in {@code state} with {@code timer}: the sequence numbers and queues stay as they were
     * at the hand-off; TCP_INFO is gone with the TCB.
     */
    public ConnectionStatus afterTcb(State state, String timer, long timerRemaining) {
        return new ConnectionStatus(state, tuple, orphan, error, iss, sndUna, sndNxt, sndWnd, irs, rcvNxt, rcvWnd,
                sndMss, advertisedMss, sndWscale, rcvWscale, timestamps, sack, srtt, rttvar, rto, cwnd, ssthresh, congestion,
                sendQueue, receiveQueue, retries, probes, retransmittedSegments, timer, timerRemaining, null);
    }

    /** The components that hold 32-bit sequence numbers: unsigned on the wire, so printed unsigned. */
    private static final java.util.Set<String> SEQUENCE_NUMBERS = java.util.Set.of("iss", "sndUna", "sndNxt", "irs", "rcvNxt");

    /** As a record prints itself, but with the sequence numbers unsigned, as tcpdump and ss print them. */
    @Override
    public String toString() {
        java.util.StringJoiner j = new java.util.StringJoiner(", ", "ConnectionStatus[", "]");
        for (java.lang.reflect.RecordComponent c : ConnectionStatus.class.getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            j.add(c.getName() + "=" + (SEQUENCE_NUMBERS.contains(c.getName()) ? Integer.toUnsignedString((Integer) v) : v));
        }
        return j.toString();
    }

    /** The count ss prints as a timer's last field: retransmissions for {@code on}, probes for the others. */
    public int timerCount() {
        return timer.equals("on") ? retries : probes;
    }
}
