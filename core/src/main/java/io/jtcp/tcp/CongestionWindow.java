package io.jtcp.tcp;

/**
 * The congestion window and what the algorithms share, in segments as Linux counts them
 * (snd_cwnd, snd_ssthresh, snd_cwnd_cnt): a segment shorter than the MSS still takes a
 * whole slot, so a window of ten lets ten segments into the network whatever their size.
 * The {@link CongestionControl} grows it; loss recovery shrinks it and undoes the cut
 * when a loss proves spurious.
 */
final class CongestionWindow {
    /** Linux's TCP_INFINITE_SSTHRESH: slow start until the first loss. */
    static final int INFINITE_SSTHRESH = 0x7fffffff;
    /** Initial window of ten segments (RFC 6928, as Linux's TCP_INIT_CWND). */
    static final int INITIAL_WINDOW = 10;

    int cwnd = INITIAL_WINDOW;
    int ssthresh = INFINITE_SSTHRESH;
    /** Linear growth's counter of segments acknowledged since the window last grew (snd_cwnd_cnt). */
    int cwndCount;
    /** The window never grows past this (snd_cwnd_clamp). */
    int clamp = 0xFFFF_FFF;
    CaState state = CaState.OPEN;

    /**
     * tcp_cwnd_validate's record of the round trip: the most segments in flight and whether
     * the window was what stopped the sender, renewed when SND.UNA passes cwnd_usage_seq.
     */
    int maxPacketsOut;
    boolean cwndLimited;
    int usageSeq;

    /** The window and threshold before the current reduction, restored if it proves spurious (prior_cwnd, prior_ssthresh). */
    int priorCwnd, priorSsthresh;

    /**
     * SND.UNA and SND.NXT as of the ACK being processed (Linux's algorithms read tp->snd_una
     * and tp->snd_nxt): the engine copies them in before calling
     * {@link CongestionControl#acked}. HyStart++ ends its rounds by them.
     */
    int sndUna, sndNxt;

    /**
     * When data was last sent, in nanoseconds (tcp_sock's lsndtime): the engine sets it on
     * every data transmission after raising {@code TX_START} (tcp_event_data_sent's order),
     * so that at {@code TX_START} it still says when the sender fell idle. Its one home:
     * TCP_INFO's tcpi_last_data_sent reads it too.
     */
    long lastDataSentAt;

    boolean inSlowStart() {
        return cwnd < ssthresh;
    }

    /**
     * tcp_is_cwnd_limited: whether the window was tested this round trip, the condition for
     * growing it. In slow start it is enough to have had half the window in flight (an
     * application sending in bursts still doubles it each round trip).
     */
    boolean isCwndLimited() {
        if (inSlowStart()) return cwnd < 2 * maxPacketsOut;
        return cwndLimited;
    }

    /**
     * tcp_slow_start: one segment per segment acknowledged, up to ssthresh. Returns what
     * is left of {@code acked} for congestion avoidance once ssthresh is reached.
     */
    int slowStart(int acked) {
        int next = Math.min(cwnd + acked, ssthresh);
        acked -= next - cwnd;
        cwnd = Math.min(next, clamp);
        return acked;
    }

    /**
     * tcp_cong_avoid_ai: one segment more each time {@code w} segments have been
     * acknowledged, so one per round trip when {@code w} is the window.
     */
    void additiveIncrease(int w, int acked) {
        if (cwndCount >= w) {
            cwndCount = 0;
            cwnd++;
        }
        cwndCount += acked;
        if (cwndCount >= w) {
            int delta = cwndCount / w;
            cwndCount -= delta * w;
            cwnd += delta;
        }
        cwnd = Math.min(cwnd, clamp);
    }
}
