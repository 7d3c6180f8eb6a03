package io.jtcp.packetdrill;

import io.jtcp.wire.IpAddress;
import static io.jtcp.packetdrill.Symbols.*;

import io.jtcp.config.FastOpenKeys;
import io.jtcp.host.Listening;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.packetdrill.CallResult.Done;
import io.jtcp.tcp.Connection;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.Ioctl;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * POSIX sockets over a jtcp {@link Stack}, with Linux's semantics: a file descriptor
 * table (lowest free number first, from 3), a generic socket that becomes a listener
 * (bind + listen) or a client (connect), errno results, O_NONBLOCK, calls that block
 * until the stack makes them possible, and poll readiness as tcp_poll computes it.
 */
final class SocketCalls {

    /** What the runner needs to hear to follow packetdrill's "socket under test". */
    interface Observer {
        void listening(int port);

        void connecting(Connection c);

        void accepted(Connection c);
    }

    /** One open file: a generic socket until bind/listen/connect say what it is. */
    private static final class Socket {
        final SocketOptions options;
        /** AF_INET or AF_INET6: which sockaddr shape bind and connect take, and which wildcard an unbound listen holds. */
        final int family;
        /** bind(2)'s hold on the port, until listen or connect takes it over (or close gives it back). */
        Stack.Binding binding;
        /** The port bound, listened on or connected from; 0 before any. */
        int boundPort;
        boolean nonblocking;
        Listening listener;
        Connection conn;
        /** Made by accept(): Linux clears a child's accept-queue settings (TCP_DEFER_ACCEPT reads 0). */
        boolean accepted;
        /** shutdown() directions taken (sk_shutdown's RCV_SHUTDOWN and SEND_SHUTDOWN), for poll. */
        boolean readShut, writeShut;
        boolean connectInProgress;
        /** A TCP_FASTOPEN_CONNECT connect() put off until the first send: the destination it named. */
        Destination deferredTo;

        Socket(SocketOptions options, int family) {
            this.options = options;
            this.family = family;
        }

        /** Where listen() without bind() listens (inet_autobind): the family's wildcard. */
        IpAddress wildcard() {
            return family == AF_INET6 ? IpAddress.ANY6 : IpAddress.ANY4;
        }
    }

    /** Where connect (or a Fast Open send) goes. */
    private record Destination(IpAddress address, int port) {}

    /**
     * The sockaddr a call names: the script's, or for {@code ...} the one packetdrill fills
     * in (live_connect_ip, in the mode's socket family; v4-mapped in ipv4-mapped-ipv6).
     * An AF_INET socket given a sockaddr_in6 is EAFNOSUPPORT (tcp_v4_connect's family
     * check); an AF_INET6 one given the shorter sockaddr_in EINVAL (tcp_v6_connect's length check).
     */
    private Destination destination(Socket s, Expr sockaddr) throws UnsupportedFeature, ErrnoException {
        IpAddress remote = Args.address(sockaddr, config.remoteIp());
        int port = Args.port(sockaddr, config.connectPort);
        int given = Args.family(sockaddr, remote.isV6() ? AF_INET6 : config.socketDomain());
        if (s.family == AF_INET && given == AF_INET6) {
            throw new ErrnoException(Errno.EAFNOSUPPORT, "sockaddr_in6 on an AF_INET socket");
        }
        if (s.family == AF_INET6 && given == AF_INET) throw new ErrnoException(Errno.EINVAL, "sockaddr_in on an AF_INET6 socket");
        return new Destination(remote, port);
    }

    private final Stack stack;
    private final RunnerOptions config;
    private final Observer observer;
    private final TreeMap<Integer, Socket> fds = new TreeMap<>();
    private final Epoll epoll = new Epoll(this);

    SocketCalls(Stack stack, RunnerOptions config, Observer observer) {
        this.stack = stack;
        this.config = config;
        this.observer = observer;
    }

    /** Runs {@code call} at {@code now}. */
    CallResult call(Syscall call, long now) throws UnsupportedFeature {
        return switch (call.name()) {
            case "socket" -> socket(call);
            case "bind" -> bind(call);
            case "listen" -> listen(call, now);
            case "accept", "accept4" -> accept(call, now);
            case "connect" -> connect(call, now);
            case "read", "recv", "recvfrom", "readv", "recvmsg" -> read(call, now);
            case "write", "send", "sendto", "writev", "sendmsg" -> write(call, now);
            case "shutdown" -> shutdown(call, now);
            case "close" -> close(call, now);
            case "setsockopt" -> setsockopt(call, now);
            case "getsockopt" -> getsockopt(call, now);
            case "fcntl" -> fcntl(call);
            case "ioctl" -> ioctl(call, now);
            case "poll" -> poll(call, now);
            case "epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait" -> epoll.call(call, now);
            default -> throw new UnsupportedFeature("system call " + call.name());
        };
    }

    // ---- creating and naming sockets ----

    private CallResult socket(Syscall call) throws UnsupportedFeature {
        // syscall_socket: a script's "..." takes the mode's domain (config->socket_domain);
        // a family the script names is used as written.
        long family = Args.integer(call.arg(0), config.socketDomain());
        if (family != AF_INET && family != AF_INET6) return CallResult.fail("EAFNOSUPPORT");
        if (Args.integer(call.arg(1), 1) != 1) throw new UnsupportedFeature("socket type other than SOCK_STREAM");
        return open(call, new Socket(new SocketOptions(stack.sysctls()), (int) family));
    }

    /**
     * Gives {@code s} a descriptor. packetdrill maps script fds to live ones: a call that
     * creates a descriptor (socket, accept) only has to return one (end_syscall's CHECK_FD),
     * and the script's number then names it. So the script's number is the fd here, or the
     * lowest free one from 3 when the script writes none; a number already in use is
     * check_duplicate_fd's error.
     */
    private CallResult.Done open(Syscall call, Socket s) {
        int fd = claimFd(call);
        if (fd < 0) return CallResult.checked(-fd, "duplicate fd " + -fd + " in script");
        fds.put(fd, s);
        return CallResult.ok(fd);
    }

