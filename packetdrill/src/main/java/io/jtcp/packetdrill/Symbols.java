package io.jtcp.packetdrill;

import java.util.Map;

/** Linux's values for the symbolic constants scripts use as arguments (packetdrill's symbols_linux.c, TCP subset). */
final class Symbols {
    private Symbols() {}

    static final int SOL_SOCKET = 1, IPPROTO_TCP = 6;
    static final int AF_INET = 2, AF_INET6 = 10;
    static final int SO_REUSEADDR = 2, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_LINGER = 13,
            SO_REUSEPORT = 15;
    static final int TCP_NODELAY = 1, TCP_MAXSEG = 2, TCP_CORK = 3, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5, TCP_KEEPCNT = 6,
            TCP_SYNCNT = 7, TCP_LINGER2 = 8, TCP_DEFER_ACCEPT = 9, TCP_INFO = 11, TCP_QUICKACK = 12, TCP_USER_TIMEOUT = 18;
    static final int TCP_FASTOPEN = 23, TCP_FASTOPEN_CONNECT = 30, TCP_FASTOPEN_KEY = 33, TCP_FASTOPEN_NO_COOKIE = 34;
    static final int MSG_PEEK = 2, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000, MSG_MORE = 0x8000, MSG_FASTOPEN = 0x20000000;
    static final int O_RDWR = 2, O_NONBLOCK = 0x800;
    static final int F_GETFL = 3, F_SETFL = 4;
    static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    static final int SIOCINQ = 0x541B, SIOCOUTQ = 0x5411, SIOCOUTQNSD = 0x894B;
    static final int POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20,
            POLLRDNORM = 0x40, POLLWRNORM = 0x100, POLLRDHUP = 0x2000;

    private static final Map<String, Long> VALUES = Map.ofEntries(
            Map.entry("AF_INET", (long) AF_INET), Map.entry("AF_INET6", (long) AF_INET6), Map.entry("PF_INET", (long) AF_INET),
            Map.entry("PF_INET6", (long) AF_INET6),
            Map.entry("SOCK_STREAM", 1L), Map.entry("SOCK_DGRAM", 2L), Map.entry("IPPROTO_IP", 0L),
            Map.entry("IPPROTO_TCP", 6L), Map.entry("SOL_TCP", 6L), Map.entry("SOL_SOCKET", 1L), Map.entry("IPPROTO_UDP", 17L),
            Map.entry("SO_REUSEADDR", 2L), Map.entry("SO_ERROR", 4L), Map.entry("SO_SNDBUF", 7L), Map.entry("SO_RCVBUF", 8L),
            Map.entry("SO_KEEPALIVE", 9L), Map.entry("SO_LINGER", 13L), Map.entry("SO_REUSEPORT", 15L),
            Map.entry("TCP_NODELAY", 1L), Map.entry("TCP_MAXSEG", 2L), Map.entry("TCP_CORK", 3L), Map.entry("TCP_KEEPIDLE", 4L),
            Map.entry("TCP_KEEPINTVL", 5L), Map.entry("TCP_KEEPCNT", 6L), Map.entry("TCP_SYNCNT", 7L), Map.entry("TCP_LINGER2", 8L),
            Map.entry("TCP_DEFER_ACCEPT", 9L), Map.entry("TCP_INFO", 11L), Map.entry("TCP_QUICKACK", 12L),
            Map.entry("TCP_USER_TIMEOUT", 18L), Map.entry("TCP_FASTOPEN", 23L), Map.entry("TCP_FASTOPEN_KEY", 33L),
            Map.entry("TCP_FASTOPEN_CONNECT", 30L), Map.entry("TCP_FASTOPEN_NO_COOKIE", 34L),
            Map.entry("MSG_PEEK", 2L), Map.entry("MSG_DONTWAIT", 0x40L), Map.entry("MSG_NOSIGNAL", 0x4000L),
            Map.entry("MSG_MORE", 0x8000L), Map.entry("MSG_FASTOPEN", 0x20000000L),
            Map.entry("O_RDONLY", 0L), Map.entry("O_WRONLY", 1L), Map.entry("O_RDWR", 2L), Map.entry("O_NONBLOCK", 0x800L),
            Map.entry("F_GETFL", 3L), Map.entry("F_SETFL", 4L),
            Map.entry("SHUT_RD", 0L), Map.entry("SHUT_WR", 1L), Map.entry("SHUT_RDWR", 2L),
            Map.entry("SIOCINQ", 0x541BL), Map.entry("FIONREAD", 0x541BL), Map.entry("SIOCOUTQ", 0x5411L),
            Map.entry("SIOCOUTQNSD", 0x894BL),
            Map.entry("POLLIN", 0x1L), Map.entry("POLLPRI", 0x2L), Map.entry("POLLOUT", 0x4L), Map.entry("POLLERR", 0x8L),
            Map.entry("POLLHUP", 0x10L), Map.entry("POLLNVAL", 0x20L), Map.entry("POLLRDNORM", 0x40L),
            Map.entry("POLLRDBAND", 0x80L), Map.entry("POLLWRNORM", 0x100L), Map.entry("POLLWRBAND", 0x200L),
            Map.entry("POLLRDHUP", 0x2000L));

    /** The value of {@code name} (tcp_info's constants included), or null for a name this table does not know. */
    static Long value(String name) {
        Long v = VALUES.get(name);
        if (v != null) return v;
        Long feature = SocketFeatureSymbols.value(name);
        return feature != null ? feature : TcpInfoNames.symbol(name);
    }
}
