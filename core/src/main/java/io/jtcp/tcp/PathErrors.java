package io.jtcp.tcp;

import io.jtcp.api.Errno;
import io.jtcp.wire.Seq;

/**
 * What an ICMP error about one of this connection's segments does to it, as Linux's
 * tcp_v4_err and tcp_v6_err decide (RFC 1122 §4.2.3.9, RFC 5927 §4.1):
 *
 * <ul>
 *   <li>the quoted sequence number must lie in [SND.UNA, SND.NXT], or the message is a
 *       blind attack or stale, and is ignored (TCPOutOfWindowIcmps);
 *   <li>in SYN_SENT every error ends the attempt with its errno (the connect fails at
 *       once: ECONNREFUSED, EHOSTUNREACH, ENETUNREACH...); a passive open in SYN_RECEIVED
 *       is dropped, silently, for a fatal one only (tcp_req_err);
 *   <li>in the synchronized states an error is soft: remembered (sk_err_soft), and it
 *       is what the application sees if the connection later times out, instead of
 *       ETIMEDOUT; an ACK of new data forgets it;
 *   <li>"fragmentation needed" / "packet too big" lower the path MTU: the MSS shrinks and
 *       what is outstanding goes again in smaller segments (tcp_v4_mtu_reduced,
 *       tcp_simple_retransmit), without treating it as congestion.
 * </ul>
 */
final class PathErrors {
    private PathErrors() {}

    /** Whether {@code seq} (the quoted segment's sequence number) is one this connection has sent and not had acknowledged. */
    static boolean inWindow(Connection c, int seq) {
        return c.state != State.LISTEN && !Seq.lt(seq, c.sndUna) && !Seq.gt(seq, c.sndNxt);
    }

    static void error(Connection c, Errno errno, boolean fatal) {
        switch (c.state) {
            case SYN_SENT -> c.fail(errno, Cause.ICMP_ERROR);
            case SYN_RECEIVED -> {
                if (!c.passive) c.fail(errno, Cause.ICMP_ERROR);
                else if (fatal) {
                    // inet_csk_reqsk_queue_drop: the request is forgotten, no segment sent.
                    c.orphan = true;
                    c.setState(State.CLOSED, Cause.ICMP_ERROR);
                }
            }
            case CLOSED, LISTEN, TIME_WAIT -> { }
            default -> c.softError = errno;
        }
    }

    /**
     * A smaller path MTU: the MSS for it is the MTU less the IP and TCP headers and the
     * options every segment carries, never above what the peer accepts, never below
     * Linux's floor of 48 bytes of payload (tcp_sync_mss, tcp_mtu_to_mss).
     */
    static void mtuReduced(Connection c, int pathMtu) {
        if (pathMtu >= c.agreed.pathMtu) return;
        c.agreed.pathMtu = pathMtu;
        if (!c.state.isSynchronized() && c.state != State.SYN_RECEIVED || c.state == State.TIME_WAIT) return;
        int mss = Math.max(Tcp.MIN_SND_MSS, mssFor(c, pathMtu));
        if (mss >= c.agreed.sndMss) return;
        c.agreed.sndMss = mss;
        // tcp_simple_retransmit: what was cut for the old size is lost; send it again now, in smaller pieces.
        if (c.ourSynAcked() && !c.board.isEmpty()) c.recovery.mtuReduced();
        else if (Seq.gt(c.sndNxt, c.sndUna)) c.resendFromUna();
    }

    /** The MSS a path MTU allows for this connection's segments, before the peer's limit. */
    static int mssFor(Connection c, int pathMtu) {
        int headers = (c.localAddr.isV6() ? 40 : 20) + 20 + (c.agreed.tsOk ? Tcp.TIMESTAMP_OPTION_BYTES : 0);
        return Math.min(pathMtu - headers, c.agreed.peerMss - (c.agreed.tsOk ? Tcp.TIMESTAMP_OPTION_BYTES : 0));
    }
}
