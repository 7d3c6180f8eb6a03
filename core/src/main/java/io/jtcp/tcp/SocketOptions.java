package io.jtcp.tcp;

import io.jtcp.config.Sysctls;
import java.time.Duration;

/**
 * Per-connection options, the socket options a Linux programmer sets with
 * setsockopt(2). Defaults come from the stack's {@link Sysctls}.
 *
 * <p>A listener's children start with its options as they are when the SYN arrives (Linux
 * copies them in sk_clone_lock). Most children never set an option, so instead of a copy
 * each they share the listener's object ({@link #share}) and copy it only when one side
 * writes ({@link #writable}): an idle connection then holds no options of its own.
 */
public final class SocketOptions {
    /** SO_REUSEADDR: share a port with sockets that have it too, TIME_WAIT among them, but never with a listener. */
    public boolean reuseAddr;
    /** IPV6_V6ONLY: an IPv6 socket bound to :: takes IPv6 only; off (net.ipv6.bindv6only's default), IPv4 too, v4-mapped. */
    public boolean v6Only;
    /** SO_LINGER: null is off; zero makes close() an abort (RST, no TIME_WAIT); longer lets close() wait for the FIN's ACK. */
    public Duration linger;
    /** TCP_NODELAY: turn Nagle's algorithm off. */
    public boolean noDelay;
    /**
     * Set by turning TCP_NODELAY on: the next push sends what TCP_CORK or MSG_MORE holds
     * back, once (Linux's TCP_NAGLE_PUSH, which __tcp_sock_set_nodelay sets before it calls
     * tcp_push_pending_frames). Not copied to a listener's children.
     */
    boolean pushRequested;

    /** setsockopt(TCP_NODELAY): on also pushes, once, what a cork holds. */
    public void setNoDelay(boolean on) {
        noDelay = on;
        if (on) pushRequested = true;
    }
    /** SO_KEEPALIVE and its TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT. */
    public boolean keepAlive;
    public Duration keepIdle;
    public Duration keepIntvl;
    public int keepCnt;
    /** TCP_USER_TIMEOUT: how long sent data may stay unacknowledged; zero means the retry limits decide. */
    public Duration userTimeout = Duration.ZERO;
    /** TCP_LINGER2: how long an orphan waits in FIN_WAIT_2; null means tcp_fin_timeout. */
    public Duration linger2;
    /**
     * TCP_CORK: send only full-sized segments until it is cleared; clearing it sends
     * what waits (see {@link Output#corked}).
     */
    public boolean cork;
    /**
     * TCP_NOTSENT_LOWAT: the socket is writable only while fewer bytes than this wait unsent
     * ({@link Connection#streamMemoryFree}); 0 means unset, Linux's default of no limit.
     */
    public int notsentLowat;
    /** TCP_CONGESTION: this socket's algorithm; null means tcp_congestion_control's. */
    public io.jtcp.config.CongestionAlgorithm congestion;
    /** TCP_INQ: recvmsg returns a TCP_CM_INQ control message with {@link Connection#inqHint}. */
    public boolean inq;
    /** TCP_MAXSEG: the largest MSS to announce; zero means the MTU's. */
    public int maxSeg;
    /**
     * TCP_DEFER_ACCEPT on a listener, in seconds: a final ACK without data does not
     * complete a handshake until about this long has passed ({@link DeferAccept}).
     */
    public int deferAccept;
    /**
     * The buffer sizes as Linux's sk_rcvbuf / sk_sndbuf count them (what getsockopt(SO_RCVBUF)
     * reports): they start at tcp_rmem[1] / tcp_wmem[1] and autotuning grows them unless
     * SO_RCVBUF / SO_SNDBUF locked them ({@link #setRcvBuf}).
     */
    public int rcvBuf;
    public int sndBuf;
    /** Set by SO_RCVBUF / SO_SNDBUF: autotuning leaves the size alone (Linux's SOCK_RCVBUF_LOCK / SOCK_SNDBUF_LOCK). */
    public boolean rcvBufLocked, sndBufLocked;
    /** TCP_FASTOPEN on a listener: how many Fast Open children may wait for their handshake (0: off). */
    public int fastOpenQlen;
    /** TCP_FASTOPEN_KEY on a listener: its own cookie keys instead of tcp_fastopen_key's; null: the global ones. */
    public io.jtcp.config.FastOpenKeys fastOpenKey;
    /** TCP_FASTOPEN_CONNECT: connect() defers the SYN to the first send, which carries data in it. */
    public boolean fastOpenConnect;
    /** TCP_FASTOPEN_NO_COOKIE: data rides on the SYN without a cookie (for servers known not to need one). */
    public boolean fastOpenNoCookie;
    /**
     * TCP_SYNCNT (icsk_syn_retries): how many times a SYN is resent before connect gives up,
     * and, on a listener, its requests' SYN-ACKs; 0 means the sysctl (tcp_syn_retries,
     * tcp_synack_retries). do_tcp_setsockopt takes 1..{@link #MAX_SYNCNT}.
     */
    public int synCnt;
    /** Linux's MAX_TCP_SYNCNT. */
    public static final int MAX_SYNCNT = 127;
    /** net.core.rmem_max / wmem_max of the stack, which bound SO_RCVBUF / SO_SNDBUF. */
    private int rmemMax, wmemMax;

