package io.jtcp.packetdrill;

import java.util.Map;

/**
 * Linux's values for the constants of the smaller socket features (symbols_linux.c and the
 * uapi headers): TCP_NOTSENT_LOWAT, MSG_EOR, TCP_INQ and its control message, TCP_CONGESTION, epoll, and
 * the SOL_IP level, IPV6_V6ONLY. Kept apart from {@link Symbols} so each feature's names live together.
 */
final class SocketFeatureSymbols {
    private SocketFeatureSymbols() {}

    static final int SOL_IP = 0, IP_FREEBIND = 15;
    static final int IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;
    static final int TCP_NOTSENT_LOWAT = 25, TCP_INQ = 36, TCP_CM_INQ = TCP_INQ;
    static final int MSG_EOR = 0x80;
    static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    static final long EPOLLIN = 0x1, EPOLLPRI = 0x2, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10,
            EPOLLRDNORM = 0x40, EPOLLRDBAND = 0x80, EPOLLWRNORM = 0x100, EPOLLWRBAND = 0x200, EPOLLRDHUP = 0x2000,
            EPOLLEXCLUSIVE = 1L << 28, EPOLLWAKEUP = 1L << 29, EPOLLONESHOT = 1L << 30, EPOLLET = 1L << 31;

    private static final Map<String, Long> VALUES = Map.ofEntries(
            Map.entry("SOL_IP", (long) SOL_IP), Map.entry("IP_FREEBIND", (long) IP_FREEBIND),
            Map.entry("IPPROTO_IPV6", (long) IPPROTO_IPV6), Map.entry("SOL_IPV6", (long) IPPROTO_IPV6),
            Map.entry("IPV6_V6ONLY", (long) IPV6_V6ONLY),
            Map.entry("TCP_NOTSENT_LOWAT", (long) TCP_NOTSENT_LOWAT), Map.entry("TCP_INQ", (long) TCP_INQ),
            Map.entry("TCP_CM_INQ", (long) TCP_CM_INQ), Map.entry("TCP_CONGESTION", (long) CongestionName.TCP_CONGESTION), Map.entry("MSG_EOR", (long) MSG_EOR),
            Map.entry("EPOLL_CTL_ADD", (long) EPOLL_CTL_ADD), Map.entry("EPOLL_CTL_DEL", (long) EPOLL_CTL_DEL),
            Map.entry("EPOLL_CTL_MOD", (long) EPOLL_CTL_MOD),
            Map.entry("EPOLLIN", EPOLLIN), Map.entry("EPOLLPRI", EPOLLPRI), Map.entry("EPOLLOUT", EPOLLOUT),
            Map.entry("EPOLLERR", EPOLLERR), Map.entry("EPOLLHUP", EPOLLHUP), Map.entry("EPOLLRDNORM", EPOLLRDNORM),
            Map.entry("EPOLLRDBAND", EPOLLRDBAND), Map.entry("EPOLLWRNORM", EPOLLWRNORM),
            Map.entry("EPOLLWRBAND", EPOLLWRBAND), Map.entry("EPOLLRDHUP", EPOLLRDHUP),
            Map.entry("EPOLLEXCLUSIVE", EPOLLEXCLUSIVE), Map.entry("EPOLLWAKEUP", EPOLLWAKEUP),
            Map.entry("EPOLLONESHOT", EPOLLONESHOT), Map.entry("EPOLLET", EPOLLET));

    /** The value of {@code name}, or null for a name this table does not know. */
    static Long value(String name) {
        return VALUES.get(name);
    }
}
