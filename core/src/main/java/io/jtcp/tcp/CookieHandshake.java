package io.jtcp.tcp;

import io.jtcp.wire.IpAddress;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;

/**
 * The engine's half of SYN cookies (RFC 4987 §3.6, Linux's net/ipv4/syncookies.c):
 * a SYN-ACK built without any TCB, and the options the returning ACK lets us
 * recover. The host owns the cookie itself (a keyed hash in the ISS); this class
 * owns what is TCP: the SYN-ACK follows exactly the conventions of
 * {@link Output} for a passive open (our MSS, our window scale, SACK-permitted
 * and timestamps only when the SYN offered them, an unscaled window), except that
 * without timestamps it offers the MSS alone, and the
 * options that the ISS has no room for travel in the low bits of our TSval, as
 * Linux's {@code cookie_init_timestamp} does, so a cookie connection loses
 * nothing when the peer does timestamps.
 *
 * <p>TSval layout (low {@value #TS_BITS} bits): bits 0–3 the peer's window scale
 * ({@code 0xF}: none), bit 4 SACK-permitted, bit 5 ECN. Without timestamps only
 * the MSS survives (from the cookie), as in Linux.
 */
public final class CookieHandshake {
    private CookieHandshake() {}

    /** Linux's TSBITS: the TSval bits that carry options. */
    static final int TS_BITS = 6;
    static final int TS_OPT_WSCALE_MASK = 0xF;
    static final int TS_OPT_SACK = 1 << 4;
    static final int TS_OPT_ECN = 1 << 5;

    /**
     * What the SYN offered, as far as a cookie remembers it: the peer's MSS (the
     * cookie's table value), its window scale (-1: none), SACK-permitted,
     * timestamps and ECN (whether our SYN-ACK agreed to it, {@link Ecn#synArrived}'s rule).
     */
    public record Terms(int mss, int windowScale, boolean sackPermitted, boolean timestamps, boolean ecn) {}

    /**
     * Fills {@code reply} with the SYN-ACK a listener with {@code opts} answers
     * {@code syn} with, ISS = {@code iss} (the cookie), without creating a TCB.
     * {@code tsOffset} is the connection's timestamp offset (the host derives it
     * from the 4-tuple, so the connection rebuilt later has the same clock).
     */
    public static void synAck(Sysctls cfg, SocketOptions opts, Segment syn, int iss, int tsOffset, long now, Segment reply) {
        boolean tsOk = cfg.tcpTimestamps() && syn.hasTimestamps;
        // Only the timestamp can carry window scale and SACK-permitted through the cookie: without it
        // the SYN-ACK offers neither, so both sides agree the connection has none (Linux's
        // tcp_conn_request clears the SYN's options when it sends a cookie to a SYN without TSopt).
        boolean wscaleOk = tsOk && cfg.tcpWindowScaling() && syn.windowScale >= 0;
        boolean sackOk = tsOk && cfg.tcpSack() && syn.sackPermitted;
        IpAddress src = syn.srcAddr, dst = syn.dstAddr;
        int srcPort = syn.srcPort, dstPort = syn.dstPort;
        int seq = syn.seq, tsVal = syn.tsVal, peerWscale = syn.windowScale;
        // As for a SYN queue entry; Linux sends ECE even when no timestamp can carry the
        // agreement, and the rebuilt connection then goes without ECN.
        boolean ecnOk = Ecn.acceptsSetup(cfg, syn);
        reply.clear();
        reply.srcAddr = dst;
        reply.dstAddr = src;
        reply.srcPort = dstPort;
        reply.dstPort = srcPort;
        reply.seq = iss;
        reply.ack = seq + 1;
        reply.flags = TcpFlags.SYN | TcpFlags.ACK | (ecnOk ? TcpFlags.ECE : 0);
        // As Output.advertise for a SYN-ACK of a fresh TCB: the buffer's room, at most what a SYN can say.
        reply.window = initialWindow(cfg, opts, tsOk, reply.isV6());
        reply.mss = Connection.advertisedMss(cfg, opts, reply.isV6());
        if (wscaleOk) reply.windowScale = ReceiveSpace.initialWscale(cfg, opts);
        reply.sackPermitted = sackOk;
        if (tsOk) {
            int options = (wscaleOk ? Math.min(peerWscale, Tcp.MAX_WINDOW_SCALE) : TS_OPT_WSCALE_MASK)
                    | (sackOk ? TS_OPT_SACK : 0) | (ecnOk ? TS_OPT_ECN : 0);
            reply.hasTimestamps = true;
            reply.tsVal = encodeTsVal((int) (now / 1_000_000L) + tsOffset, options);
            reply.tsEcr = tsVal;
        }
    }

    /**
     * Linux's cookie_init_timestamp: our clock with its low bits replaced by the
     * options, moved back one step if that would put it in the future (a TSval must
     * never run ahead of the clock the connection will use afterwards).
     */
    static int encodeTsVal(int tsNow, int options) {
        int mask = (1 << TS_BITS) - 1;
        int ts = (tsNow & ~mask) | (options & mask);
        if ((options & mask) > (tsNow & mask)) ts -= 1 << TS_BITS;
        return ts;
    }

    /**
     * The options the ACK's echoed timestamp carries (Linux's cookie_timestamp_decode),
     * with the cookie's MSS. Null when the bits ask for something our sysctls no longer
     * allow: the ACK then gets no connection, as in Linux.
     */
    public static Terms termsFromAck(Sysctls cfg, Segment ack, int mss) {
        if (!ack.hasTimestamps) return new Terms(mss, -1, false, false, false);
        if (!cfg.tcpTimestamps()) return null;
        int options = ack.tsEcr;
        boolean sack = (options & TS_OPT_SACK) != 0;
        if (sack && !cfg.tcpSack()) return null;
        boolean ecn = (options & TS_OPT_ECN) != 0;
        int wscale = options & TS_OPT_WSCALE_MASK;
        if (wscale == TS_OPT_WSCALE_MASK) return new Terms(mss, -1, sack, true, ecn);
        if (!cfg.tcpWindowScaling() || wscale > Tcp.MAX_WINDOW_SCALE) return null;
        return new Terms(mss, wscale, sack, true, ecn);
    }

    /** The window field of a passive open's SYN-ACK: the initial window Options.negotiate gives the rebuilt TCB, as a SYN can carry it. */
    static int initialWindow(Sysctls cfg, SocketOptions opts, boolean timestamps, boolean v6) {
        int mss = Connection.advertisedMss(cfg, opts, v6) - (timestamps ? Tcp.TIMESTAMP_OPTION_BYTES : 0);
        return Math.min(ReceiveSpace.initialWindow(cfg, opts, mss), 0xFFFF);
    }
}
