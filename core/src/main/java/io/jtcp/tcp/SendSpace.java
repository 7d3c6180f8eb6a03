package io.jtcp.tcp;

/**
 * Send-buffer autotuning, Linux's tcp_sndbuf_expand (called from tcp_init_buffer_space
 * and, as ACKs free room, from tcp_new_space): the buffer holds two congestion windows
 * of segments, at least ten, so fast recovery never starves for data; it grows up to
 * tcp_wmem[2] and never once SO_SNDBUF locked it, nor on an ACK while socket memory is
 * short (tcp_should_expand_sndbuf).
 *
 * <p>Linux charges each segment's memory, not only its payload: a segment costs its MSS
 * plus headers and skb overhead, rounded up to a power of two (4352 bytes for MSS 1460
 * on x86-64). jtcp's {@link SendBuffer} counts payload against sk_sndbuf, so it holds
 * somewhat more than Linux would in the same size.
 */
final class SendSpace {
    private SendSpace() {}

    /**
     * Linux's MAX_TCP_HEADER, SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) and of struct
     * sk_buff on x86-64: a segment of MSS 1460 costs 4096 + 256 = 4352 bytes, so a fresh
     * connection's buffer becomes 2 x 10 x 4352 = 87040 (the tb87040 ss -m shows).
     */
    private static final int MAX_TCP_HEADER = 320, SHARED_INFO = 320, SKB = 256;
    /** Linux's TCP_INIT_CWND. */
    private static final int INIT_CWND = 10;
    /** Two windows' worth (Reno, CUBIC; BBR asks for three). */
    private static final int WINDOWS = 2;

    /**
     * tcp_new_space, for an ACK that freed room: tcp_should_expand_sndbuf says no under memory
     * pressure and while the stack holds tcp_mem[0] or more; otherwise the buffer expands,
     * and first gets back a size socket memory had cut it to ({@link SendBuffer}'s moderation).
     */
    static void acknowledged(Connection c) {
        TcpMemory memory = c.sendBuf.memory();
        if (memory != null && (memory.underPressure() || memory.pages() >= c.cfg.tcpMem().min())) return;
        if (c.sendBuf.capacity() < c.opts.sndBuf) {
            c.sendBuf.setCapacity(c.opts.sndBuf);
            c.notice(Connection.NOTICE_WRITABLE);
        }
        expand(c);
    }

    static void expand(Connection c) {
        if (c.opts.sndBufLocked) return;
        int perMss = Integer.highestOneBit(Math.max(c.agreed.sndMss, c.agreed.advertisedMss) + MAX_TCP_HEADER + SHARED_INFO - 1) * 2 + SKB;
        long segments = Math.max(INIT_CWND, c.recovery.w.cwnd);
        long wanted = WINDOWS * segments * perMss;
        if (c.opts.sndBuf < wanted) {
            c.opts = c.opts.withBufferSizes(c.opts.rcvBuf, (int) Math.min(wanted, c.cfg.tcpWmem().max()));
            c.sendBuf.setCapacity(c.opts.sndBuf);
            c.notice(Connection.NOTICE_WRITABLE);
        }
    }
}
