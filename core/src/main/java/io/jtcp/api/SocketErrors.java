package io.jtcp.api;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * The one home of the rule "which exception would a JDK socket throw here": from an
 * {@link Errno} to the JDK's type and message, each exception still carrying the errno
 * ({@link ErrnoCarrier}).
 *
 * <p>The table follows the JDK on Linux. Its NIO layer ({@code sun.nio.ch.Net}'s
 * handleSocketError) makes ECONNREFUSED a {@link ConnectException}, EHOSTUNREACH a
 * {@link NoRouteToHostException}, EADDRINUSE and EADDRNOTAVAIL a {@link BindException},
 * with strerror's text as the message; ETIMEDOUT and ENOTCONN are ConnectExceptions when
 * connect(2) fails with them and plain SocketExceptions otherwise. The socket
 * implementation ({@code NioSocketImpl}) says "Socket closed" for a closed socket and
 * "Connection reset" for ECONNRESET; everything else is a {@link SocketException} with
 * strerror's text. The engine's {@link ErrnoException}, with its detail, is the cause.
 *
 * <p>The NIO forms (ClosedChannelException and its kin, the unchecked
 * NotYetConnectedException and its kin) have no message in the JDK; theirs carry the
 * errno Linux gives for the same mistake.
 */
public final class SocketErrors {
    private SocketErrors() {}

    /** What a failed call other than connect(2) throws for {@code errno}. */
    public static SocketException of(Errno errno, String detail) {
        return typed(errno, false, new ErrnoException(errno, detail));
    }

    /**
     * What a failed datagram call throws: an ECONNREFUSED (an ICMP port unreachable reported
     * to a connected UDP socket) is the {@link PortUnreachableException} the JDK's
     * DatagramChannel and DatagramSocket throw; anything else as {@link #of}. An exception
     * already typed is returned as it is.
     */
    public static Throwable typedDatagram(Throwable t) {
        if (t instanceof ErrnoException e && !e.jdkTyped() && e.errno() == Errno.ECONNREFUSED) {
            PortUnreachable p = new PortUnreachable(e.errno().text(), e.errno());
            p.initCause(e);
            return p;
        }
        return typed(t, false);
    }

    /** What a failed connect(2) throws for {@code errno}. */
    public static SocketException ofConnect(Errno errno, String detail) {
        return typed(errno, true, new ErrnoException(errno, detail));
    }

    /**
     * The JDK-typed form of {@code t}: an engine {@link ErrnoException} becomes the
     * exception of the table above, anything else (already typed, or not an errno) is
     * returned as it is.
     */
    static Throwable typed(Throwable t, boolean connecting) {
        if (t instanceof ErrnoException e && !e.jdkTyped()) return typed(e.errno(), connecting, e);
        return t;
    }

    private static SocketException typed(Errno errno, boolean connecting, ErrnoException cause) {
        String text = errno.text();
        SocketException e = switch (errno) {
            case ECONNREFUSED -> new Connect(text, errno);
            case ETIMEDOUT, ENOTCONN -> connecting ? new Connect(text, errno) : new ErrnoException(text, errno, cause);
            case EHOSTUNREACH, ENETUNREACH -> new NoRoute(text, errno);
            case EADDRINUSE, EADDRNOTAVAIL -> new Bind(text, errno);
            case EBADF -> new ErrnoException("Socket closed", errno, cause);
            case ECONNRESET -> new ErrnoException("Connection reset", errno, cause);
            default -> new ErrnoException(text, errno, cause);
        };
        if (e.getCause() == null) e.initCause(cause);
        return e;
    }

    /** A blocking call on a virtual thread was interrupted and closed the socket (java.net's words; errno EINTR). */
    public static SocketException closedByInterrupt() {
        return new ErrnoException("Closed by interrupt", Errno.EINTR, null);
    }

    /** SO_TIMEOUT passed in read: the socket stays usable (errno EAGAIN, what SO_RCVTIMEO gives on Linux). */
    public static SocketTimeoutException readTimedOut() {
        return new Timeout("Read timed out", Errno.EAGAIN);
    }

    /** SO_TIMEOUT passed in accept: the listener stays usable (errno EAGAIN). */
    public static SocketTimeoutException acceptTimedOut() {
        return new Timeout("Accept timed out", Errno.EAGAIN);
    }

    /** A connect with a timeout gave up (errno ETIMEDOUT). */
    public static SocketTimeoutException connectTimedOut() {
        return new Timeout("Connect timed out", Errno.ETIMEDOUT);
    }

    /** A name that did not resolve; no syscall was made, so the errno is connect(2)'s EINVAL for an unusable address. */
    public static UnknownHostException unknownHost(String host) {
        return new UnknownHost(host, Errno.EINVAL);
    }

    // ---- NIO ----

    /** The channel is closed (EBADF). */
    public static ClosedChannelException closedChannel() {
        return carrying(new ClosedChannel(), Errno.EBADF);
    }

    /** Another thread closed the channel while this one was blocked in it (EBADF). */
    public static AsynchronousCloseException asynchronousClose() {
        return carrying(new AsynchronousClose(), Errno.EBADF);
    }

    /** The blocked thread was interrupted, which closed the channel (EINTR). */
    public static ClosedByInterruptException channelClosedByInterrupt() {
        return carrying(new ClosedByInterrupt(), Errno.EINTR);
    }

    /** Read or write before connect (ENOTCONN). */
    public static NotYetConnectedException notYetConnected() {
        return carrying(new NotYetConnected(), Errno.ENOTCONN);
    }