    /**
     * Gives an accepted socket its descriptor. Unlike socket(), packetdrill's accept
     * (run_syscall_accept) does not check for a duplicate: a script number that still
     * names an open socket names the accepted one from now on, and the older socket stays
     * open, out of the script's reach (its connection lives on in the stack).
     */
    private CallResult.Done openAccepted(Syscall call, Socket s) {
        int fd = claimFd(call);
        if (fd < 0 && fds.containsKey(-fd)) fd = -fd;
        if (fd < 0) return CallResult.checked(-fd, "duplicate fd " + -fd + " in script");
        fds.put(fd, s);
        return CallResult.ok(fd);
    }

    /** The descriptor a creating call gets, as {@link #open} picks it; minus the script's number when that is taken. */
    int claimFd(Syscall call) {
        int fd = call.result() instanceof Expr.Num n && n.value() >= 0 ? (int) n.value() : -1;
        if (fd >= 0) return inUse(fd) ? -fd : fd;
        fd = 3;
        while (inUse(fd)) fd++;
        return fd;
    }

    private boolean inUse(int fd) {
        return fds.containsKey(fd) || epoll.owns(fd);
    }

    boolean isSocket(int fd) {
        return fds.containsKey(fd);
    }

    /** The connection behind {@code fd}, or null (epoll compares its state between waits). */
    Connection connection(int fd) {
        Socket s = fds.get(fd);
        return s == null ? null : s.conn;
    }

    /** poll's mask for {@code fd}, for epoll's items. */
    long readiness(int fd) {
        return readiness(fds.get(fd));
    }

    private CallResult bind(Syscall call) throws UnsupportedFeature {
        Socket s = socketOf(call);
        if (s == null) return CallResult.fail("EBADF");
        // inet_bind: a socket already bound (or connected, or listening) cannot bind again.
        if (s.boundPort != 0 || s.conn != null || s.listener != null) return CallResult.fail("EINVAL");
        int port = Args.port(call.arg(1), config.bindPort);
        // The sockaddr packetdrill passes is of the mode's socket domain: an AF_INET socket
        // given a sockaddr_in6 is EAFNOSUPPORT (inet_bind), an AF_INET6 one given a shorter
        // sockaddr_in EINVAL (inet6_bind's length check).
        int given = Args.family(call.arg(1), config.socketDomain());
        if (s.family != given) return CallResult.fail(s.family == AF_INET ? "EAFNOSUPPORT" : "EINVAL");
        // run_syscall_bind: "..." is live_bind_ip, the stack's own address (v4-mapped in
        // ipv4-mapped-ipv6); inet6_bind refuses a v4-mapped one on an IPV6_V6ONLY socket.
        IpAddress address = Args.address(call.arg(1), config.localIp());
        if (s.family == AF_INET6 && address.isV4() && s.options.v6Only) return CallResult.fail("EINVAL");
        try {
            s.binding = stack.bind(address, port, s.options);
        } catch (ErrnoException e) {
            return CallResult.fail(e.errno().name());
        }
        s.boundPort = s.binding.port();
        return CallResult.ok(0);
    }

    private CallResult listen(Syscall call, long now) throws UnsupportedFeature {
        Socket s = socketOf(call);
        if (s == null) return CallResult.fail("EBADF");
        if (s.conn != null) return CallResult.fail("EINVAL");
        if (s.listener != null) return CallResult.ok(0);
        int port = s.boundPort != 0 ? s.boundPort : config.bindPort;
        try {
            int backlog = (int) Args.integer(call.arg(1), 128);
            s.listener = s.binding != null ? stack.listen(s.binding, backlog, s.options, (l, t) -> { })
                    : stack.listen(s.wildcard(), port, backlog, s.options, (l, t) -> { });
            s.binding = null;
        } catch (ErrnoException e) {
            return CallResult.fail(e.errno().name());
        }
        observer.listening(port);
        return CallResult.ok(0);
    }

    private CallResult accept(Syscall call, long now) throws UnsupportedFeature {
        Socket s = socketOf(call);
        if (s == null) return CallResult.fail("EBADF");
        if (s.listener == null) return CallResult.fail("EINVAL");
        return maybeBlock(s, t -> {
            Connection c = s.listener.accept((conn, at) -> new SocketHandler() { });
            if (c == null) return null;
            Socket child = new Socket(c.options(), s.family);
            child.conn = c;
            child.accepted = true;
            child.boundPort = c.tuple().localPort();
            observer.accepted(c);
            return openAccepted(call, child);
        }, now);
    }

    private CallResult connect(Syscall call, long now) throws UnsupportedFeature {
        Socket s = socketOf(call);
        if (s == null) return CallResult.fail("EBADF");
        if (s.listener != null) return CallResult.fail("EISCONN");
        if (s.conn != null) {
            // __inet_stream_connect on a socket that connected before: still in SYN_SENT is
            // EALREADY; a failed attempt reports its error (ECONNABORTED once SO_ERROR took it);
            // the first call after the handshake completed returns 0, later ones EISCONN.
            State st = s.conn.state();
            if (st == State.SYN_SENT) return CallResult.fail("EALREADY");
            boolean first = s.connectInProgress;
            s.connectInProgress = false;
            if (st == State.CLOSED) return failedConnect(first ? s.conn.takeError() : null);
            return first ? CallResult.ok(0) : CallResult.fail("EISCONN");
        }
        // __inet_stream_connect on a connect that TCP_FASTOPEN_CONNECT deferred: the socket counts as connected.
        if (s.deferredTo != null) return CallResult.fail("EISCONN");
        try {
            Destination to = destination(s, call.arg(1));
            if (s.options.fastOpenConnect) return fastOpenConnect(s, to, now);
            s.conn = stack.connect(s.binding, to.address(), to.port(), s.options, new SocketHandler() { }, now);
            s.binding = null;
        } catch (ErrnoException e) {
            return CallResult.fail(e.errno().name());
        }
        return connectStarted(s);
    }

