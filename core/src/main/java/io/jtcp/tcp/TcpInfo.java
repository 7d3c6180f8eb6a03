package io.jtcp.tcp;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * getsockopt(TCP_INFO): Linux's {@code struct tcp_info}, field for field under the
 * same names in camelCase, filled as tcp_get_info (net/ipv4/tcp.c) fills it. Units
 * are Linux's: microseconds for rto, ato, rtt, rttvar, min_rtt, busy_time and
 * rwnd_limited; milliseconds for the last_* ages and total_rto_time; segments for cwnd,
 * ssthresh and delivered; bytes elsewhere.
 *
 * <p>Left out are the fields jtcp has no mechanism behind (pacing rates, rcv_rtt and
 * rcv_space of receive-buffer autotuning, delivery rate, sndbuf_limited, Fast Open).
 * {@code unacked}, {@code sacked}, {@code lost} and {@code retrans} are the scoreboard's
 * packets_out, sacked_out, lost_out and retrans_out; {@code delivered} counts segments
 * as cumulative ACKs cover them whole (Linux also counts SACKed ones as they arrive).
 *
 * @param state Linux's numbering: TCP_ESTABLISHED = 1 ... TCP_CLOSING = 11
 * @param caState TCP_CA_Open 0, Disorder 1, Recovery 3, Loss 4
 * @param options TCPI_OPT_TIMESTAMPS 1 | TCPI_OPT_SACK 2 | TCPI_OPT_WSCALE 4 | TCPI_OPT_ECN 8 | TCPI_OPT_ECN_SEEN 16
 *                | TCPI_OPT_SYN_DATA 32
 */
public record TcpInfo(
        int state, int caState, int retransmits, int probes, int backoff, int options,
        int sndWscale, int rcvWscale, long rto, long ato, int sndMss, int rcvMss,
        long unacked, long sacked, long lost, long retrans,
        long lastDataSent, long lastDataRecv, long lastAckRecv,
        int pmtu, long rcvSsthresh, long rtt, long rttvar, long sndSsthresh, long sndCwnd, int advmss,
        int reordering, long totalRetrans, long bytesAcked, long bytesReceived, long segsOut, long segsIn,
        long notsentBytes, long minRtt, long dataSegsIn, long dataSegsOut, long bytesSent, long bytesRetrans,
        long sndWnd, long rcvWnd, long totalRto, long totalRtoRecoveries, long totalRtoTime,
        long delivered, long busyTime, long rwndLimited, long reordSeen) {

    public static final int TCPI_OPT_TIMESTAMPS = 1, TCPI_OPT_SACK = 2, TCPI_OPT_WSCALE = 4, TCPI_OPT_ECN = 8,
            TCPI_OPT_ECN_SEEN = 16, TCPI_OPT_SYN_DATA = 32;
    public static final int TCP_CA_OPEN = 0, TCP_CA_DISORDER = 1, TCP_CA_RECOVERY = 3, TCP_CA_LOSS = 4;
    /** Linux's TCP_INFINITE_SSTHRESH, what snd_ssthresh reads before the first loss. */
    public static final long INFINITE_SSTHRESH = 0x7fffffffL;
    /** What min_rtt reads before any sample (the minmax filter's ~0U). */
    public static final long NO_RTT = 0xffffffffL;

    /** Linux's TCP_* state numbers (include/net/tcp_states.h). */
    public static int linuxState(State s) {
        return switch (s) {
            case ESTABLISHED -> 1;
            case SYN_SENT -> 2;
            case SYN_RECEIVED -> 3;
            case FIN_WAIT_1 -> 4;
            case FIN_WAIT_2 -> 5;
            case TIME_WAIT -> 6;
            case CLOSED -> 7;
            case CLOSE_WAIT -> 8;
            case LAST_ACK -> 9;
            case LISTEN -> 10;
            case CLOSING -> 11;
        };
    }

    static TcpInfo of(Connection c, long now) {
        int mss = Math.max(c.agreed.sndMss, 1);
        Scoreboard b = c.board;
        // packets_out counts the SYN or SYN-ACK while it is unacknowledged; jtcp's scoreboard holds data and FIN only.
        long unacked = b.isEmpty() && c.sndMax != c.sndUna ? 1 : b.packetsOut();
        CongestionWindow w = c.recovery.w;
        int caState = w.state.linux();
        int options = (c.agreed.tsOk ? TCPI_OPT_TIMESTAMPS : 0) | (c.agreed.sackOk ? TCPI_OPT_SACK : 0) | (c.agreed.wscaleOk ? TCPI_OPT_WSCALE : 0)
                | ((c.ecnFlags & Ecn.OK) != 0 ? TCPI_OPT_ECN : 0) | ((c.ecnFlags & Ecn.SEEN) != 0 ? TCPI_OPT_ECN_SEEN : 0)
                | (c.synData ? TCPI_OPT_SYN_DATA : 0);
        TcpStats st = c.stats;
        long minRtt = c.rtt.minRtt();
        return new TcpInfo(
                linuxState(c.state), caState, c.retries,
                c.persistProbes > 0 ? c.persistProbes : c.keepaliveProbes,
                Math.max(c.rtt.backoffCount(), c.persistBackoff), options,
                c.agreed.wscaleOk ? c.agreed.sndWscale : 0, c.agreed.wscaleOk ? c.agreed.rcvWscale : 0,
                micros(c.rtt.rto()),
                micros(c.ackAto),
                c.agreed.sndMss, st.rcvMss, unacked, b.sackedOut, b.lostOut, b.retransOut,
                millis(now - c.recovery.w.lastDataSentAt), millis(now - st.lastDataReceivedAt), millis(now - st.lastAckReceivedAt),
                c.agreed.pathMtu, c.rcvSsthresh, micros(c.rtt.srtt()), micros(c.rtt.rttvar()),
                w.ssthresh, w.cwnd, c.agreed.advertisedMss, c.recovery.reordering, c.retransmittedSegments,
                st.bytesAcked, st.bytesReceived, u32(st.segsOut), u32(st.segsIn),
                c.state == State.LISTEN ? 0 : Ioctl.SIOCOUTQNSD.queued(c),
                minRtt == Long.MAX_VALUE ? NO_RTT : micros(minRtt),
                u32(st.dataSegsIn), u32(st.dataSegsOut), st.bytesSent, st.bytesRetrans,
                c.sndWnd, c.rcvWnd(), st.totalRto(), st.totalRtoRecoveries(), millis(st.rtoTime(now)),
                u32(st.delivered), micros(st.busyTime(now)), micros(st.chronoTime(SendChrono.RWND_LIMITED, now)),
                c.recovery.reorderSeen);
    }


    private static long micros(long nanos) { return nanos / 1_000L; }

    /** A counter Linux keeps in 32 bits (u32), read as the unsigned value TCP_INFO reports. */
    private static long u32(int counter) { return Integer.toUnsignedLong(counter); }

    private static long millis(long nanos) { return nanos / 1_000_000L; }

    /** The fields under struct tcp_info's names ({@code tcpi_snd_cwnd} ...), for scripts that assert on them. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (RecordComponent rc : TcpInfo.class.getRecordComponents()) {
            try {
                Number v = (Number) rc.getAccessor().invoke(this);
                m.put("tcpi_" + rc.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT), v.longValue());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }
}
