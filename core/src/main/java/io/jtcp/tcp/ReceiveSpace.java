package io.jtcp.tcp;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.Seq;

/**
 * How big the receive buffer and the window we offer are, as Linux decides it:
 * the initial window and window scale (tcp_select_initial_window), the clamp set
 * once the connection is established (tcp_init_buffer_space), the per-segment
 * growth of rcv_ssthresh (tcp_grow_window) and receive-buffer autotuning
 * (dynamic right-sizing, tcp_rcv_space_adjust). Under memory pressure ({@link TcpMemory})
 * the window stops growing, as tcp_grow_window does; the buffer's size may still grow, as
 * tcp_rcvbuf_grow checks no pressure, but memory for it is taken only as data arrives.
 *
 * <p>Sizes come in two units. A buffer size (sk_rcvbuf, SO_RCVBUF, tcp_rmem) counts
 * the memory Linux charges, payload plus bookkeeping; a window counts payload.
 * {@link #winFromSpace} turns one into the other. Linux 6.x starts every socket at
 * a 50% ratio (TCP_DEFAULT_SCALING_RATIO) and then refines it from the skb overhead
 * it sees; jtcp has no skbs and keeps the starting ratio. Linux 6.6 stopped reading
 * tcp_adv_win_scale ("tcp: get rid of sysctl_tcp_adv_win_scale"); jtcp still takes
 * the ratio from it, and its default 1 is exactly that 50%, so only a changed value
 * departs from Linux (packetdrill scripts' settings of it are ignored, as 6.x does).
 * The {@link ReceiveBuffer} holds payload, so its capacity is
 * {@code winFromSpace(sk_rcvbuf)}.
 */
final class ReceiveSpace {
    private ReceiveSpace() {}

    /** Linux's TCP_INIT_CWND: the first DRS measurement assumes the peer sends ten segments per RTT. */
    private static final int INIT_CWND = 10;

    /** tcp_win_from_space: the payload a buffer of {@code space} bytes may hold. */
    static long winFromSpace(Sysctls cfg, long space) {
        int scale = cfg.tcpAdvWinScale();
        return scale <= 0 ? space >> -scale : space - (space >> scale);
    }

    /** tcp_space_from_win: the buffer size that holds a window of {@code win} bytes. */
    static long spaceFromWin(Sysctls cfg, long win) {
        int scale = cfg.tcpAdvWinScale();
        return scale <= 0 ? win << -scale : (win << scale) / ((1L << scale) - 1);
    }

    /** The payload capacity of a receive buffer of {@code rcvBuf} bytes (Linux's tcp_full_space). */
    static int capacity(Sysctls cfg, SocketOptions opts) {
        return (int) winFromSpace(cfg, opts.rcvBuf);
    }

    /** The window clamp before any option is settled: the buffer's own size once SO_RCVBUF locked it, else the largest window. */
    private static long clampAtOpen(Sysctls cfg, SocketOptions opts) {
        return opts.rcvBufLocked ? capacity(cfg, opts) : (long) 0xFFFF << Tcp.MAX_WINDOW_SCALE;
    }

    /**
     * The window our SYN or SYN-ACK offers (tcp_select_initial_window's rcv_wnd): the
     * buffer's payload capacity rounded down to whole segments of {@code mss}, the MSS
     * less the timestamp option when it is in use (a SYN-ACK; a client's SYN counts the
     * full MSS, as Linux's tcp_connect_init does). Linux 6.x with the defaults and MSS
     * 1460: 64240 on a SYN, 65160 on a SYN-ACK with timestamps.
     */
    static int initialWindow(Sysctls cfg, SocketOptions opts, int mss) {
        long space = Math.min(clampAtOpen(cfg, opts), capacity(cfg, opts));
        if (space > mss) space = space / mss * mss;
        return (int) space;
    }

    /**
     * The window scale we offer (RFC 7323 §2.2; tcp_select_initial_window): enough for the
     * largest buffer autotuning or SO_RCVBUF could reach, max(tcp_rmem[2], rmem_max), or
     * for the locked buffer. Linux's ilog2(space) - 15: 32 MiB gives 10.
     */
    static int initialWscale(Sysctls cfg, SocketOptions opts) {
        if (!cfg.tcpWindowScaling()) return 0;
        long space = Math.max(capacity(cfg, opts), Math.max(cfg.tcpRmem().max(), cfg.rmemMax()));
        space = Math.min(space, clampAtOpen(cfg, opts));
        int log2 = 63 - Long.numberOfLeadingZeros(Math.max(space, 1));
        return Math.clamp(log2 - 15, 0, Tcp.MAX_WINDOW_SCALE);
    }

