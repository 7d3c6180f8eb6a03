package io.jtcp.tcp;

/**
 * The send sequence space of RFC 9293 §3.3.1, one owner for the numbers every arriving
 * ACK and every segment sent is measured against (Linux's snd_una, snd_nxt, snd_wnd,
 * snd_wl1, max_window in struct tcp_sock).
 *
 * <p>Once our SYN is acknowledged {@link #nxt} only moves forward, as Linux's snd_nxt:
 * retransmissions come from the scoreboard. During the handshake a timeout winds it back
 * to {@link #una} to send the SYN again ({@link Connection#resendFromUna}), so {@link #max}
 * remembers the highest sequence number ever sent and plays the RFC's SND.NXT in every
 * acceptability test.
 */
final class SendSequence {
    /** ISS: our initial send sequence number (§3.4.1). */
    int iss;
    /** SND.UNA, SND.NXT, and the highest sequence number sent (BSD's snd_max). */
    int una, nxt, max;
    /** SEG.SEQ of the segment that last set SND.WND (SND.WL1; like Linux, no SND.WL2 is kept). */
    int wl1;
    /** SND.WND in bytes, already scaled, and the largest the peer ever offered (Linux's max_window). */
    long wnd, maxWnd;
    /**
     * SND.UNA has moved past our SYN: the handshake's half that is ours is done. Remembered,
     * not derived: {@code Seq.gt(una, iss)} stops being true once 2^31 bytes have been
     * acknowledged (sequence numbers compare modulo 2^32), which once stalled every
     * transfer at 2 GiB.
     */
    boolean synAcked;

    /** The right edge of the peer's window, SND.UNA + SND.WND. */
    int windowEnd() {
        return una + (int) Math.min(wnd, Integer.MAX_VALUE);
    }

    /** A new incarnation: no window heard yet, our SYN not acknowledged. */
    void reset() {
        synAcked = false;
        wnd = maxWnd = 0;
        wl1 = 0;
    }
}