    /** A connect whose SYN is out: nonblocking, EINPROGRESS; blocking, it waits for the handshake. */
    private CallResult connectStarted(Socket s) {
        observer.connecting(s.conn);
        if (s.nonblocking) {
            s.connectInProgress = true;
            return CallResult.fail("EINPROGRESS");
        }
        return new CallResult.Blocked(t -> connectOutcome(s), Long.MAX_VALUE);
    }

    /** A blocking connect returns once the handshake completes or fails (inet_wait_for_connect). */
    private static Done connectOutcome(Socket s) {
        State st = s.conn.state();
        if (st == State.SYN_SENT) return null;
        if (st == State.CLOSED) return failedConnect(s.conn.takeError());
        return CallResult.ok(0);
    }

    /** __inet_stream_connect on a closed socket: its pending error (sock_error), else ECONNABORTED. */
    private static Done failedConnect(Errno pending) {
        return CallResult.fail(pending == null ? "ECONNABORTED" : pending.name());
    }

    // ---- data ----

    private CallResult read(Syscall call, long now) throws UnsupportedFeature {
        Socket s = socketOf(call);
        if (s == null) return CallResult.fail("EBADF");
        int flags = (int) flagsOf(call, "recv");
        if ((flags & ~(MSG_DONTWAIT | MSG_PEEK)) != 0) throw new UnsupportedFeature("recv flags 0x" + Integer.toHexString(flags));
        boolean peek = (flags & MSG_PEEK) != 0;
        if (s.conn == null && s.deferredTo != null) return deferredRead(s);
        if (s.conn == null) return CallResult.fail("ENOTCONN");
        int length = lengthOf(call, 65536);
        boolean nullBuffer = isNull(call.arg(1));
        boolean dontWait = s.nonblocking || (flags & MSG_DONTWAIT) != 0;
        CallResult.Retry attempt = t -> {
            if (s.conn.state() == State.SYN_SENT) return null;
            // tcp_recvmsg: copying to a bad buffer fails with EFAULT and leaves the data queued.
            if (nullBuffer && length > 0 && s.conn.available() > 0) return CallResult.fail("EFAULT");
            try {
                int n = s.conn.receive(new byte[Math.max(length, 0)], 0, Math.max(length, 0), peek, t);
                if (n > 0) return CallResult.ok(n);
                if (n < 0) return CallResult.ok(0);
                return length == 0 ? CallResult.ok(0) : null;
            } catch (ErrnoException e) {
                return CallResult.fail(e.errno().name());
            }
        };
        attempt = ControlMessages.checked(call, s.conn, attempt);
        return dontWait ? orEagain(attempt.attempt(now)) : block(attempt, now);
    }

    /**
     * write/send/sendto/writev/sendmsg as tcp_sendmsg_locked does them: a nonblocking call
     * queues what fits (EAGAIN when nothing does); a blocking one queues what fits, then
     * sleeps in sk_stream_wait_memory until sk_stream_write_space wakes it (free space at
     * least half of what is queued, as poll's POLLOUT), and returns only when all of it is
     * queued, or early with what it queued when an error stops it.
     */
    private CallResult write(Syscall call, long now) throws UnsupportedFeature {
        Socket s = socketOf(call);
        if (s == null) return CallResult.fail("EBADF");
        int flags = (int) flagsOf(call, "send");
        boolean fastOpen = ((flags & MSG_FASTOPEN) != 0 || s.deferredTo != null) && !connectingCompleted(s);
        flags &= ~MSG_FASTOPEN;
        // MSG_NOSIGNAL changes nothing here: jtcp raises no SIGPIPE, so EPIPE is always just the result.
        if ((flags & ~(MSG_DONTWAIT | MSG_MORE | MSG_NOSIGNAL)) != 0) {
            throw new UnsupportedFeature("send flags 0x" + Integer.toHexString(flags));
        }
        boolean more = (flags & MSG_MORE) != 0;
        if (fastOpen) return sendFastOpen(call, s, flags, now);
        // tcp_sendmsg: a socket that never connected gets EPIPE, as sk_stream_wait_connect returns.
        if (s.conn == null) return CallResult.fail("EPIPE");
        int length = lengthOf(call, 0);
        boolean dontWait = s.nonblocking || (flags & MSG_DONTWAIT) != 0;
        CallResult.Retry attempt = sendAttempt(s, isNull(call.arg(1)), length, 0, dontWait, more);
        return dontWait ? orEagain(attempt.attempt(now)) : block(attempt, now);
    }

    /**
     * tcp_sendmsg_fastopen's __inet_stream_connect on a socket still connecting (a nonblocking
     * connect or Fast Open send that no later connect confirmed, SS_CONNECTING) whose handshake
     * has completed: the socket becomes connected and the call sends as a plain send would.
     * On a socket already confirmed connected, MSG_FASTOPEN stays EISCONN ({@link #sendFastOpen}).
     */
    private static boolean connectingCompleted(Socket s) {
        if (s.conn == null || !s.connectInProgress || !s.conn.state().isSynchronized()) return false;
        s.connectInProgress = false;
        return true;
    }