    /**
     * The options are settled: the window the SYN exchange offered becomes rcv_ssthresh,
     * and the clamp is what the window field can express (tcp_openreq_init_rwin, or
     * tcp_rcv_synsent_state_process when the peer refused window scaling).
     */
    static void synExchanged(Connection c, int initialWindow) {
        c.rcvSsthresh = initialWindow;
        c.windowClamp = Math.min(clampAtOpen(c.cfg, c.opts), 0xFFFFL << c.agreed.rcvWscale);
    }

    /**
     * tcp_init_buffer_space, on reaching ESTABLISHED: the clamp comes down to the buffer's
     * capacity less the share tcp_app_win keeps for the application, and one segment is
     * always held back; rcv_ssthresh stays under it, and autotuning starts measuring.
     */
    static void established(Connection c) {
        long maxWin = capacity(c.cfg, c.opts);
        int appWin = c.cfg.tcpAppWin();
        int advMss = c.agreed.advertisedMss;
        long clamp = c.windowClamp;
        if (clamp >= maxWin) {
            clamp = maxWin;
            if (appWin > 0 && maxWin > 4L * advMss) clamp = Math.max(maxWin - (maxWin >> appWin), 4L * advMss);
        }
        if (appWin > 0 && clamp > 2L * advMss && clamp + advMss > maxWin) clamp = Math.max(2L * advMss, maxWin - advMss);
        c.windowClamp = clamp;
        c.rcvSsthresh = Math.min(c.rcvSsthresh, clamp);
        c.rcvqSpace = Math.min(Math.min(c.rcvSsthresh, c.rcvWnd()), (long) INIT_CWND * advMss);
        c.rcvqSeq = copiedSeq(c);
        c.rcvqTime = c.now;
    }

    /**
     * tcp_event_data_recv → tcp_grow_window: each in-order segment of at least 128 bytes
     * lets the offered window grow by two segments (or twice its length), up to the clamp
     * and the buffer's free room; a window that grew is announced soon, as the growth also
     * asks for one quick ACK (icsk_ack.quick |= 1).
     */
    static void segmentReceived(Connection c, int len) {
        if (len < 128 || underMemoryPressure(c)) return;
        long room = Math.min(c.windowClamp, c.recvBuf.window()) - c.rcvSsthresh;
        if (room <= 0) return;
        c.rcvSsthresh += Math.min(room, Math.max(2L * c.agreed.advertisedMss, 2L * len));
        c.ackQuick = Math.max(c.ackQuick, 1);
    }

    /**
     * tcp_rcv_space_adjust, after the application read: once per round trip, measure what
     * the application consumed in it (read, less what still waits in the queue, as Linux
     * 6.16+ counts it); if that is more than last time, {@link #grow} the buffer. The round
     * trip is the connection's smoothed RTT (Linux measures a receiver-side one, rcv_rtt_est).
     */
    static void applicationRead(Connection c) {
        long rtt = c.rtt.srtt();
        if (rtt <= 0 || c.now - c.rcvqTime < rtt) return;
        int copiedSeq = copiedSeq(c);
        long copied = Seq.distance(c.rcvqSeq, copiedSeq) - c.recvBuf.readable();
        if (copied > c.rcvqSpace) grow(c, copied);
        c.rcvqSeq = copiedSeq;
        c.rcvqTime = c.now;
    }

    /**
     * tcp_rcvbuf_grow (Linux 6.18): the window should carry twice what was consumed in the
     * last round trip (the measurement is a round trip late), plus twice the growth since
     * the one before (the sender may double its rate in slow start), plus the out-of-order
     * bytes held. The buffer grows to hold that window, up to tcp_rmem[2], and the window
     * clamp follows; never when tcp_moderate_rcvbuf is off or SO_RCVBUF locked the size.
     */
    private static void grow(Connection c, long copied) {
        long previous = Math.max(c.rcvqSpace, 1);
        c.rcvqSpace = copied;
        if (!c.cfg.tcpModerateRcvbuf() || c.opts.rcvBufLocked) return;
        long rcvWin = 2 * copied;
        rcvWin += 2 * (rcvWin * (copied - previous) / previous);
        rcvWin += c.recvBuf.outOfOrderExtent();
        long rcvBuf = Math.min(spaceFromWin(c.cfg, rcvWin), c.cfg.tcpRmem().max());
        if (rcvBuf > c.opts.rcvBuf) {
            c.opts = c.opts.withBufferSizes((int) rcvBuf, c.opts.sndBuf);
            c.recvBuf.setCapacity(capacity(c.cfg, c.opts));
            c.windowClamp = capacity(c.cfg, c.opts);
        }
    }

    /** tcp_under_memory_pressure: tcp_grow_window offers no more while the stack is short of socket memory. */
    private static boolean underMemoryPressure(Connection c) {
        TcpMemory memory = c.sendBuf.memory();
        return memory != null && memory.underPressure();
    }

    /** Linux's copied_seq: the sequence number of the next byte the application will read. */
    private static int copiedSeq(Connection c) {
        return c.rcvNxt - c.recvBuf.readable();
    }
}