    /** connect on a connected channel (EISCONN). */
    public static AlreadyConnectedException alreadyConnected() {
        return carrying(new AlreadyConnected(), Errno.EISCONN);
    }

    /** connect while a non-blocking connect is in progress (EALREADY). */
    public static ConnectionPendingException connectionPending() {
        return carrying(new ConnectionPending(), Errno.EALREADY);
    }

    /** finishConnect with no connect started (ENOTCONN). */
    public static NoConnectionPendingException noConnectionPending() {
        return carrying(new NoConnectionPending(), Errno.ENOTCONN);
    }

    /** bind on a bound channel (EINVAL, as bind(2) answers). */
    public static AlreadyBoundException alreadyBound() {
        return carrying(new AlreadyBound(), Errno.EINVAL);
    }

    /** accept on an unbound server channel (EINVAL, as accept(2) answers before listen). */
    public static NotYetBoundException notYetBound() {
        return carrying(new NotYetBound(), Errno.EINVAL);
    }

    /** An unresolved address given to a channel (EINVAL). */
    public static UnresolvedAddressException unresolvedAddress() {
        return carrying(new UnresolvedAddress(), Errno.EINVAL);
    }

    /** An address jtcp's IPv4-only sockets cannot use (EAFNOSUPPORT, what Linux gives an AF_INET socket). */
    public static UnsupportedAddressTypeException unsupportedAddressType() {
        return carrying(new UnsupportedAddressType(), Errno.EAFNOSUPPORT);
    }

    /** The NIO exceptions have only no-argument constructors, so the errno is set after. */
    private interface Settable extends ErrnoCarrier {
        void errno(Errno e);
    }

    private static <X extends Throwable & Settable> X carrying(X x, Errno errno) {
        x.errno(errno);
        return x;
    }

    // ---- the types: JDK exceptions with an errno ----

    private static final class Connect extends ConnectException implements ErrnoCarrier {
        private final Errno errno;
        Connect(String m, Errno e) { super(m); errno = e; }
        @Override public Errno errno() { return errno; }
    }

    private static final class PortUnreachable extends PortUnreachableException implements ErrnoCarrier {
        private final Errno errno;
        PortUnreachable(String m, Errno e) { super(m); errno = e; }
        @Override public Errno errno() { return errno; }
    }

    private static final class Bind extends BindException implements ErrnoCarrier {
        private final Errno errno;
        Bind(String m, Errno e) { super(m); errno = e; }
        @Override public Errno errno() { return errno; }
    }

    private static final class NoRoute extends NoRouteToHostException implements ErrnoCarrier {
        private final Errno errno;
        NoRoute(String m, Errno e) { super(m); errno = e; }
        @Override public Errno errno() { return errno; }
    }

    private static final class Timeout extends SocketTimeoutException implements ErrnoCarrier {
        private final Errno errno;
        Timeout(String m, Errno e) { super(m); errno = e; }
        @Override public Errno errno() { return errno; }
    }

    private static final class UnknownHost extends UnknownHostException implements ErrnoCarrier {
        private final Errno errno;
        UnknownHost(String m, Errno e) { super(m); errno = e; }
        @Override public Errno errno() { return errno; }
    }

    private static final class ClosedChannel extends ClosedChannelException implements Settable {
        private Errno errno;
        @Override public Errno errno() { return errno; }
        @Override public void errno(Errno e) { errno = e; }
    }

    private static final class AsynchronousClose extends AsynchronousCloseException implements Settable {
        private Errno errno;
        @Override public Errno errno() { return errno; }
        @Override public void errno(Errno e) { errno = e; }
    }

    private static final class ClosedByInterrupt extends ClosedByInterruptException implements Settable {
        private Errno errno;
        @Override public Errno errno() { return errno; }
        @Override public void errno(Errno e) { errno = e; }
    }

    private static final class NotYetConnected extends NotYetConnectedException implements Settable {
        private Errno errno;
        @Override public Errno errno() { return errno; }
        @Override public void errno(Errno e) { errno = e; }
    }

    private static final class AlreadyConnected extends AlreadyConnectedException implements Settable {
        private Errno errno;
        @Override public Errno errno() { return errno; }
        @Override public void errno(Errno e) { errno = e; }
    }

    private static final class ConnectionPending extends ConnectionPendingException implements Settable {
        private Errno errno;
        @Override public Errno errno() { return errno; }
        @Override public void errno(Errno e) { errno = e; }
    }

    private static final class NoConnectionPending extends NoConnectionPendingException implements Settable {
        private Errno errno;
        @Override public Errno errno() { return errno; }
        @Override public void errno(Errno e) { errno = e; }
    }

    private static final class AlreadyBound extends AlreadyBoundException implements Settable {
        private Errno errno;
        @Override public Errno errno() { return errno; }
        @Override public void errno(Errno e) { errno = e; }
    }

    private static final class NotYetBound extends NotYetBoundException implements Settable {
        private Errno errno;
        @Override public Errno errno() { return errno; }
        @Override public void errno(Errno e) { errno = e; }
    }

    private static final class UnresolvedAddress extends UnresolvedAddressException implements Settable {
        private Errno errno;
        @Override public Errno errno() { return errno; }
        @Override public void errno(Errno e) { errno = e; }
    }

    private static final class UnsupportedAddressType extends UnsupportedAddressTypeException implements Settable {
        private Errno errno;
        @Override public Errno errno() { return errno; }
        @Override public void errno(Errno e) { errno = e; }
    }
}