    /**
     * One try of a send of {@code length} bytes of which {@code alreadySent} are out
     * (Fast Open's SYN data): queues what fits, returns null to go on waiting.
     */
    private static CallResult.Retry sendAttempt(Socket s, boolean nullBuffer, int length, int alreadySent, boolean dontWait,
                                                boolean more) {
        int[] queued = {alreadySent};
        boolean[] asleep = {false};
        CallResult.Retry attempt = t -> {
            if (s.conn.state() == State.SYN_SENT) {
                // sk_stream_wait_connect (inet_wait_for_connect for Fast Open) counts a blocked writer in sk_write_pending.
                if (!dontWait) s.conn.writePending(true);
                return null;
            }
            if (asleep[0] && !writeable(s.conn)) return null;
            try {
                if (nullBuffer && length > 0) {
                    s.conn.send(new byte[0], 0, 0, more, t); // the state checks (EPIPE, ...) come before the copy
                    return CallResult.fail("EFAULT");
                }
                queued[0] += s.conn.send(new byte[length - queued[0]], 0, length - queued[0], more, t);
            } catch (ErrnoException e) {
                return queued[0] > 0 ? CallResult.ok(queued[0]) : CallResult.fail(e.errno().name());
            }
            if (queued[0] == length || dontWait && queued[0] > 0) return CallResult.ok(queued[0]);
            asleep[0] = true;
            return null;
        };
        return t -> {
            CallResult.Done done = attempt.attempt(t);
            if (done != null) s.conn.writerReturned(t);
            return done;
        };
    }

    /** sk_stream_is_writeable: free send space at least half of what is queued, and below TCP_NOTSENT_LOWAT's mark. */
    private static boolean writeable(Connection c) {
        int free = c.sendSpace();
        return free > 0 && free >= (c.options().sndBuf - free) / 2 && c.streamMemoryFree(true);
    }

    /** The flags argument: recv/send's 4th, recvmsg/sendmsg's 3rd, none for read/write/readv/writev. */
    private static long flagsOf(Syscall call, String prefix) throws UnsupportedFeature {
        if (call.name().endsWith("msg")) return Args.integer(call.arg(2), 0);
        return call.name().startsWith(prefix) ? Args.integer(call.arg(3), 0) : 0;
    }

    /** The byte count: the iovec's total for readv/writev and for a msghdr's msg_iov, else the 3rd argument. */
    private static int lengthOf(Syscall call, long unspecified) throws UnsupportedFeature {
        if (call.name().equals("readv") || call.name().equals("writev")) return Args.iovecLength(call.arg(1));
        if (!call.name().endsWith("msg")) return (int) Args.integer(call.arg(2), unspecified);
        if (!(call.arg(1) instanceof Expr.Struct msg) || msg.get("msg_iov") == null) {
            throw new UnsupportedFeature(call.name() + " without a msghdr");
        }
        if (msg.get("msg_control") instanceof Expr.Array control && !control.items().isEmpty() && !ControlMessages.expected(call)) {
            throw new UnsupportedFeature("control messages (msg_control)");
        }
        if (msg.get("msg_flags") != null && Args.integer(msg.get("msg_flags"), 0) != 0) {
            throw new UnsupportedFeature("msg_flags " + msg.get("msg_flags").render());
        }
        return Args.iovecLength(msg.get("msg_iov"));
    }

    /** A NULL (or 0) buffer pointer, which the kernel's copy faults on. */
    private static boolean isNull(Expr buffer) {
        return buffer instanceof Expr.Sym sym && sym.name().equals("NULL") || buffer instanceof Expr.Num n && n.value() == 0;
    }

    private CallResult shutdown(Syscall call, long now) throws UnsupportedFeature {
        Socket s = socketOf(call);
        if (s == null) return CallResult.fail("EBADF");
        int how = (int) Args.integer(call.arg(1), SHUT_RDWR);
        if (how < SHUT_RD || how > SHUT_RDWR) return CallResult.fail("EINVAL");
        if (s.listener != null) {
            // inet_shutdown: a listener only reacts to SHUT_RD, by ceasing to listen.
            if (how != SHUT_WR) s.listener.close(now);
            return CallResult.ok(0);
        }
        if (s.conn == null) return CallResult.fail("ENOTCONN");
        try {
            if (how != SHUT_WR) s.conn.shutdownInput(now);
            if (how != SHUT_RD) s.conn.shutdownOutput(now);
        } catch (ErrnoException e) {
            return CallResult.fail(e.errno().name());
        }
        s.readShut |= how != SHUT_WR;
        s.writeShut |= how != SHUT_RD;
        return CallResult.ok(0);
    }

    /**
     * close(2) as tcp_close: SO_LINGER zero aborts (RST, unsent data dropped); a positive
     * SO_LINGER makes the call wait in sk_stream_wait_close, O_NONBLOCK or not, until our
     * FIN is acknowledged or the linger time has passed.
     */
    private CallResult close(Syscall call, long now) throws UnsupportedFeature {
        int fd = (int) Args.integer(call.arg(0), -1);
        if (epoll.close(fd)) return CallResult.ok(0);
        Socket s = fds.remove(fd);
        if (s == null) return CallResult.fail("EBADF");
        if (s.listener != null) s.listener.close(now);
        if (s.binding != null) stack.unbind(s.binding);
        if (s.conn == null) return CallResult.ok(0);
        Connection c = s.conn;
        Duration linger = c.options().linger;
        if (linger != null && linger.isZero()) {
            c.abort(now);
            return CallResult.ok(0);
        }
        c.close(now);
        if (linger == null) return CallResult.ok(0);
        long deadline = now + linger.toNanos();
        CallResult.Retry finAcked = t -> !closing(c.state()) || t >= deadline ? CallResult.ok(0) : null;
        Done d = finAcked.attempt(now);
        return d != null ? d : new CallResult.Blocked(finAcked, deadline);
    }

    /** sk_stream_closing: our FIN is still unacknowledged. */
    private static boolean closing(State st) {
        return st == State.FIN_WAIT_1 || st == State.CLOSING || st == State.LAST_ACK;
    }

