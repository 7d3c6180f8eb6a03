package io.jtcp.tcp;

/**
 * The rules of the send sequence space of RFC 9293 §3.3.1, whose numbers every arriving
 * ACK and every segment sent is measured against. The numbers are {@link Connection}'s
 * fields ({@code sndUna}, {@code sndNxt}, {@code sndMax}, {@code sndWnd}, ...), as
 * Linux's live in struct tcp_sock: an object of their own cost each connection a header
 * and a reference (docs/architecture.md, "An idle connection's memory").
 *
 * <p>Once our SYN is acknowledged {@code sndNxt} only moves forward, as Linux's snd_nxt:
 * retransmissions come from the scoreboard. During the handshake a timeout winds it back
 * to {@code sndUna} to send the SYN again ({@link Connection#resendFromUna}), so
 * {@code sndMax} remembers the highest sequence number ever sent and plays the RFC's
 * SND.NXT in every acceptability test.
 */
final class SendSequence {
    private SendSequence() {}

    /** The right edge of the peer's window, SND.UNA + SND.WND. */
    static int windowEnd(Connection c) {
        return c.sndUna + (int) Math.min(c.sndWnd, Integer.MAX_VALUE);
    }

    /** A new incarnation: no window heard yet, our SYN not acknowledged. */
    static void reset(Connection c) {
        c.synAcked = false;
        c.sndWnd = c.sndMaxWnd = 0;
        c.sndWl1 = 0;
    }
}
