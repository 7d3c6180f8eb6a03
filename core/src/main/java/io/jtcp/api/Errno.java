package io.jtcp.api;

/** The errno values a socket user of jtcp can meet, with Linux's numbers and strerror texts. */
public enum Errno {
    ENOENT(2, "No such file or directory"),
    EINTR(4, "Interrupted system call"),
    EBADF(9, "Bad file descriptor"),
    EACCES(13, "Permission denied"),
    EPIPE(32, "Broken pipe"),
    EINVAL(22, "Invalid argument"),
    EAGAIN(11, "Resource temporarily unavailable"),
    EAFNOSUPPORT(97, "Address family not supported by protocol"),
    EADDRINUSE(98, "Address already in use"),
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    ECONNABORTED(103, "Software caused connection abort"),
    ECONNRESET(104, "Connection reset by peer"),
    EISCONN(106, "Transport endpoint is already connected"),
    ENOTCONN(107, "Transport endpoint is not connected"),
    ETIMEDOUT(110, "Connection timed out"),
    ECONNREFUSED(111, "Connection refused"),
    EHOSTUNREACH(113, "No route to host"),
    EALREADY(114, "Operation already in progress"),
    ENONET(64, "Machine is not on the network"),
    EPROTO(71, "Protocol error"),
    EDESTADDRREQ(89, "Destination address required"),
    EMSGSIZE(90, "Message too long"),
    ENOPROTOOPT(92, "Protocol not available"),
    ENETUNREACH(101, "Network is unreachable"),
    EHOSTDOWN(112, "Host is down"),
    EOPNOTSUPP(95, "Operation not supported");

    private final int number;
    private final String text;

    Errno(int number, String text) {
        this.number = number;
        this.text = text;
    }

    public int number() { return number; }
    public String text() { return text; }
}