    // ---- options ----

    private CallResult setsockopt(Syscall call, long now) throws UnsupportedFeature {
        Socket s = socketOf(call);
        if (s == null) return CallResult.fail("EBADF");
        int level = (int) Args.integer(call.arg(1), -1);
        int name = (int) Args.integer(call.arg(2), -1);
        Expr value = call.arg(3);
        SocketOptions o = optionsOf(s);
        long v = value instanceof Expr.Struct || value instanceof Expr.Str ? 0 : Args.integer(value, 0);
        if (level == SOL_SOCKET) {
            switch (name) {
                case SO_REUSEADDR -> o.reuseAddr = v != 0;
                case SO_REUSEPORT -> throw new UnsupportedFeature("SO_REUSEPORT");
                case SO_KEEPALIVE -> o.keepAlive = v != 0;
                case SO_LINGER -> {
                    if (!(value instanceof Expr.Struct st)) return CallResult.fail("EINVAL");
                    boolean on = Args.integer(st.get("onoff"), 0) != 0;
                    o.linger = on ? Duration.ofSeconds(Args.integer(st.get("linger"), 0)) : null;
                }
                case SO_RCVBUF -> o.setRcvBuf((int) v);
                case SO_SNDBUF -> o.setSndBuf((int) v);
                default -> throw new UnsupportedFeature("setsockopt SOL_SOCKET " + Args.describe(call.arg(2)));
            }
        } else if (level == IPPROTO_TCP) {
            switch (name) {
                case TCP_NODELAY -> o.setNoDelay(v != 0);
                case TCP_MAXSEG -> o.maxSeg = (int) v;
                case TCP_KEEPIDLE -> o.keepIdle = Duration.ofSeconds(v);
                case TCP_KEEPINTVL -> o.keepIntvl = Duration.ofSeconds(v);
                case TCP_KEEPCNT -> o.keepCnt = (int) v;
                case TCP_USER_TIMEOUT -> o.userTimeout = Duration.ofMillis(v);
                case TCP_SYNCNT -> {
                    if (v < 1 || v > SocketOptions.MAX_SYNCNT) return CallResult.fail("EINVAL");
                    o.synCnt = (int) v;
                }
                // do_tcp_setsockopt: a negative TCP_LINGER2 means "no FIN_WAIT_2 wait at all".
                case TCP_LINGER2 -> o.linger2 = v < 0 ? Duration.ZERO : v == 0 ? null : Duration.ofSeconds(v);
                case TCP_CORK -> o.cork = v != 0;
                // do_tcp_setsockopt keeps any value, a negative one as none.
                case TCP_DEFER_ACCEPT -> o.deferAccept = (int) Math.max(v, 0);
                // An action on the connection, not a stored option; before connect there is nothing to change.
                case TCP_QUICKACK -> {
                    if (s.conn != null) s.conn.setQuickAck(v != 0, now);
                }
                case TCP_FASTOPEN_CONNECT, TCP_FASTOPEN_NO_COOKIE -> {
                    return setFastOpenClient(s, name, v);
                }
                case TCP_FASTOPEN, TCP_FASTOPEN_KEY -> {
                    return setFastOpen(s, name, value, (int) Args.integer(call.arg(4), 0), v);
                }
                case SocketFeatureSymbols.TCP_INQ -> o.inq = v != 0;
                case CongestionName.TCP_CONGESTION -> {
                    io.jtcp.config.CongestionAlgorithm named = CongestionName.named(value, Args.integer(call.arg(4), 0));
                    if (named == null) return CallResult.fail("ENOENT");
                    o.congestion = named;
                }
                // do_tcp_setsockopt stores any value; a negative one reads back as a huge unsigned mark.
                case SocketFeatureSymbols.TCP_NOTSENT_LOWAT -> o.notsentLowat = v < 0 ? Integer.MAX_VALUE : (int) v;
                default -> throw new UnsupportedFeature("setsockopt IPPROTO_TCP " + Args.describe(call.arg(2)));
            }
        } else if (level == SocketFeatureSymbols.SOL_IP && name == SocketFeatureSymbols.IP_FREEBIND) {
            // IP_FREEBIND lets bind take an address not (yet) on an interface; this runner's bind
            // always takes the stack's own address, so the flag is accepted and has nothing to change.
            if (v < 0) return CallResult.fail("EINVAL");
        } else if (level == SocketFeatureSymbols.IPPROTO_IPV6 && name == SocketFeatureSymbols.IPV6_V6ONLY) {
            // An AF_INET socket's ip_setsockopt knows no IPv6 level; do_ipv6_setsockopt refuses
            // the change once the socket has a port (inet_num), since the bind table holds it.
            if (s.family != AF_INET6) return CallResult.fail("ENOPROTOOPT");
            if (s.boundPort != 0 || s.listener != null || s.conn != null) return CallResult.fail("EINVAL");
            o.v6Only = v != 0;
        } else {
            throw new UnsupportedFeature("setsockopt level " + Args.describe(call.arg(1)));
        }
        if (s.conn != null) s.conn.optionsChanged(now);
        return CallResult.ok(0);
    }

