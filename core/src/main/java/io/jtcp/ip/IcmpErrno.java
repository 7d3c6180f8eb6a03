package io.jtcp.ip;

import io.jtcp.api.Errno;
import io.jtcp.wire.Icmp;

/**
 * What an ICMP or ICMPv6 error means to the socket whose packet it quotes: Linux's
 * icmp_err_convert table (RFC 1122 §4.2.3.9's hard and soft errors) and icmpv6_err_convert.
 * A fatal error ends a connection attempt; in a synchronized connection every error is soft.
 *
 * @param errno the socket's error
 * @param fatal whether Linux marks it fatal (hard)
 */
public record IcmpErrno(Errno errno, boolean fatal) {
    private static final IcmpErrno[] V4_UNREACHABLE = {
            new IcmpErrno(Errno.ENETUNREACH, false),   // 0 network unreachable
            new IcmpErrno(Errno.EHOSTUNREACH, false),  // 1 host unreachable
            new IcmpErrno(Errno.ENOPROTOOPT, true),    // 2 protocol unreachable
            new IcmpErrno(Errno.ECONNREFUSED, true),   // 3 port unreachable
            new IcmpErrno(Errno.EMSGSIZE, false),      // 4 fragmentation needed (path MTU discovery takes it first)
            new IcmpErrno(Errno.EOPNOTSUPP, false),    // 5 source route failed
            new IcmpErrno(Errno.ENETUNREACH, true),    // 6 destination network unknown
            new IcmpErrno(Errno.EHOSTDOWN, true),      // 7 destination host unknown
            new IcmpErrno(Errno.ENONET, true),         // 8 source host isolated
            new IcmpErrno(Errno.ENETUNREACH, true),    // 9 network administratively prohibited
            new IcmpErrno(Errno.EHOSTUNREACH, true),   // 10 host administratively prohibited
            new IcmpErrno(Errno.ENETUNREACH, false),   // 11 network unreachable for TOS
            new IcmpErrno(Errno.EHOSTUNREACH, false),  // 12 host unreachable for TOS
            new IcmpErrno(Errno.EHOSTUNREACH, true),   // 13 communication administratively prohibited
            new IcmpErrno(Errno.EHOSTUNREACH, true),   // 14 host precedence violation
            new IcmpErrno(Errno.EHOSTUNREACH, true),   // 15 precedence cutoff in effect
    };
    private static final IcmpErrno[] V6_UNREACHABLE = {
            new IcmpErrno(Errno.ENETUNREACH, false),   // 0 no route to destination
            new IcmpErrno(Errno.EACCES, true),         // 1 administratively prohibited
            new IcmpErrno(Errno.EHOSTUNREACH, false),  // 2 beyond the scope of the source address
            new IcmpErrno(Errno.EHOSTUNREACH, false),  // 3 address unreachable
            new IcmpErrno(Errno.ECONNREFUSED, true),   // 4 port unreachable
            new IcmpErrno(Errno.EACCES, true),         // 5 source address failed policy
            new IcmpErrno(Errno.EACCES, true),         // 6 reject route
    };
    private static final IcmpErrno TIME_EXCEEDED = new IcmpErrno(Errno.EHOSTUNREACH, false);
    private static final IcmpErrno PARAMETER_PROBLEM = new IcmpErrno(Errno.EPROTO, true);

    /**
     * The meaning of an error of {@code type}/{@code code} (IPv6 when {@code v6}), or null for one
     * a socket ignores (source quench, redirects, unknown codes, and the path MTU messages, which
     * path MTU discovery handles).
     */
    public static IcmpErrno of(boolean v6, int type, int code) {
        if (v6) {
            return switch (type) {
                case Icmp.V6_DEST_UNREACHABLE -> code >= 0 && code < V6_UNREACHABLE.length ? V6_UNREACHABLE[code] : null;
                case Icmp.V6_TIME_EXCEEDED -> TIME_EXCEEDED;
                case Icmp.V6_PARAMETER_PROBLEM -> PARAMETER_PROBLEM;
                default -> null;
            };
        }
        return switch (type) {
            case Icmp.V4_DEST_UNREACHABLE -> code >= 0 && code < V4_UNREACHABLE.length && code != Icmp.V4_FRAGMENTATION_NEEDED
                    ? V4_UNREACHABLE[code] : null;
            case Icmp.V4_TIME_EXCEEDED -> TIME_EXCEEDED;
            case Icmp.V4_PARAMETER_PROBLEM -> PARAMETER_PROBLEM;
            default -> null;
        };
    }

    /** Whether the message is "fragmentation needed" or "packet too big": path MTU discovery's. */
    public static boolean isPathMtu(boolean v6, int type, int code) {
        return v6 ? type == Icmp.V6_PACKET_TOO_BIG : type == Icmp.V4_DEST_UNREACHABLE && code == Icmp.V4_FRAGMENTATION_NEEDED;
    }
}
