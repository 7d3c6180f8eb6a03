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
            cc.cwnd += Math.min(acked, mss);
        } else {
            cc.cwnd += Math.max(1, (long) mss * mss / cc.cwnd);
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
