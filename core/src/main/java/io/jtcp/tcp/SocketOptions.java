package io.jtcp.tcp;

import io.jtcp.config.Sysctls;
import java.time.Duration;

/**
 * Per-connection options, the socket options a Linux programmer sets with
 * setsockopt(2). Defaults come from the stack's {@link Sysctls}. A listener's
 * options are copied into each connection it accepts.
 */
public final class SocketOptions {
    /** SO_REUSEADDR: share a port with sockets that have it too, TIME_WAIT among them, but never with a listener. */
    public boolean reuseAddr;
    /** SO_LINGER: null is off; zero makes close() an abort (RST, no TIME_WAIT); longer lets close() wait for the FIN's ACK. */
    public Duration linger;
    /** TCP_NODELAY: turn Nagle's algorithm off. */
    public boolean noDelay;
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
    /** TCP_MAXSEG: the largest MSS to announce; zero means the MTU's. */
    public int maxSeg;
    /**
     * TCP_DEFER_ACCEPT on a listener, in seconds: a final ACK without data does not
     * complete a handshake until about this long has passed ({@link DeferAccept}).
     */
    public int deferAccept;
    /** SO_RCVBUF / SO_SNDBUF in bytes. */
    public int rcvBuf;
    public int sndBuf;

    public SocketOptions(Sysctls s) {
        keepIdle = s.tcpKeepaliveTime();
        keepIntvl = s.tcpKeepaliveIntvl();
        keepCnt = s.tcpKeepaliveProbes();
        rcvBuf = s.tcpRmem();
        sndBuf = s.tcpWmem();
    }

    private SocketOptions() {}

    /** A copy for a listener's child: no Sysctls is built for it (a connection per SYN must stay cheap). */
    public SocketOptions copy() {
        SocketOptions o = new SocketOptions();
        o.reuseAddr = reuseAddr;
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
        o.deferAccept = deferAccept;
        o.rcvBuf = rcvBuf;
        o.sndBuf = sndBuf;
        return o;
    }
}
