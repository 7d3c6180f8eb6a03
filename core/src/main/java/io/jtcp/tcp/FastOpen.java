package io.jtcp.tcp;

import io.jtcp.wire.Segment;

/**
 * TCP Fast Open (RFC 7413) inside a connection: what a passive child does with the data
 * its SYN carried, when it may send before the handshake completes, and the cookie
 * option of its SYN-ACK. Which SYNs get a child, and the cookies themselves, are the
 * listener's business (io.jtcp.host.FastOpenServer).
 */
final class FastOpen {
    private FastOpen() {}

    /**
     * The SYN's data goes to the receive queue, so the SYN-ACK acknowledges it and accept()
     * finds it readable (RFC 7413 §4.2.2; Linux's tcp_fastopen_add_skb). A FIN on the SYN
     * is taken too, as tcp_fastopen_add_skb does.
     */
    static void takeSynData(Connection c, Segment syn) {
        int len = (int) Math.min(syn.payloadLength, c.recvBuf.window());
        if (len > 0) {
            c.recvBuf.insert(0, syn.payload, syn.payloadOffset, len);
            c.rcvNxt += len;
            c.notice(Connection.NOTICE_READABLE);
        }
        c.synData = syn.payloadLength > 0;
        if (syn.fin() && len == syn.payloadLength) {
            c.peerFinSeen = true;
            c.peerFinSeq = c.rcvNxt;
            c.rcvNxt += 1;
        }
        c.rcvEdge = c.rcvNxt + (int) c.rcvSsthresh;
    }

    /** A Fast Open child may send once its SYN-ACK is out, before that is acknowledged (Linux's tcp_passive_fastopen in tcp_sendmsg). */
    static boolean maySendBeforeAck(Connection c) {
        return c.fastOpenChild && c.state == State.SYN_RECEIVED && c.sndNxt != c.iss;
    }

    /** Our first SYN-ACK carries the cookie the listener chose; a retransmitted one does not (tcp_rtx_synack passes none). */
    static void synOption(Connection c, Segment s) {
        if (c.state == State.SYN_SENT) {
            FastOpenClient.synOption(c, s);
            return;
        }
        if (c.synAckCookie == null || c.state != State.SYN_RECEIVED) return;
        s.fastOpen(c.synAckCookie, c.synAckCookieExp);
        c.synAckCookie = null;
    }
}
