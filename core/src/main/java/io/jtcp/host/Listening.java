package io.jtcp.host;

import io.jtcp.tcp.Connection;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.wire.IpAddress;
import java.util.ArrayDeque;
import java.util.function.IntSupplier;

/**
 * A listening socket: the port it holds, its SYN queue (connections still in
 * SYN_RECEIVED) and its accept queue (established connections the application
 * has not taken yet), bounded as Linux bounds them: the SYN queue by
 * tcp_max_syn_backlog, the accept queue by listen(2)'s backlog capped at
 * somaxconn. Each connection starts with the listener's socket options, shared until one
 * side writes to them ({@link SocketOptions#share}).
 */
public final class Listening {
    final Stack stack;
    /** The address it is bound to: one of the host's, or a wildcard (0.0.0.0, ::). */
    final IpAddress address;
    final int port;
    final int backlog;
    /** Read freely; written only through {@link #options()}, since the children share this object. */
    SocketOptions options;
    final ListenHandler handler;
    final ArrayDeque<Endpoint> acceptQueue = new ArrayDeque<>();
    int synQueueLength;
    /** Fast Open children still in SYN_RECEIVED (Linux's fastopenq.qlen), bounded by {@link FastOpenServer#maxQueue}. */
    int fastOpenQueueLength;
    boolean closed;
    /**
     * Whether the "Possible SYN flooding" warning was logged for this listener: once in its
     * life, as Linux's tcp_syn_flood_action does with the request queue's synflood_warned.
     */
    boolean synFloodWarned;
    /** When this listener last answered a SYN with a cookie (Linux's last_overflow); MIN_VALUE: never. */
    long lastCookieAt = Long.MIN_VALUE;
    /** Connections the socket layer took ahead of accept(2) calls: see {@link #countTakenAhead}. */
    private IntSupplier takenAhead = () -> 0;

    Listening(Stack stack, IpAddress address, int port, int backlog, SocketOptions options, ListenHandler handler) {
        this.stack = stack;
        this.address = address;
        this.port = port;
        this.backlog = backlog;
        this.options = options;
        this.handler = handler;
    }

    public int port() { return port; }

    public IpAddress address() { return address; }

    /** Whether a SYN to {@code dst} may come to this listener (its address, or a wildcard covering it). */
    boolean takes(IpAddress dst) {
        return address.equals(dst) || BindTable.covers(address, options.v6Only, dst);
    }

    /**
     * The listener's own options, live: setsockopt on a listener reaches every connection
     * made from a later SYN (Linux keeps them in the listening sock; tcp_openreq_init and
     * tcp_create_openreq_child copy user_mss and the rest into each request and child).
     */
    public SocketOptions options() { return options = options.writable(); }

    /** The accept queue's bound: listen(2)'s backlog, capped by somaxconn. */
    public int backlog() { return backlog; }

    /** Established connections the application has not accepted yet, those taken ahead included. */
    public int acceptQueueLength() { return acceptQueue.size() + takenAhead.getAsInt(); }

    /**
     * A socket layer that takes established connections out of the queue in batches,
     * ahead of the accept(2) calls that will return them, reports here how many it still
     * holds: the application has not accepted those, so, as on Linux where they would still
     * sit in the accept queue, they count against the backlog (SYNs and final ACKs are
     * dropped past it) and in ss's Recv-Q. Read on the stack's thread, so it must be
     * safe to call there.
     */
    public void countTakenAhead(IntSupplier held) { this.takenAhead = java.util.Objects.requireNonNull(held); }

    public int synQueueLength() { return synQueueLength; }

    /** Linux counts the queue full only past the backlog: listen(fd, 0) still takes one connection. */
    boolean acceptQueueFull() {
        return acceptQueueLength() > backlog;
    }

    /**
     * Linux's tcp_synq_no_recent_overflow, negated: only a listener that sent cookies
     * within TCP_SYNCOOKIE_VALID (two cookie lifetimes) reads an ACK as a possible
     * cookie; any other stray ACK just gets the LISTEN state's RST.
     */
    boolean sentCookiesRecently(long now) {
        return lastCookieAt != Long.MIN_VALUE
                && now - lastCookieAt <= SynCookies.MAX_AGE_SLOTS * SynCookies.SLOT_NANOS;
    }

    /**
     * Takes the oldest established connection, or returns null if none waits. The
     * handler {@code acceptor} returns is told at once that the connection is
     * established, and readable if data or a FIN came while it waited.
     */
    public Connection accept(AcceptHandler acceptor) {
        Endpoint ep = acceptQueue.poll();
        if (ep == null) return null;
        long now = ep.conn.now();
        ep.handler = acceptor.accepted(ep.conn, now);
        if (ep.handler != null) {
            ep.handler.established(ep.conn, now);
            if (ep.conn.available() > 0 || ep.conn.atEndOfStream()) ep.handler.readable(ep.conn, now);
        }
        return ep.conn;
    }

    /**
     * Stops listening. Connections in the accept queue are reset, as Linux's
     * inet_csk_listen_stop resets them; requests still in SYN_RECEIVED are dropped when
     * their timer or a segment next reaches them ({@link ListenerInput#dropOrphanedRequest}).
     */
    public void close(long now) {
        stack.closeListener(this, now);
    }
}
