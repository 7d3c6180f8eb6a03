package io.jtcp.host;

import io.jtcp.wire.IpAddress;

/**
 * SYN cookies (RFC 4987 §3.6), shaped like Linux's net/ipv4/syncookies.c: when a
 * listener chooses a cookie it keeps no state at all for the SYN; the ISS of its
 * SYN-ACK is the cookie, and the ACK that returns ({@code SEG.ACK - 1}) proves
 * that the peer saw it and lets the listener rebuild the connection.
 *
 * <pre>
 *   cookie = H0(4-tuple) + SEG.SEQ(SYN) + (count &lt;&lt; 24) + ((H1(4-tuple, count) + mssIndex) mod 2^24)
 * </pre>
 * {@code H0} and {@code H1} are SipHash-2-4 under the stack's secret keys,
 * {@code count} is a coarse clock of {@value #SLOT_SECONDS} s slots (Linux: one
 * minute, {@code tcp_cookie_time}), kept in the top 8 bits, and a cookie is good
 * for {@value #MAX_AGE_SLOTS} slots (Linux's MAX_SYNCOOKIE_AGE). The 3-bit
 * {@code mssIndex} picks the largest value of {@link #MSS_TABLE} not above the
 * peer's MSS (Linux's msstab, here with eight entries rather than four). An
 * attacker who does not know the keys passes the check with probability about
 * 8 / 2^24 per guess.
 *
 * <p>Window scale, SACK-permitted and ECN do not fit here; they ride in the low
 * bits of our TSval ({@link io.jtcp.tcp.CookieHandshake}).
 */
final class SynCookies {
    static final int SLOT_SECONDS = 64;
    static final long SLOT_NANOS = SLOT_SECONDS * 1_000_000_000L;
    static final int MAX_AGE_SLOTS = 2;
    /** Common MSS values, ascending: 536 (no option, RFC 9293 §3.7.1) up to a 9000-byte jumbo frame's. */
    static final int[] MSS_TABLE = {536, 1200, 1300, 1400, 1440, 1452, 1460, 8960};
    private static final int COOKIE_BITS = 24;
    private static final int COOKIE_MASK = (1 << COOKIE_BITS) - 1;

    private final SipHash h0, h1;

    SynCookies(SipHash h0, SipHash h1) {
        this.h0 = h0;
        this.h1 = h1;
    }

    /** Linux's cookie_v4_init_sequence's choice: the largest table MSS not above the peer's (index 0 if none is). */
    static int mssIndex(int peerMss) {
        int i = MSS_TABLE.length - 1;
        while (i > 0 && MSS_TABLE[i] > peerMss) i--;
        return i;
    }

    /** The coarse clock: slots since time zero of whatever clock drives the stack. */
    static int count(long now) {
        return (int) Math.floorDiv(now, SLOT_NANOS);
    }

    /** The cookie for a SYN from remote to local with sequence number {@code synSeq}, sent at {@code now}. */
    int make(IpAddress localAddr, int localPort, IpAddress remoteAddr, int remotePort, int synSeq, int mssIndex, long now) {
        int count = count(now);
        long w1 = words1(localPort, remotePort);
        return (int) h0.hash(localAddr, remoteAddr, w1) + synSeq + (count << COOKIE_BITS)
                + (((int) h1.hash(localAddr, remoteAddr, w1 | (long) count << 32) + mssIndex) & COOKIE_MASK);
    }

    /**
     * Linux's check_tcp_syn_cookie: the MSS table index {@code cookie} encodes for this
     * 4-tuple and SYN sequence number, or -1 if it is not one of ours, or older than
     * {@value #MAX_AGE_SLOTS} slots.
     */
    int check(int cookie, IpAddress localAddr, int localPort, IpAddress remoteAddr, int remotePort, int synSeq, long now) {
        int count = count(now);
        long w1 = words1(localPort, remotePort);
        int rest = cookie - ((int) h0.hash(localAddr, remoteAddr, w1) + synSeq);
        int age = (count - (rest >>> COOKIE_BITS)) & (-1 >>> COOKIE_BITS);
        if (age >= MAX_AGE_SLOTS) return -1;
        int made = count - age;
        int data = (rest - (int) h1.hash(localAddr, remoteAddr, w1 | (long) made << 32)) & COOKIE_MASK;
        return data < MSS_TABLE.length ? data : -1;
    }

    private static long words1(int localPort, int remotePort) {
        return (long) localPort << 16 | remotePort;
    }
}
