package io.jtcp.packetdrill;

import java.util.Map;

/**
 * Linux's errno numbers by name (asm-generic/errno-base.h and errno.h), for the
 * {@code -1 ECONNREFUSED (...)} results scripts expect. jtcp's own {@code Errno} holds
 * only what its engine raises; a script may name any of these.
 */
final class LinuxErrno {
    private LinuxErrno() {}

    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("EPERM", 1), Map.entry("ENOENT", 2), Map.entry("EINTR", 4), Map.entry("EIO", 5),
            Map.entry("EBADF", 9), Map.entry("EAGAIN", 11), Map.entry("EWOULDBLOCK", 11), Map.entry("ENOMEM", 12),
            Map.entry("EACCES", 13), Map.entry("EFAULT", 14), Map.entry("EBUSY", 16), Map.entry("EEXIST", 17),
            Map.entry("EINVAL", 22), Map.entry("EMFILE", 24), Map.entry("ENOSPC", 28), Map.entry("EPIPE", 32),
            Map.entry("ENOSYS", 38), Map.entry("ENOTSOCK", 88), Map.entry("EDESTADDRREQ", 89), Map.entry("EMSGSIZE", 90),
            Map.entry("EPROTOTYPE", 91), Map.entry("ENOPROTOOPT", 92), Map.entry("EPROTONOSUPPORT", 93),
            Map.entry("EOPNOTSUPP", 95), Map.entry("EAFNOSUPPORT", 97), Map.entry("EADDRINUSE", 98),
            Map.entry("EADDRNOTAVAIL", 99), Map.entry("ENETDOWN", 100), Map.entry("ENETUNREACH", 101),
            Map.entry("ECONNABORTED", 103), Map.entry("ECONNRESET", 104), Map.entry("ENOBUFS", 105),
            Map.entry("EISCONN", 106), Map.entry("ENOTCONN", 107), Map.entry("ETIMEDOUT", 110),
            Map.entry("ECONNREFUSED", 111), Map.entry("EHOSTUNREACH", 113), Map.entry("EALREADY", 114),
            Map.entry("EINPROGRESS", 115));

    /** The number for {@code name}, or -1 if it is not an errno name. */
    static int number(String name) {
        return NUMBERS.getOrDefault(name, -1);
    }

    /** strerror(3)'s text for the errno names jtcp raises and the few the emulation adds. */
    static String text(String name) {
        for (io.jtcp.api.Errno e : io.jtcp.api.Errno.values()) if (e.name().equals(name)) return e.text();
        return switch (name) {
            case "EINPROGRESS" -> "Operation now in progress";
            case "ENOTSOCK" -> "Socket operation on non-socket";
            case "ENOPROTOOPT" -> "Protocol not available";
            case "EOPNOTSUPP" -> "Operation not supported";
            case "EAFNOSUPPORT" -> "Address family not supported by protocol";
            default -> name;
        };
    }
}
