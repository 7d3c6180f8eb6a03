package io.jtcp.api;

import io.jtcp.config.CongestionAlgorithm;
import io.jtcp.config.Sysctls;
import io.jtcp.tcp.SocketOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A typed socket option, named after its setsockopt(2) constant, in the manner of
 * {@link java.net.StandardSocketOptions}. Each maps onto a field of
 * {@link SocketOptions}. Durations replace Linux's seconds and milliseconds.
 *
 * <p>Options marked live take effect at once on a connected socket, as on Linux.
 * The others (SO_REUSEADDR, IPV6_V6ONLY, TCP_DEFER_ACCEPT, TCP_MAXSEG, SO_RCVBUF, SO_SNDBUF) are read when the
 * socket binds, connects or listens: set them before. Set later, they are recorded
 * but the connection's port share, MSS and buffers stay as they were.
 *
 * @param <T> the option's value type
 */
public final class TcpOption<T> implements java.net.SocketOption<T> {
    /** Share a port with sockets that set it too (TIME_WAIT remains among them), never with a listener. */
    public static final TcpOption<Boolean> SO_REUSEADDR =
            flag("SO_REUSEADDR", false, o -> o.reuseAddr, (o, v) -> o.reuseAddr = v);
    /**
     * An IPv6 socket bound to :: takes IPv6 only; off (net.ipv6.bindv6only's default, 0), IPv4
     * arrives too and the wildcard's port is taken for both families. Set it before bind.
     */
    public static final TcpOption<Boolean> IPV6_V6ONLY =
            flag("IPV6_V6ONLY", false, o -> o.v6Only, (o, v) -> o.v6Only = v);
    /**
     * null: off. Zero: close() resets the connection (RST, no TIME_WAIT). Longer: close()
     * blocks until the FIN is acknowledged or the time passes.
     */
    public static final TcpOption<Duration> SO_LINGER =
            duration("SO_LINGER", true, true, false, o -> o.linger, (o, v) -> o.linger = v);
    /** Probe an idle connection; changing it on a live connection re-arms the keepalive timer. */
    public static final TcpOption<Boolean> SO_KEEPALIVE =
            flag("SO_KEEPALIVE", true, o -> o.keepAlive, (o, v) -> o.keepAlive = v);
    /** Idle time before the first keepalive probe (tcp_keepalive_time by default). */
    public static final TcpOption<Duration> TCP_KEEPIDLE =
            duration("TCP_KEEPIDLE", true, false, true, o -> o.keepIdle, (o, v) -> o.keepIdle = v);
    /** Time between keepalive probes (tcp_keepalive_intvl). */
    public static final TcpOption<Duration> TCP_KEEPINTVL =
            duration("TCP_KEEPINTVL", true, false, true, o -> o.keepIntvl, (o, v) -> o.keepIntvl = v);
    /** Unanswered probes before the connection is dropped with ETIMEDOUT (tcp_keepalive_probes), 1 to 127. */
    public static final TcpOption<Integer> TCP_KEEPCNT =
            integer("TCP_KEEPCNT", true, 1, 127, o -> o.keepCnt, (o, v) -> o.keepCnt = v);
    /** Turn Nagle's algorithm off. */
    public static final TcpOption<Boolean> TCP_NODELAY =
            flag("TCP_NODELAY", true, o -> o.noDelay, SocketOptions::setNoDelay);
    /**
     * Send only full-sized segments while set; clearing it sends what waits (Linux's
     * TCP_CORK; corked data also goes out when the probe timer finds nothing in flight).
     */
    public static final TcpOption<Boolean> TCP_CORK =
            flag("TCP_CORK", true, o -> o.cork, (o, v) -> o.cork = v);
    /**
     * On a listener: seconds during which a final ACK without data does not complete a
     * handshake (Linux's TCP_DEFER_ACCEPT, counted in SYN-ACK timeouts); 0 is off.
     */
    public static final TcpOption<Integer> TCP_DEFER_ACCEPT =
            integer("TCP_DEFER_ACCEPT", false, 0, Integer.MAX_VALUE, o -> o.deferAccept, (o, v) -> o.deferAccept = v);
    /** The largest MSS to announce: 0 (the MTU's) or 88 to 65535, as Linux bounds it. */
    public static final TcpOption<Integer> TCP_MAXSEG =
            new TcpOption<>("TCP_MAXSEG", Integer.class, false, o -> o.maxSeg, (o, v) -> o.maxSeg = v,
                    v -> v == 0 || v >= 88 && v <= 65535);
    /**
     * Receive buffer bytes. As on Linux, the value set is cut to net.core.rmem_max and doubled,
     * the result is what reading the option returns, and autotuning stops for the socket.
     * Set before connect or listen, it also decides the window scale and the initial window.
     */
    public static final TcpOption<Integer> SO_RCVBUF =
            new TcpOption<>("SO_RCVBUF", Integer.class, false, o -> o.rcvBuf, SocketOptions::setRcvBuf, Objects::nonNull);
    /** Send buffer bytes: cut to net.core.wmem_max and doubled, as Linux does; the send buffer no longer grows. */
    public static final TcpOption<Integer> SO_SNDBUF =
            new TcpOption<>("SO_SNDBUF", Integer.class, false, o -> o.sndBuf, SocketOptions::setSndBuf, Objects::nonNull);
    /** How long sent data may stay unacknowledged before ETIMEDOUT; zero leaves it to the retry limits. */
    public static final TcpOption<Duration> TCP_USER_TIMEOUT =
            duration("TCP_USER_TIMEOUT", true, false, false, o -> o.userTimeout, (o, v) -> o.userTimeout = v);
    /** How long an orphan waits in FIN_WAIT_2; null means tcp_fin_timeout. */
    public static final TcpOption<Duration> TCP_LINGER2 =
            duration("TCP_LINGER2", true, true, false, o -> o.linger2, (o, v) -> o.linger2 = v);

