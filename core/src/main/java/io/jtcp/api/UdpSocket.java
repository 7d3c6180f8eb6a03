package io.jtcp.api;

import io.jtcp.host.UdpDatagram;
import io.jtcp.host.UdpHandler;
import io.jtcp.host.UdpSock;
import io.jtcp.host.UdpSockets;
import io.jtcp.wire.IpAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A UDP socket (RFC 768) on a {@link StackLoop}'s stack, for either family: an IPv6 socket
 * is dual-stack unless {@link #setV6only} (net.ipv6.bindv6only gives the default) and
 * sees IPv4 peers by their IPv4 addresses, as the JDK's DatagramChannel does. Every call
 * runs on the loop's thread; the blocking ones wait as {@link TcpSocket}'s do
 * ({@link Await}), bounded by SO_TIMEOUT, and a non-blocking receive returns null at once.
 *
 * <p>Errors carry Linux's errno ({@link ErrnoCarrier}) in the JDK's types: a pending ICMP
 * port unreachable on a connected socket is a {@link java.net.PortUnreachableException}, reported
 * once by the next send or receive.
 */
public final class UdpSocket implements AutoCloseable {
    private final StackLoop loop;
    /** The stack's UDP, taken on the loop's thread at open (the stack is the loop's alone). */
    private UdpSockets udp;
    private final Runnable shutdownHook = this::loopClosed;
    private volatile Duration soTimeout;
    private volatile boolean blocking = true;

    // Owned by the loop's thread.
    private UdpSock sock;
    private final ArrayDeque<PendingReceive> receives = new ArrayDeque<>();
    /** The ready set ({@link Readiness}): READ when a datagram or an error is pending, WRITE while open. */
    private volatile int ready;
    private volatile Runnable readinessListener;
    private volatile InetSocketAddress local, remote;

    private record PendingReceive(boolean peek, CompletableFuture<Received> done) {}

    /**
     * A received datagram: its sender, the address and port it was sent to (IP_PKTINFO's
     * answer, and the original destination a forwarder needs), and its data.
     */
    public record Received(InetSocketAddress source, InetSocketAddress destination, byte[] data) {
        static Received of(UdpDatagram d) {
            return d == null ? null : new Received(new InetSocketAddress(d.source().toInetAddress(), d.sourcePort()),
                    new InetSocketAddress(d.destination().toInetAddress(), d.destinationPort()), d.data());
        }
    }

    private UdpSocket(StackLoop loop) {
        this.loop = loop;
    }

    /** socket(AF_INET6, SOCK_DGRAM) (dual stack unless IPV6_V6ONLY), or with {@code ipv6} false AF_INET, on {@code loop}'s stack. */
    public static UdpSocket open(StackLoop loop, boolean ipv6) throws IOException {
        return open(loop, () -> loop.stack().udp(), ipv6);
    }

    /**
     * socket(AF_INET6 or AF_INET, SOCK_DGRAM) on {@code loop}'s stack, whose UDP
     * {@code udpOnLoop} gives on the loop's thread (the stack's own,
     * {@code () -> loop.stack().udp()}; until the stack has one, tests pass theirs).
     */
    static UdpSocket open(StackLoop loop, Supplier<UdpSockets> udpOnLoop, boolean ipv6) throws IOException {
        UdpSocket s = new UdpSocket(Objects.requireNonNull(loop));
        s.onLoop(() -> {
            s.udp = Objects.requireNonNull(udpOnLoop.get());
            s.sock = s.udp.open(ipv6, s.new Events());
            loop.onShutdown(s.shutdownHook);
            s.published();
            return null;
        });
        return s;
    }

    /** Makes the host's socket for {@link #adopt}, given the handler that will hear of it. */
    interface HostSocketMaker {
        UdpSock make(UdpHandler handler) throws ErrnoException;
    }

    /**
     * Loop thread: wraps a socket the host made for this layer (a forwarded flow's), with what
     * it already queued; the socket's handler is this wrapper's.
     */
    static UdpSocket adopt(StackLoop loop, UdpSockets udp, HostSocketMaker make) throws ErrnoException {
        UdpSocket s = new UdpSocket(loop);
        s.udp = udp;
        s.sock = make.make(s.new Events());
        loop.onShutdown(s.shutdownHook);
        s.published();
        return s;
    }

    public StackLoop loop() { return loop; }

    // ---- options ----

    /** SO_TIMEOUT: how long a blocking receive waits (null or zero: for ever). */
    public void setSoTimeout(Duration timeout) {
        soTimeout = timeout == null || timeout.isZero() ? null : timeout;
    }

    public Duration soTimeout() { return soTimeout; }

    /** O_NONBLOCK: a receive with nothing queued returns null instead of waiting. */
    public void configureBlocking(boolean block) { blocking = block; }

    public boolean isBlocking() { return blocking; }

    public void setReuseAddress(boolean on) throws IOException { onLoop(() -> { open().setReuseAddr(sock, on); return null; }); }

    public boolean reuseAddress() throws IOException { return onLoop(() -> sock.reuseAddr()); }

    /** SO_BROADCAST: without it, sending to a broadcast address fails with EACCES. */
    public void setBroadcast(boolean on) throws IOException { onLoop(() -> { open().setBroadcast(sock, on); return null; }); }

    public boolean broadcast() throws IOException { return onLoop(() -> sock.broadcast()); }

    /** IP_RECVERR: every ICMP error is reported, soft ones and on an unconnected socket too. */
    public void setRecvErr(boolean on) throws IOException { onLoop(() -> { open().setRecvErr(sock, on); return null; }); }

    /** SO_RCVBUF: cut to rmem_max and doubled, as Linux does; bounds the queued datagrams and their overhead. */
    public void setReceiveBufferSize(int bytes) throws IOException {
        if (bytes <= 0) throw new IllegalArgumentException("SO_RCVBUF must be positive, got " + bytes);
        onLoop(() -> { open().setReceiveBufferSize(sock, bytes); return null; });
    }

    public int receiveBufferSize() throws IOException { return onLoop(() -> sock.receiveBufferSize()); }

    /** SO_SNDBUF: cut to wmem_max and doubled; kept for getsockopt, as sends never wait for buffer space. */
    public void setSendBufferSize(int bytes) throws IOException {
        if (bytes <= 0) throw new IllegalArgumentException("SO_SNDBUF must be positive, got " + bytes);
        onLoop(() -> { open().setSendBufferSize(sock, bytes); return null; });
    }

    public int sendBufferSize() throws IOException { return onLoop(() -> sock.sendBufferSize()); }

    /** IPV6_V6ONLY, before bind: EINVAL after, ENOPROTOOPT on an IPv4 socket. */
    public void setV6only(boolean on) throws IOException { onLoop(() -> { open().setV6only(sock, on); return null; }); }

    public boolean v6only() throws IOException { return onLoop(() -> sock.v6only()); }

    /** getsockopt(SO_ERROR): the pending error, cleared; null if none. */
    public Errno takeError() throws IOException { return onLoop(() -> udp.takeError(sock)); }

    // ---- bind, connect ----

    /** bind(2); null or the wildcard address of either family is the socket's wildcard, port 0 an ephemeral port. */
    public void bind(InetSocketAddress address) throws IOException {
        IpAddress a = address == null ? null : bindable(address);
        int port = address == null ? 0 : address.getPort();
        onLoop(() -> {
            open().bind(sock, a, port);
            published();
            return null;
        });
    }

    /** connect(2): the default destination, and the only peer whose datagrams are received. */
    public void connect(InetSocketAddress peer) throws IOException {
        IpAddress a = destination(peer);
        onLoop(() -> {
            open().connect(sock, a, peer.getPort());
            published();
            return null;
        });
    }

    /** connect(2) with AF_UNSPEC. */
    public void disconnect() throws IOException {
        onLoop(() -> {
            open().disconnect(sock);
            published();
            return null;
        });
    }

    /** The bound address and port (the wildcard and 0 while unbound). */
    public InetSocketAddress localAddress() { return local; }

    /** The connected peer, null when unconnected. */
    public InetSocketAddress remoteAddress() { return remote; }

    // ---- send, receive ----

    /**
     * sendto(2) of the buffer's remaining bytes to {@code target}, or to the connected peer
     * when it is null; all of them go as one datagram (EMSGSIZE past the largest one).
     * Never waits: the datagram is handed to the IP layer at once. Returns the bytes sent.
     */
    public int send(ByteBuffer src, InetSocketAddress target) throws IOException {
        IpAddress dst = target == null ? null : destination(target);
        int port = target == null ? 0 : target.getPort();
        byte[] data = new byte[src.remaining()];
        src.duplicate().get(data);
        int n = onLoop(() -> {
            int sent = open().send(sock, dst, port, data, 0, data.length);
            published();
            return sent;
        });
        src.position(src.position() + n);
        return n;
    }

    /**
     * recvfrom(2): copies the next datagram into {@code dst}, discarding what does not fit
     * (as UDP does without MSG_TRUNC), and returns its sender; waits for one when blocking
     * (SO_TIMEOUT: SocketTimeoutException "Read timed out"), else returns null when none is queued.
     */
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        return copy(take(false), dst);
    }

    /** recvfrom(2) with MSG_PEEK: {@link #receive}, leaving the datagram queued. */
    public InetSocketAddress peek(ByteBuffer dst) throws IOException {
        return copy(take(true), dst);
    }

    /** The next datagram as a future, completed on the loop when one is queued (or with the pending error). */
    public CompletableFuture<Received> receiveAsync(boolean peek) {
        CompletableFuture<Received> f = new CompletableFuture<>();
        loop.submit(() -> {
            try {
                receives.add(new PendingReceive(peek, f));
                serveReceives();
            } catch (Throwable t) {
                f.completeExceptionally(SocketErrors.typedDatagram(t));
            }
        }, t -> f.completeExceptionally(SocketErrors.typedDatagram(t)));
        return f;
    }

    private Received take(boolean peek) throws IOException {
        if (!blocking) {
            return onLoop(() -> {
                UdpDatagram d = open().receive(sock, peek);
                published();
                return Received.of(d);
            });
        }
        CompletableFuture<Received> f = receiveAsync(peek);
        return Await.block(loop, f, soTimeout, new Await.Blocked() {
            @Override
            public void timedOut() {
                receives.removeIf(r -> r.done() == f);
                f.completeExceptionally(SocketErrors.readTimedOut());
            }

            @Override
            public void closeOnInterrupt() {
                close();
            }
        });
    }

    private static InetSocketAddress copy(Received d, ByteBuffer dst) {
        if (d == null) return null;
        dst.put(d.data(), 0, Math.min(d.data().length, dst.remaining()));
        return d.source();
    }

    /** Loop thread: completes the waiting receives in order while datagrams (or an error) are there. */
    private void serveReceives() {
        while (!receives.isEmpty()) {
            PendingReceive r = receives.peek();
            if (r.done().isDone()) {
                receives.poll();
                continue;
            }
            UdpDatagram d;
            try {
                d = udp.receive(sock, r.peek());
            } catch (ErrnoException e) {
                receives.poll();
                r.done().completeExceptionally(SocketErrors.typedDatagram(e));
                continue;
            }
            if (d == null) break;
            receives.poll();
            r.done().complete(Received.of(d));
        }
        publishReadiness();
    }

    // ---- readiness, close ----

    /** The ready set, {@link Readiness} bits. */
    public int readiness() { return ready; }

    /** Runs (on the loop's thread) whenever the ready set changes; a selector's wake-up. */
    public void setReadinessListener(Runnable listener) { readinessListener = listener; }

    public boolean isClosed() { return ready < 0; }

    /** close(2): the port is free again; waiting receives fail with "Socket closed" (EBADF). */
    @Override
    public void close() {
        try {
            onLoop(() -> {
                closeOnLoop();
                return null;
            });
        } catch (IOException loopGone) {
            // the loop is closed: nothing of this socket is left to release
        }
    }

    private void closeOnLoop() {
        if (sock.isClosed()) return;
        udp.close(sock);
        loop.removeShutdownHook(shutdownHook);
        failReceives(SocketErrors.of(Errno.EBADF, "closed"));
        published();
    }

    private void loopClosed() {
        failReceives(new IOException("stack loop " + loop.name() + " closed"));
    }

    private void failReceives(IOException why) {
        for (PendingReceive r; (r = receives.poll()) != null; ) r.done().completeExceptionally(why);
    }

    /** Loop thread: publishes the addresses and the ready set after a call or an event. */
    private void published() {
        local = new InetSocketAddress(sock.localAddress().toInetAddress(), sock.localPort());
        remote = sock.isConnected() ? new InetSocketAddress(sock.remoteAddress().toInetAddress(), sock.remotePort()) : null;
        publishReadiness();
    }

    private void publishReadiness() {
        int r = sock.isClosed() ? -1 : (sock.readable() ? Readiness.READ : 0) | Readiness.WRITE;
        if (r == ready) return;
        ready = r;
        Runnable l = readinessListener;
        if (l != null) l.run();
    }

    private final class Events implements UdpHandler {
        @Override
        public void readable(UdpSock s, long now) {
            serveReceives();
        }
    }

    // ---- plumbing ----

    private UdpSockets open() throws ErrnoException {
        if (sock.isClosed()) throw new ErrnoException(Errno.EBADF, "closed");
        return udp;
    }

    /** The address bind(2) gets: either family's wildcard is this socket's (the JDK binds 0.0.0.0 on an IPv6 socket as ::). */
    private static IpAddress bindable(InetSocketAddress a) throws IOException {
        if (a.isUnresolved()) throw SocketErrors.of(Errno.EINVAL, "unresolved address " + a);
        InetAddress ia = a.getAddress();
        return ia.isAnyLocalAddress() ? null : IpAddress.of(ia);
    }

    private static IpAddress destination(InetSocketAddress a) throws IOException {
        if (a.isUnresolved()) throw SocketErrors.of(Errno.EINVAL, "unresolved address " + a);
        return IpAddress.of(a.getAddress());
    }

    private interface LoopCall<T> {
        T call() throws Exception;
    }

    private <T> T onLoop(LoopCall<T> c) throws IOException {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.submit(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(SocketErrors.typedDatagram(t));
            }
        }, t -> f.completeExceptionally(SocketErrors.typedDatagram(t)));
        return Await.join(loop, f);
    }

    @Override
    public String toString() {
        return "UdpSocket[" + local + (remote == null ? "" : " -> " + remote) + "]";
    }
}
