package io.jtcp.tcp;

import io.jtcp.wire.Segment;
import io.jtcp.wire.Seq;

/**
 * What a connection counts for TCP_INFO, each under the tcp_sock field Linux keeps
 * it in and counted where Linux counts it (tcp_transmit_skb, tcp_segs_in,
 * tcp_snd_una_update, tcp_rcv_nxt_update, tcp_update_rto_stats). Times are
 * nanoseconds of the connection's clock.
 */
final class TcpStats {
    // The segment counters are 32 bits and wrap, as tcp_sock's u32 fields and TCP_INFO's
    // do (read them with Integer.toUnsignedLong); the byte counters are 64 bits, as Linux's.
    /** Segments sent, pure ACKs and resets of this connection included (segs_out). */
    int segsOut;
    /** Segments that arrived for this connection, accepted or not (segs_in). */
    int segsIn;
    /** Segments sent or received with payload (data_segs_out, data_segs_in). */
    int dataSegsOut, dataSegsIn;
    /** Payload bytes sent, retransmissions included, and those retransmitted (bytes_sent, bytes_retrans). */
    long bytesSent, bytesRetrans;
    /** SND.UNA's and RCV.NXT's advance after the handshake's own numbers (bytes_acked, bytes_received). */
    long bytesAcked, bytesReceived;
    /** When data was last sent, data last received, an ACK last accepted (lsndtime, lrcvtime, rcv_tstamp). */
    long lastDataReceivedAt, lastAckReceivedAt;
    /** The largest payload received, bounded by what we announced: Linux's estimate of the peer's MSS (rcv_mss). */
    int rcvMss;
    /** Retransmission timeouts and the time spent in them (total_rto...): null until the first, so most connections carry none. */
    private RtoEpisodes rto;
    /** Segments the peer has acknowledged whole, the SYN included (delivered); counted as ACKs free them. */
    int delivered;
    /**
     * Where the segments not yet acknowledged end: what an ACK covers whole counts into
     * {@link #delivered}. Made by the first segment sent (the SYN) and dropped when the
     * handshake's ACK leaves it empty, so an idle connection carries none; data keeps it,
     * since dropping it after every burst would allocate one per round trip.
     */
    private SegmentEnds unackedEnds;
    /** busy_time and rwnd_limited: null until the first data waits to be sent, so an idle connection carries none. */
    private SendChrono chrono;

    /** A new incarnation starts its clocks now, as Linux stamps them when a socket is set up. */
    void reset(long now, int rcvMssHint) {
        segsOut = segsIn = dataSegsOut = dataSegsIn = 0;
        bytesSent = bytesRetrans = bytesAcked = bytesReceived = 0;
        rto = null;
        delivered = 0;
        unackedEnds = null;
        chrono = null;
        lastDataReceivedAt = lastAckReceivedAt = now;
        rcvMss = rcvMssHint;
    }

    /** tcp_chrono_start: the chronographs come into being with the first data that waits. */
    void chronoStart(int type, long now) {
        if (chrono == null) chrono = new SendChrono();
        chrono.start(type, now);
    }

    /** tcp_chrono_stop: with no chronograph yet, none runs and nothing stops. */
    void chronoStop(int type, boolean queuesEmpty, long now) {
        if (chrono != null) chrono.stop(type, queuesEmpty, now);
    }

    /** The time chrono {@code type} has run ({@link SendChrono#time}); 0 before any data waited. */
    long chronoTime(int type, long now) {
        return chrono == null ? 0 : chrono.time(type, now);
    }

    /** TCP_INFO's busy_time ({@link SendChrono#busyTime}). */
    long busyTime(long now) {
        return chrono == null ? 0 : chrono.busyTime(now);
    }

    void sent(int payload, boolean retransmission, long now) {
        segsOut++;
        if (payload == 0) return;
        dataSegsOut++;
        bytesSent += payload;
        if (retransmission) bytesRetrans += payload;
    }

    /**
     * After {@code seg} was processed: {@code una} and {@code nxt} are SND.UNA and RCV.NXT
     * from before. The handshake's SYNs are not counted where Linux sets the numbers
     * directly rather than advancing them: RCV.NXT from a SYN, SND.UNA of a passive open
     * (tcp_create_openreq_child); the active side counts the ACK of its SYN (tcp_ack).
     */
    void arrived(Connection c, Segment seg, State before, int una, int nxt, int advertisedMss) {
        segsIn++;
        if (seg.payloadLength > 0) {
            dataSegsIn++;
            rcvMss = Math.max(rcvMss, Math.min(seg.payloadLength, advertisedMss));
        }
        if (!c.state.isSynchronized() && c.state != State.SYN_RECEIVED) return;
        if ((before.isSynchronized() || before == State.SYN_RECEIVED) && Seq.gt(c.rcvNxt, nxt)) {
            bytesReceived += Seq.distance(nxt, c.rcvNxt);
            if (seg.payloadLength > 0) lastDataReceivedAt = c.now;
        }
        if ((before.isSynchronized() || before == State.SYN_SENT) && Seq.gt(c.sndUna, una)) {
            bytesAcked += Seq.distance(una, c.sndUna);
        }
    }

    /** A segment [seq, end) left for the first time: a SYN is its own segment even with data behind it. */
    void firstSent(int seq, int end, boolean syn) {
        if (unackedEnds == null) unackedEnds = new SegmentEnds();
        if (syn) unackedEnds.add(seq + 1);
        if (!syn || end != seq + 1) unackedEnds.add(end);
    }

    /**
     * SND.UNA advanced (tcp_clean_rtx_queue): the segments it covers whole are delivered,
     * and the chronos stop if nothing is left to send or to be acknowledged.
     */
    void acknowledged(Connection c) {
        if (unackedEnds != null) {
            delivered += unackedEnds.ackedThrough(c.sndUna);
            if (!c.synAcked && unackedEnds.isEmpty()) unackedEnds = null; // the handshake's ACK: the SYN was all it held
        }
        chronoStop(SendChrono.BUSY, queuesEmpty(c), c.now);
    }

    /** Linux's tcp_rtx_and_write_queues_empty: no data and no FIN queued that the peer has not acknowledged. */
    static boolean queuesEmpty(Connection c) {
        return c.sendBuf.size() == 0 && (!c.finQueued || io.jtcp.wire.Seq.gt(c.sndUna, c.finSeq));
    }

    /** tcp_update_rto_stats: a timeout, the first of an episode starting its clock. */
    void timedOut(long now) {
        if (rto == null) rto = new RtoEpisodes();
        rto.timedOut(now);
    }

    /** Progress ended an episode of timeouts (tcp_update_rto_time). */
    void recovered(long now) {
        if (rto != null) rto.recovered(now);
    }

    /** TCP_INFO's total_rto and total_rto_recoveries. */
    int totalRto() { return rto == null ? 0 : rto.timeouts; }

    int totalRtoRecoveries() { return rto == null ? 0 : rto.episodes; }

    /** The time spent in timeouts, the running episode included. */
    long rtoTime(long now) {
        return rto == null ? 0 : rto.time(now);
    }
}