    private CallResult getsockopt(Syscall call, long now) throws UnsupportedFeature {
        Socket s = socketOf(call);
        if (s == null) return CallResult.fail("EBADF");
        int level = (int) Args.integer(call.arg(1), -1);
        int name = (int) Args.integer(call.arg(2), -1);
        if (level == IPPROTO_TCP && name == TCP_INFO) return tcpInfo(s, call.arg(3), now);
        SocketOptions o = optionsOf(s);
        if (level == IPPROTO_TCP && name == CongestionName.TCP_CONGESTION) {
            // What runs: a connection's algorithm, else the one set, else the sysctl's (tcp_init_sock's).
            io.jtcp.config.CongestionAlgorithm live = s.conn != null
                    ? io.jtcp.config.CongestionAlgorithm.named(s.conn.status(now).congestion())
                    : o.congestion != null ? o.congestion : stack.sysctls().tcpCongestionControl();
            return CongestionName.check(live, call.arg(3), call.arg(4));
        }
        long actual;
        if (level == SOL_SOCKET) {
            actual = switch (name) {
                case SO_ERROR -> takeSoError(s);
                case SO_REUSEADDR -> o.reuseAddr ? 1 : 0;
                case SO_KEEPALIVE -> o.keepAlive ? 1 : 0;
                case SO_RCVBUF -> o.rcvBuf;
                case SO_SNDBUF -> o.sndBuf;
                default -> throw new UnsupportedFeature("getsockopt SOL_SOCKET " + Args.describe(call.arg(2)));
            };
        } else if (level == IPPROTO_TCP) {
            actual = switch (name) {
                case TCP_NODELAY -> o.noDelay ? 1 : 0;
                case TCP_QUICKACK -> s.conn == null || s.conn.quickAck() ? 1 : 0;
                case TCP_MAXSEG -> s.conn != null && s.conn.state().isSynchronized() ? s.conn.status(now).sndMss()
                        : o.maxSeg > 0 ? o.maxSeg : 536;
                case TCP_KEEPIDLE -> o.keepIdle.toSeconds();
                case TCP_KEEPINTVL -> o.keepIntvl.toSeconds();
                case TCP_KEEPCNT -> o.keepCnt;
                case TCP_USER_TIMEOUT -> o.userTimeout.toMillis();
                case TCP_SYNCNT -> o.synCnt > 0 ? o.synCnt : stack.sysctls().tcpSynRetries();
                case TCP_LINGER2 -> (o.linger2 == null ? stack.sysctls().tcpFinTimeout() : o.linger2).toSeconds();
                case TCP_CORK -> o.cork ? 1 : 0;
                case TCP_DEFER_ACCEPT -> s.accepted ? 0 : o.deferAcceptReported(stack.sysctls());
                case SocketFeatureSymbols.TCP_INQ -> o.inq ? 1 : 0;
                case SocketFeatureSymbols.TCP_NOTSENT_LOWAT -> o.notsentLowat;
                default -> throw new UnsupportedFeature("getsockopt IPPROTO_TCP " + Args.describe(call.arg(2)));
            };
        } else if (level == SocketFeatureSymbols.IPPROTO_IPV6 && name == SocketFeatureSymbols.IPV6_V6ONLY) {
            if (s.family != AF_INET6) return CallResult.fail("ENOPROTOOPT");
            actual = o.v6Only ? 1 : 0;
        } else {
            throw new UnsupportedFeature("getsockopt level " + Args.describe(call.arg(1)));
        }
        Expr expected = call.arg(3);
        String mismatch = null;
        if (!(expected instanceof Expr.Ellipsis) && !(expected instanceof Expr.Struct)) {
            long want = Args.integer(expected, actual);
            if (want != actual) mismatch = "Bad getsockopt optval: expected: " + want + " actual: " + actual;
        }
        return CallResult.checked(0, mismatch);
    }

    /**
     * SO_ERROR: the error that ended the connection (tcp_reset's ECONNREFUSED in SYN_SENT,
     * EPIPE in CLOSE_WAIT, ECONNRESET elsewhere; a timeout's ETIMEDOUT), cleared by reading
     * it as sock_error does.
     */
    private static long takeSoError(Socket s) {
        Errno e = s.conn == null ? null : s.conn.takeError();
        return e == null ? 0 : e.number();
    }

    /**
     * getsockopt(TCP_INFO). packetdrill itself compares only ints and strings and leaves
     * struct tcp_info to {@code %{ }%} blocks; here a struct such as
     * {@code {tcpi_state=TCP_ESTABLISHED, tcpi_snd_mss=1460}} is also accepted, each named
     * field compared with the live one. {@code ...} checks nothing.
     */
    private static CallResult tcpInfo(Socket s, Expr expected, long now) throws UnsupportedFeature {
        if (s.conn == null) throw new UnsupportedFeature("TCP_INFO of a socket without a connection");
        Map<String, Long> live = s.conn.tcpInfo(now).asMap();
        if (expected instanceof Expr.Ellipsis) return CallResult.ok(0);
        if (!(expected instanceof Expr.Struct want)) throw new UnsupportedFeature("TCP_INFO compared with " + expected.render());
        StringBuilder mismatch = new StringBuilder();
        for (Expr.Field f : want.fields()) {
            Long actual = live.get(f.name());
            if (actual == null) throw new UnsupportedFeature("TCP_INFO field " + f.name());
            if (f.value() instanceof Expr.Ellipsis) continue;
            long w = Args.integer(f.value(), actual);
            if (w != actual) {
                mismatch.append(mismatch.isEmpty() ? "Bad getsockopt TCP_INFO:" : ",").append(' ').append(f.name())
                        .append(" expected: ").append(w).append(" actual: ").append(actual);
            }
        }
        return CallResult.checked(0, mismatch.isEmpty() ? null : mismatch.toString());
    }

    private CallResult fcntl(Syscall call) throws UnsupportedFeature {
        Socket s = socketOf(call);
        if (s == null) return CallResult.fail("EBADF");
        int cmd = (int) Args.integer(call.arg(1), -1);
        if (cmd == F_GETFL) return CallResult.ok(O_RDWR | (s.nonblocking ? O_NONBLOCK : 0));
        if (cmd == F_SETFL) {
            s.nonblocking = (Args.integer(call.arg(2), 0) & O_NONBLOCK) != 0;
            return CallResult.ok(0);
        }
        throw new UnsupportedFeature("fcntl " + Args.describe(call.arg(1)));
    }

