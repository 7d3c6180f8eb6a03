package io.jtcp.tcp;

import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpOptions;

/**
 * The client half of TCP Fast Open (RFC 7413 §4.1) inside a connection, as Linux 6.x
 * does it: what the first SYN carries (tcp_send_syn_data), and what the SYN-ACK
 * teaches (tcp_rcv_fastopen_synack). The cookies themselves live in the host's cache.
 *
 * <p>Only the first SYN carries the option and the data; a retransmitted SYN is a plain
 * one (Linux clears the request's cookie once the SYN is out), and data the SYN-ACK does
 * not acknowledge is sent again as soon as the handshake completes.
 */
final class FastOpenClient {
    private FastOpenClient() {}

    /** Linux's MAX_TCP_OPTION_SPACE: SYN data leaves room for any options a middlebox might add. */
    static final int MAX_OPTION_SPACE = 40;
    private static final byte[] REQUEST = new byte[0];

    /**
     * Sets up the first SYN before it is sent: with a cookie (or when none is needed)
     * as much of {@code data} as fits the SYN goes to the send buffer; without one the
     * SYN asks for a cookie and carries nothing. Returns the bytes taken.
     */
    static int prepareSyn(Connection c, FastOpenOffer offer, byte[] data, int offset, int length) {
        c.synFoExp = offer.exp();
        if (!offer.carriesData()) {
            c.synFoCookie = REQUEST;
            return 0;
        }
        c.synFoCookie = offer.withoutCookie() ? null : offer.cookie();
        int n = c.sendBuf.write(data, offset, Math.min(length, synDataSpace(c, offer.cachedMss())));
        c.synDataLength = n;
        return n;
    }

    /**
     * tcp_send_syn_data's room: the MSS the destination last announced (our own when
     * unknown), bounded by the path MTU and TCP_MAXSEG, less the full option space.
     */
    private static int synDataSpace(Connection c, int cachedMss) {
        int clamp = cachedMss > 0 ? cachedMss : c.agreed.advertisedMss;
        if (c.opts.maxSeg > 0) clamp = Math.min(clamp, c.opts.maxSeg);
        return Math.max(0, Math.min(c.cfg.mss(c.localAddr.isV6()), clamp) - MAX_OPTION_SPACE);
    }

    /** Bytes the SYN about to be sent carries: the prepared data on the first SYN, none on a retransmission. */
    static int synData(Connection c) {
        return c.state == State.SYN_SENT && c.sndMax == c.iss ? c.synDataLength : 0;
    }

    /** The Fast Open option of our first SYN (tcp_syn_options); a retransmitted SYN has none. */
    static void synOption(Connection c, Segment s) {
        if (c.synFoCookie == null || c.sndMax != c.iss) return;
        s.fastOpen(c.synFoCookie, c.synFoExp);
        c.synFastOpen = true;
    }

    /**
     * tcp_rcv_fastopen_synack, after the SYN-ACK's acknowledgment was processed: tells
     * the host what to cache, and when data that rode on the SYN was not all
     * acknowledged, sends it again at once (Linux marks it lost and retransmits it).
     */
    static void synAckArrived(Connection c, Segment synAck) {
        if (!c.synFastOpen && c.synDataLength == 0) return;
        boolean dataLeft = c.synDataLength > 0 && c.sndUna != c.sndMax;
        int cookieLength = c.synFastOpen ? cookieLength(synAck) : -1; // an unsolicited cookie is ignored
        boolean synLoss = false;
        int tryExp = 0;
        if (c.synFastOpen && c.retransmittedSegments > 0) {
            // The SYN timed out: if the SYN-ACK has no cookie and misses the data, the peer saw only a plain SYN.
            synLoss = cookieLength < 0 && dataLeft;
        } else if (c.synFastOpen && cookieLength < 0 && c.synDataLength == 0) {
            // A request went unanswered: try the other option form next time.
            tryExp = c.synFoExp ? 2 : 1;
        }
        byte[] cookie = cookieLength > 0 ? synAck.fastOpenCookieBytes() : null;
        FastOpenSynAck.Outcome outcome = dataLeft ? FastOpenSynAck.Outcome.DATA_RESENT
                : c.synDataLength > 0 ? FastOpenSynAck.Outcome.DATA_ACKED : FastOpenSynAck.Outcome.NO_DATA;
        c.events.fastOpenSynAck(c, new FastOpenSynAck(Math.max(synAck.mss, 0), cookie, synAck.fastOpenExp, synLoss, tryExp, outcome));
        if (dataLeft) {
            c.resendFromUna(); // the push that follows resends the rest, carrying the handshake's ACK
        } else {
            c.synData = c.synDataLength > 0;
        }
    }

    /** tcp_parse_fastopen_option: an even length of 4 to 16 is a cookie, 0 a request, anything else none. */
    private static int cookieLength(Segment s) {
        int n = s.fastOpenLength;
        if (n < 0 || (n & 1) != 0) return -1;
        return n == 0 || n >= TcpOptions.FASTOPEN_COOKIE_MIN && n <= TcpOptions.FASTOPEN_COOKIE_MAX ? n : -1;
    }
}
