package io.jtcp.tcp;

import io.jtcp.wire.Seq;

/**
 * Congestion control: RFC 5681 slow start and congestion avoidance, fast
 * retransmit on the third duplicate ACK, and NewReno fast recovery (RFC 6582).
 * A later issue brings SACK-based recovery and CUBIC; this is the floor every
 * sender must have.
 */
final class Congestion {
    long cwnd = Long.MAX_VALUE;
    long ssthresh = Long.MAX_VALUE;
    int dupAcks;
    boolean recovering;
    int recover;
    /** The most segments in flight this round trip (max_packets_out), and where the round ends (cwnd_usage_seq). */
    long maxSegmentsOut;
    int usageSeq;

    /** Initial window of ten segments (RFC 6928, as Linux's TCP_INIT_CWND). */
    static final int INITIAL_WINDOW_SEGMENTS = 10;
    /** Duplicate ACKs that signal a loss (Linux's tcp_reordering default, RFC 5681 §3.2). */
    static final int DUPACK_THRESHOLD = 3;

    void init(int mss) {
        cwnd = (long) INITIAL_WINDOW_SEGMENTS * mss;
        ssthresh = Long.MAX_VALUE;
    }

    static void newAck(Connection c, int acked, int ack) {
        Congestion cc = c.cc;
        int mss = c.sndMss;
        cc.dupAcks = 0;
        if (cc.recovering) {
            if (Seq.geq(ack, cc.recover)) {
                cc.recovering = false;
                cc.cwnd = cc.ssthresh;
            } else {
                // A partial ACK: the next hole is lost too. Resend it and deflate (RFC 6582 §3.2).
                Output.retransmitOldest(c);
                cc.cwnd = Math.max(cc.cwnd - acked + mss, mss);
            }
            return;
        }
        if (cc.cwnd < cc.ssthresh) {
            // tcp_is_cwnd_limited in slow start: an application that kept less than half the window
            // in flight this round trip did not test the window, so it does not grow.
            if (cc.cwnd >= 2 * cc.maxSegmentsOut * mss) return;
            // Linux's tcp_slow_start grows by every segment the ACK covers, up to ssthresh (RFC 5681 §3.1
            // allows at most one SMSS per ACK; Linux, like RFC 3465's byte counting, takes them all).
            cc.cwnd = Math.min(cc.cwnd + acked, Math.max(cc.ssthresh, cc.cwnd + mss));
        } else {
            cc.cwnd += Math.max(1, (long) mss * mss / cc.cwnd);
        }
    }

    /**
     * tcp_cwnd_validate after sending: the round trip's peak of segments in flight, renewed
     * once SND.UNA passes the end of the previous round or when more are out than before.
     */
    static void validate(Connection c) {
        Congestion cc = c.cc;
        long out = (Seq.distance(c.sndUna, c.sndNxt) + c.sndMss - 1) / Math.max(c.sndMss, 1);
        if (Seq.geq(c.sndUna, cc.usageSeq) || out > cc.maxSegmentsOut) {
            cc.maxSegmentsOut = out;
            cc.usageSeq = c.sndNxt;
        }
    }

    static void duplicateAck(Connection c) {
        Congestion cc = c.cc;
        int mss = c.sndMss;
        cc.dupAcks++;
        if (cc.recovering) {
            cc.cwnd += mss; // each duplicate means a segment has left the network
        } else if (cc.dupAcks == DUPACK_THRESHOLD) {
            cc.ssthresh = Math.max(Seq.distance(c.sndUna, c.sndMax) / 2, 2L * mss);
            cc.recover = c.sndMax;
            cc.recovering = true;
            Output.retransmitOldest(c);
            cc.cwnd = cc.ssthresh + 3L * mss;
        }
    }

    /** RFC 5681 §3.1: after a timeout, one segment at a time until ssthresh. */
    static void timeout(Connection c) {
        Congestion cc = c.cc;
        cc.ssthresh = Math.max(Seq.distance(c.sndUna, c.sndMax) / 2, 2L * c.sndMss);
        cc.cwnd = c.sndMss;
        cc.dupAcks = 0;
        cc.recovering = false;
    }
}