    private CallResult ioctl(Syscall call, long now) throws UnsupportedFeature {
        Socket s = socketOf(call);
        if (s == null) return CallResult.fail("EBADF");
        Ioctl request = switch ((int) Args.integer(call.arg(1), -1)) {
            case SIOCINQ -> Ioctl.SIOCINQ;
            case SIOCOUTQ -> Ioctl.SIOCOUTQ;
            case SIOCOUTQNSD -> Ioctl.SIOCOUTQNSD;
            default -> throw new UnsupportedFeature("ioctl " + Args.describe(call.arg(1)));
        };
        // tcp_ioctl: the queues are EINVAL on a listener; an unconnected socket has empty ones.
        if (s.listener != null) return CallResult.fail("EINVAL");
        long actual;
        try {
            actual = s.conn == null ? 0 : s.conn.ioctl(request);
        } catch (ErrnoException e) {
            return CallResult.fail(e.errno().name());
        }
        long want = Args.integer(call.arg(2), actual);
        return CallResult.checked(0, want == actual ? null : "Bad ioctl optval: expected: " + want + " actual: " + actual);
    }

    // ---- poll ----

    private CallResult poll(Syscall call, long now) throws UnsupportedFeature {
        if (!(call.arg(0) instanceof Expr.Array list)) throw new UnsupportedFeature("poll without a pollfd array");
        long timeoutMs = Args.integer(call.arg(2), 0);
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : now + timeoutMs * 1_000_000;
        CallResult.Retry attempt = t -> {
            Done d = pollOnce(list.items());
            return d.value() > 0 || t >= deadline ? d : null;
        };
        Done first = attempt.attempt(now);
        if (first != null) return first;
        return new CallResult.Blocked(attempt, deadline);
    }

    private Done pollOnce(List<Expr> items) throws UnsupportedFeature {
        int ready = 0;
        StringBuilder mismatch = new StringBuilder();
        for (Expr item : items) {
            if (!(item instanceof Expr.Struct pfd)) throw new UnsupportedFeature("poll entry " + item.render());
            int fd = (int) Args.integer(pfd.get("fd"), -1);
            long events = Args.integer(pfd.get("events"), 0);
            long revents = readiness(fds.get(fd)) & (events | POLLERR | POLLHUP | POLLNVAL);
            if (revents != 0) ready++;
            Expr want = pfd.get("revents");
            if (want != null && !(want instanceof Expr.Ellipsis) && Args.integer(want, revents) != revents) {
                mismatch.append("poll: fd ").append(fd).append(" revents: expected: ").append(Args.integer(want, 0))
                        .append(" actual: ").append(revents);
            }
        }
        return CallResult.checked(ready, mismatch.isEmpty() ? null : mismatch.toString());
    }

    /**
     * tcp_poll's mask for one socket. tcp_done (a reset, a timeout, the hand-off to
     * TIME_WAIT) shuts both directions, so a finished connection is readable (end of
     * stream) and writable (the write fails at once) besides POLLHUP; POLLERR shows while
     * the error is pending (sk_err), until a call or SO_ERROR takes it.
     */
    private long readiness(Socket s) {
        if (s == null) return POLLNVAL;
        if (s.listener != null) return s.listener.acceptQueueLength() > 0 ? POLLIN | POLLRDNORM : 0;
        // tcp_poll: a connect deferred by TCP_FASTOPEN_CONNECT is writable, so the application sends the SYN's data.
        if (s.conn == null && s.deferredTo != null) return POLLOUT | POLLWRNORM;
        if (s.conn == null) return POLLOUT | POLLWRNORM | POLLHUP;
        Connection c = s.conn;
        State st = c.state();
        boolean done = st == State.CLOSED || st == State.TIME_WAIT;
        long mask = c.pendingError() != null ? POLLERR : 0;
        if (done || s.readShut && s.writeShut) mask |= POLLHUP;
        if (st == State.SYN_SENT || st == State.SYN_RECEIVED) return mask;
        if (done || c.receiveShutdown()) mask |= POLLIN | POLLRDNORM | POLLRDHUP;
        if (c.available() > 0) mask |= POLLIN | POLLRDNORM;
        if (done || s.writeShut || writeable(c)) mask |= POLLOUT | POLLWRNORM;
        return mask;
    }

    // ---- blocking ----

    private static CallResult maybeBlock(Socket s, CallResult.Retry attempt, long now) throws UnsupportedFeature {
        Done d = attempt.attempt(now);
        if (d != null) return d;
        return s.nonblocking ? CallResult.fail("EAGAIN") : new CallResult.Blocked(attempt, Long.MAX_VALUE);
    }

    private static CallResult block(CallResult.Retry attempt, long now) throws UnsupportedFeature {
        Done d = attempt.attempt(now);
        return d != null ? d : new CallResult.Blocked(attempt, Long.MAX_VALUE);
    }

    private static Done orEagain(Done d) {
        return d != null ? d : CallResult.fail("EAGAIN");
    }

    /** The options a setsockopt changes: the connection's, the listener's (which later SYNs copy), or the bare socket's. */
    private static SocketOptions optionsOf(Socket s) {
        return s.conn != null ? s.conn.options() : s.listener != null ? s.listener.options() : s.options;
    }

    private Socket socketOf(Syscall call) throws UnsupportedFeature {
        return fds.get((int) Args.integer(call.arg(0), -1));
    }