    /** Linux's SOCK_MIN_RCVBUF and SOCK_MIN_SNDBUF on x86-64: the floor for a size the user sets. */
    public static final int MIN_RCVBUF = 2304, MIN_SNDBUF = 4608;

    public SocketOptions(Sysctls s) {
        v6Only = s.ip(io.jtcp.config.IpSysctl.BINDV6ONLY) == 1;
        keepIdle = s.tcpKeepaliveTime();
        keepIntvl = s.tcpKeepaliveIntvl();
        keepCnt = s.tcpKeepaliveProbes();
        rcvBuf = s.tcpRmem().initial();
        sndBuf = s.tcpWmem().initial();
        rmemMax = s.rmemMax();
        wmemMax = s.wmemMax();
    }

    /**
     * setsockopt(SO_RCVBUF) as Linux's __sock_set_rcvbuf: the value, cut to rmem_max, is
     * doubled (the other half pays for bookkeeping), floored at SOCK_MIN_RCVBUF, and locked.
     */
    public void setRcvBuf(int requested) {
        rcvBuf = userSize(requested, rmemMax, MIN_RCVBUF);
        rcvBufLocked = true;
    }

    /** setsockopt(SO_SNDBUF) as Linux's sock_set_sndbuf: like {@link #setRcvBuf}, bounded by wmem_max. */
    public void setSndBuf(int requested) {
        sndBuf = userSize(requested, wmemMax, MIN_SNDBUF);
        sndBufLocked = true;
    }

    /**
     * getsockopt(TCP_DEFER_ACCEPT): Linux keeps the option as a count of SYN-ACK timeouts
     * (secs_to_retrans) and reports the seconds they span (retrans_to_secs), so 5 reads
     * back as 7 (1 + 2 + 4).
     */
    public int deferAcceptReported(Sysctls cfg) {
        return DeferAccept.reportedSeconds(deferAccept, cfg);
    }

    /** The size SO_RCVBUF / SO_SNDBUF set for {@code requested}: every protocol's rule (UDP's sockets use it too). */
    public static int userSize(int requested, int max, int floor) {
        long v = Math.min(Integer.toUnsignedLong(requested), max);
        return (int) Math.max(Math.min(v, Integer.MAX_VALUE / 2) * 2, floor);
    }

    private SocketOptions() {}

    /** Handed to a listener's children as is: from now on a write to it goes to a copy ({@link #writable}). */
    private boolean shared;

    /** This object for a listener's child: shared until either side writes to it. */
    public SocketOptions share() {
        shared = true;
        return this;
    }

    /** The object a write must go to: this one if no one else holds it, else a fresh copy of it. */
    public SocketOptions writable() {
        return shared ? copy() : this;
    }

    /** The last copy {@link #withBufferSizes} made of this shared object, shared in turn. */
    private SocketOptions resized;

    /**
     * These options with sk_rcvbuf / sk_sndbuf grown by autotuning. Every child of a listener
     * grows its send buffer once established (tcp_init_buffer_space, {@link SendSpace#expand}),
     * mostly to the same size: a shared object hands out one shared copy per size instead of
     * one copy per child, so that idle children still hold no options of their own.
     */
    SocketOptions withBufferSizes(int rcv, int snd) {
        if (rcv == rcvBuf && snd == sndBuf) return this;
        if (!shared) {
            rcvBuf = rcv;
            sndBuf = snd;
            return this;
        }
        if (resized == null || resized.rcvBuf != rcv || resized.sndBuf != snd) {
            resized = copy();
            resized.rcvBuf = rcv;
            resized.sndBuf = snd;
            resized.shared = true;
        }
        return resized;
    }

    /** A copy for a listener's child: no Sysctls is built for it (a connection per SYN must stay cheap). */
    public SocketOptions copy() {
        SocketOptions o = new SocketOptions();
        o.reuseAddr = reuseAddr;
        o.v6Only = v6Only;
        o.linger = linger;
        o.noDelay = noDelay;
        o.cork = cork;
        o.keepAlive = keepAlive;
        o.keepIdle = keepIdle;
        o.keepIntvl = keepIntvl;
        o.keepCnt = keepCnt;
        o.userTimeout = userTimeout;
        o.linger2 = linger2;
        o.maxSeg = maxSeg;
        o.inq = inq;
        o.notsentLowat = notsentLowat;
        o.congestion = congestion;
        o.deferAccept = deferAccept;
        o.rcvBuf = rcvBuf;
        o.sndBuf = sndBuf;
        o.rcvBufLocked = rcvBufLocked;
        o.fastOpenQlen = fastOpenQlen;
        o.fastOpenKey = fastOpenKey;
        o.fastOpenConnect = fastOpenConnect;
        o.fastOpenNoCookie = fastOpenNoCookie;
        o.synCnt = synCnt;
        o.sndBufLocked = sndBufLocked;
        o.rmemMax = rmemMax;
        o.wmemMax = wmemMax;
        return o;
    }
}