    /** Have receives report the bytes still queued (Linux's TCP_INQ and its TCP_CM_INQ control message); see {@link TcpSocket#inqHint}. */
    public static final TcpOption<Boolean> TCP_INQ =
            flag("TCP_INQ", true, o -> o.inq, (o, v) -> o.inq = v);

    /** Writable only while fewer bytes than this wait unsent (Linux's TCP_NOTSENT_LOWAT); 0 is no limit. */
    public static final TcpOption<Integer> TCP_NOTSENT_LOWAT =
            integer("TCP_NOTSENT_LOWAT", true, 0, Integer.MAX_VALUE, o -> o.notsentLowat, (o, v) -> o.notsentLowat = v);

    /**
     * TCP Fast Open without a cookie (Linux's TCP_FASTOPEN_NO_COOKIE): {@link TcpSocket#connectFastOpen}
     * puts data on the SYN even when no cookie is cached, for servers known not to need one.
     */
    public static final TcpOption<Boolean> TCP_FASTOPEN_NO_COOKIE =
            flag("TCP_FASTOPEN_NO_COOKIE", false, o -> o.fastOpenNoCookie, (o, v) -> o.fastOpenNoCookie = v);

    /**
     * The congestion-control algorithm by its Linux name ({@code "cubic"}, {@code "reno"}; see
     * {@link CongestionAlgorithm#available()}). Read back unset, it is tcp_congestion_control's,
     * as a Linux socket takes that one when it is made (tcp_init_sock). Set on a connection,
     * the new algorithm takes over from the current window (tcp_reinit_congestion_control);
     * a name no algorithm has fails with ENOENT, as tcp_set_congestion_control answers.
     */
    public static final TcpOption<String> TCP_CONGESTION =
            new TcpOption<>("TCP_CONGESTION", String.class, true,
                    o -> o.congestion == null ? null : o.congestion.linuxName(),
                    (o, v) -> o.congestion = v == null ? null : CongestionAlgorithm.named(v), TcpOption::isAlgorithm,
                    Errno.ENOENT, cfg -> cfg.tcpCongestionControl().linuxName());