    /**
     * TCP_FASTOPEN (a listener's Fast Open queue length) and TCP_FASTOPEN_KEY (its own
     * cookie key, 16 bytes, or 32 with a backup: EINVAL otherwise), as do_tcp_setsockopt
     * takes them. They belong to the listener, so one set after listen() reaches it too.
     */
    private static CallResult setFastOpen(Socket s, int name, Expr value, int optlen, long v) throws UnsupportedFeature {
        if (s.conn != null) return CallResult.fail("EINVAL");
        List<SocketOptions> targets = s.listener == null ? List.of(s.options) : List.of(s.options, s.listener.options());
        if (name == TCP_FASTOPEN) {
            if (v < 0) return CallResult.fail("EINVAL");
            for (SocketOptions o : targets) o.fastOpenQlen = (int) v;
            return CallResult.ok(0);
        }
        if (!(value instanceof Expr.Str str)) throw new UnsupportedFeature("TCP_FASTOPEN_KEY from " + Args.describe(value));
        byte[] raw = cEscapes(str.value());
        if (optlen != FastOpenKeys.KEY_LENGTH && optlen != 2 * FastOpenKeys.KEY_LENGTH || raw.length < optlen) {
            return CallResult.fail("EINVAL");
        }
        FastOpenKeys keys = FastOpenKeys.ofBytes(java.util.Arrays.copyOf(raw, optlen));
        for (SocketOptions o : targets) o.fastOpenKey = keys;
        return CallResult.ok(0);
    }

    // ---- TCP Fast Open's client side ----

    /**
     * connect() under TCP_FASTOPEN_CONNECT (tcp_fastopen_defer_connect): with a cookie
     * for the destination (or none needed) it returns 0 at once and the first send
     * makes the SYN with data; without one it is an ordinary connect whose SYN asks for a cookie.
     */
    private CallResult fastOpenConnect(Socket s, Destination to, long now) {
        if (stack.fastOpenDefersConnect(to.address(), s.options)) {
            s.deferredTo = to;
            return CallResult.ok(0);
        }
        try {
            s.conn = stack.connectFastOpen(s.binding, to.address(), to.port(), s.options, new SocketHandler() { }, new byte[0], 0, 0, now).conn();
            s.binding = null;
        } catch (ErrnoException e) {
            return CallResult.fail(e.errno().name());
        }
        return connectStarted(s);
    }

    /**
     * sendto/sendmsg with MSG_FASTOPEN, or any send after a deferred TCP_FASTOPEN_CONNECT
     * connect, as tcp_sendmsg_fastopen: connect with the data's head in the SYN. A
     * nonblocking call returns what the SYN took, or EINPROGRESS when it took nothing; a
     * blocking one waits for the handshake (its failure is the call's error) and then
     * sends the rest. On a socket already connecting or connected it is connect()'s error.
     */
    private CallResult sendFastOpen(Syscall call, Socket s, int flags, long now) throws UnsupportedFeature {
        Expr addr = call.name().equals("sendto") ? call.arg(4) : null;
        if (addr instanceof Expr.Sym sym && sym.name().equals("AF_UNSPEC")) return CallResult.fail("EOPNOTSUPP");
        if (s.conn != null) {
            State st = s.conn.state();
            return CallResult.fail(st == State.SYN_SENT || st == State.SYN_RECEIVED ? "EALREADY" : "EISCONN");
        }
        int length = lengthOf(call, 0);
        boolean nullBuffer = isNull(call.arg(1));
        int carried;
        try {
            Destination to = s.deferredTo != null ? s.deferredTo : destination(s, addr);
            Stack.FastOpenStart start = stack.connectFastOpen(s.binding, to.address(), to.port(), s.options, new SocketHandler() { },
                    new byte[Math.max(length, 0)], 0, nullBuffer ? 0 : Math.max(length, 0), now);
            s.conn = start.conn();
            s.binding = null;
            carried = start.synData();
        } catch (ErrnoException e) {
            return CallResult.fail(e.errno().name());
        }
        s.deferredTo = null;
        observer.connecting(s.conn);
        if (s.nonblocking || (flags & MSG_DONTWAIT) != 0) {
            s.connectInProgress = true;
            return carried > 0 ? CallResult.ok(carried) : CallResult.fail("EINPROGRESS");
        }
        CallResult.Retry rest = sendAttempt(s, nullBuffer, length, carried, false, (flags & MSG_MORE) != 0);
        return block(t -> {
            // inet_wait_for_connect: a handshake that fails is the call's error, whatever the SYN carried.
            if (s.conn.state() == State.CLOSED && s.conn.error() != null) return CallResult.fail(s.conn.error().name());
            return rest.attempt(t);
        }, now);
    }

    /** A read on a socket whose connect is deferred: it is still connecting (SYN_SENT to Linux). */
    private static CallResult deferredRead(Socket s) throws UnsupportedFeature {
        if (s.nonblocking) return CallResult.fail("EAGAIN");
        throw new UnsupportedFeature("blocking read before a deferred Fast Open connect");
    }

    /** TCP_FASTOPEN_CONNECT and TCP_FASTOPEN_NO_COOKIE as do_tcp_setsockopt checks them. */
    private CallResult setFastOpenClient(Socket s, int name, long v) {
        if (v < 0 || v > 1) return CallResult.fail("EINVAL");
        if (name == TCP_FASTOPEN_CONNECT) {
            if ((stack.sysctls().tcpFastopen() & 0x1) == 0) return CallResult.fail("EOPNOTSUPP");
            if (s.conn != null || s.listener != null || s.deferredTo != null) return CallResult.fail("EINVAL");
            s.options.fastOpenConnect = v != 0;
        } else {
            if (s.conn != null || s.deferredTo != null) return CallResult.fail("EINVAL");
            s.options.fastOpenNoCookie = v != 0;
        }
        return CallResult.ok(0);
    }

    /** A script string's bytes with C's escapes ({@code \xNN}, {@code \n}, {@code \\}) decoded. */
    static byte[] cEscapes(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 3 < text.length() && text.charAt(i + 1) == 'x') {
                out.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
                i += 3;
            } else if (c == '\\' && i + 1 < text.length()) {
                char e = text.charAt(++i);
                out.write(e == 'n' ? '\n' : e == 't' ? '\t' : e == '0' ? 0 : e);
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