    /** Every option, in declaration order. */
    public static final List<TcpOption<?>> ALL = List.of(SO_REUSEADDR, IPV6_V6ONLY, SO_LINGER, SO_KEEPALIVE, TCP_KEEPIDLE,
            TCP_KEEPINTVL, TCP_KEEPCNT, TCP_NODELAY, TCP_CORK, TCP_DEFER_ACCEPT, TCP_MAXSEG, SO_RCVBUF, SO_SNDBUF,
            TCP_USER_TIMEOUT, TCP_LINGER2, TCP_INQ, TCP_NOTSENT_LOWAT, TCP_FASTOPEN_NO_COOKIE, TCP_CONGESTION);

    private final String name;
    private final Class<T> type;
    private final boolean live;
    private final Function<SocketOptions, T> getter;
    private final BiConsumer<SocketOptions, T> setter;
    private final Function<T, Boolean> valid;
    /** What setsockopt answers for a value {@link #valid} refuses (a missing value is always EINVAL). */
    private final Errno refused;
    /** What getsockopt reports while the option is unset (null), if a sysctl decides it; null: the null itself. */
    private final Function<Sysctls, T> unset;

    private TcpOption(String name, Class<T> type, boolean live, Function<SocketOptions, T> getter,
                      BiConsumer<SocketOptions, T> setter, Function<T, Boolean> valid) {
        this(name, type, live, getter, setter, valid, Errno.EINVAL, null);
    }

    private TcpOption(String name, Class<T> type, boolean live, Function<SocketOptions, T> getter,
                      BiConsumer<SocketOptions, T> setter, Function<T, Boolean> valid, Errno refused,
                      Function<Sysctls, T> unset) {
        this.name = name;
        this.type = type;
        this.live = live;
        this.getter = getter;
        this.setter = setter;
        this.valid = valid;
        this.refused = refused;
        this.unset = unset;
    }

    private static boolean isAlgorithm(String name) {
        if (name == null) return false;
        try {
            CongestionAlgorithm.named(name);
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    private static TcpOption<Boolean> flag(String name, boolean live, Function<SocketOptions, Boolean> g,
                                           BiConsumer<SocketOptions, Boolean> s) {
        return new TcpOption<>(name, Boolean.class, live, g, s, Objects::nonNull);
    }

    private static TcpOption<Integer> integer(String name, boolean live, int min, int max,
                                              Function<SocketOptions, Integer> g, BiConsumer<SocketOptions, Integer> s) {
        return new TcpOption<>(name, Integer.class, live, g, s, v -> v != null && v >= min && v <= max);
    }

    private static TcpOption<Duration> duration(String name, boolean live, boolean nullable, boolean positive,
                                                Function<SocketOptions, Duration> g, BiConsumer<SocketOptions, Duration> s) {
        return new TcpOption<>(name, Duration.class, live, g, s,
                v -> v == null ? nullable : !v.isNegative() && !(positive && v.isZero()));
    }

    public String name() { return name; }

    public Class<T> type() { return type; }

    /** Whether setting it on a connected socket takes effect at once. */
    public boolean isLive() { return live; }

    /** getsockopt(2) on {@code o}: an unset option that a sysctl decides reads as the sysctl's value in {@code cfg}. */
    T get(SocketOptions o, Sysctls cfg) {
        T v = getter.apply(o);
        return v == null && unset != null ? unset.apply(cfg) : v;
    }

    /**
     * Sets the option on {@code o}; EINVAL for a value out of range, as setsockopt(2)
     * answers (ENOENT for a TCP_CONGESTION no algorithm has).
     */
    void set(SocketOptions o, T value) throws ErrnoException {
        if (value != null && !type.isInstance(value)) throw new ErrnoException(Errno.EINVAL, name + " takes a " + type.getSimpleName());
        if (!valid.apply(value)) throw new ErrnoException(value == null ? Errno.EINVAL : refused, name + " = " + value);
        setter.accept(o, value);
    }

    /** Copies this option's value from one set of options to another. */
    void copy(SocketOptions from, SocketOptions to) {
        setter.accept(to, getter.apply(from));
    }

    @Override
    public String toString() {
        return name;
    }
}
