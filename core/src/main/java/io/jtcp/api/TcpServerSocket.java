package io.jtcp.api;

import io.jtcp.host.Listening;
import io.jtcp.host.Stack;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.IpAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening TCP socket on a {@link StackLoop}'s stack: {@link #bind}, {@link #listen},
 * then {@link #accept} (blocking) or {@link #acceptAsync}. Established connections wait
 * in the stack's accept queue, bounded by the backlog as Linux bounds it, until taken.
 *
 * <p>Options set here are copied into each accepted connection; the live ones
 * ({@link TcpOption#isLive()}) are copied again at accept, so changing them after
 * {@link #listen} reaches the connections accepted from then on. Safe to use from any
 * thread; blocking calls must not be made on the loop's thread.
 *
 * <p>Each visit of an accept to the loop takes every established connection waiting in
 * the stack's accept queue, not just one: the first answers the call, the rest wait
 * here for the next accepts, which take them without a round trip to the loop. Those
 * still count against the backlog and in {@link #acceptQueueLength()}, so a full queue
 * behaves as Linux's does (a SYN, or a handshake's final ACK, that finds it full is
 * dropped and left to retransmission; tcp_abort_on_overflow answers the ACK with a RST).
 */
public final class TcpServerSocket implements AutoCloseable {
    private enum Phase { OPEN, LISTENING, CLOSED }

    private final StackLoop loop;
    private final Runnable shutdownHook = this::loopClosed;
    private volatile int localPort;
    private volatile IpAddress boundAddr = IpAddress.ANY4;
    private volatile Duration soTimeout;
    private volatile boolean closed;
    /**
     * Connections accepted on the loop ahead of the accept calls that will return them,
     * oldest first; any thread takes from the head. {@link #heldAhead} counts them for the
     * backlog, raised before an entry is added and lowered after one is taken.
     */
    private final ConcurrentLinkedDeque<Accepted> ready = new ConcurrentLinkedDeque<>();
    private final AtomicInteger heldAhead = new AtomicInteger();

    private record Accepted(TcpSocket socket, Connection conn) {}

    // Owned by the loop's thread.
    private final SocketOptions options;
    /** Written on the loop's thread only; volatile so {@link #tryAccept} can skip the loop when the answer is known. */
    private volatile Phase phase = Phase.OPEN;
    /** The bind(2) hold on the stack's bind table until listen hands it to the listener. */
    private Stack.Binding binding;
    private boolean bound, hookAdded;
    private Listening listening;
    private final ArrayDeque<CompletableFuture<TcpSocket>> accepts = new ArrayDeque<>();
    /** {@link Readiness#ACCEPT} while a connection waits to be accepted; written by the loop's thread only. */
    private volatile int readySet;
    private volatile Runnable readinessListener;

    private TcpServerSocket(StackLoop loop) {
        this.loop = loop;
        this.options = new SocketOptions(loop.sysctls());
    }

    public static TcpServerSocket open(StackLoop loop) {
        return new TcpServerSocket(Objects.requireNonNull(loop));
    }

    /** Binds and listens in one step, like java.net.ServerSocket. */
    public static TcpServerSocket listen(StackLoop loop, int port, int backlog) throws IOException {
        TcpServerSocket s = open(loop);
        s.bind(port);
        s.listen(backlog);
        return s;
    }

    public StackLoop loop() { return loop; }

    /** bind(2) to {@code port} of 0.0.0.0 (0: an ephemeral port, taken at once). EADDRINUSE, EINVAL as Linux answers. */
    public void bind(int port) throws IOException {
        bind(IpAddress.ANY4, port);
    }

    /** bind(2): {@code address} must be one of the stack's own (loopback included) or a wildcard, 0.0.0.0 or :: (else EADDRNOTAVAIL). */
    public void bind(String address, int port) throws IOException {
        bind(IpAddress.parse(address), port);
    }

    /**
     * bind(2) to {@code local}: one of the stack's addresses or a wildcard (else
     * EADDRNOTAVAIL); null is 0.0.0.0 and an ephemeral port.
     */
    public void bind(InetSocketAddress local) throws IOException {
        if (local == null) {
            bind(0);
            return;
        }
        if (local.isUnresolved()) throw SocketErrors.of(Errno.EINVAL, "unresolved address " + local);
        bind(IpAddress.of(local.getAddress()), local.getPort());
    }

    private void bind(IpAddress addr, int port) throws IOException {
        call(() -> {
            if (phase == Phase.CLOSED) throw new ErrnoException(Errno.EBADF);
            if (port < 0 || port > 65535) throw new ErrnoException(Errno.EINVAL, "port " + port + " out of range");
            if (bound) throw new ErrnoException(Errno.EINVAL, "already bound");
            binding = loop.stack().bind(addr, port, options);
            localPort = binding.port();
            boundAddr = addr;
            bound = true;
            return null;
        });
    }

    /**
     * listen(2) with an accept queue of {@code backlog} (capped by somaxconn; negative
     * means somaxconn). An unbound socket gets an ephemeral port, as on Linux. Listening
     * again only keeps listening.
     */
    public void listen(int backlog) throws IOException {
        call(() -> {
            switch (phase) {
                case CLOSED -> throw new ErrnoException(Errno.EBADF);
                case LISTENING -> { return null; }
                case OPEN -> { }
            }
            // An unbound socket takes an ephemeral port at listen, as Linux's inet_autobind.
            if (binding == null) binding = loop.stack().bind(IpAddress.ANY4, 0, options);
            listening = loop.stack().listen(binding, backlog, options, (l, now) -> serveAccepts());
            binding = null;
            listening.countTakenAhead(heldAhead::get);
            localPort = listening.port();
            bound = true;
            phase = Phase.LISTENING;
            traced(null, "listen");
            hookAdded = true;
            loop.onShutdown(shutdownHook);
            return null;
        });
    }

    /** accept(2): blocks until a connection is established. EINVAL unless listening. */
    public TcpSocket accept() throws IOException {
        TcpSocket ready = takeReady();
        if (ready != null) return ready;
        CompletableFuture<TcpSocket> f = acceptAsync();
        return Await.block(loop, f, soTimeout, new Await.Blocked() {
            @Override
            public void timedOut() {
                // On the loop: a connection accepted before this stays with f; else it stays queued.
                f.completeExceptionally(SocketErrors.acceptTimedOut());
            }

            @Override
            public void closeOnInterrupt() {
                try {
                    close();
                } catch (IOException closedAlready) {
                    // the loop is gone: the listener is as closed as it gets
                }
            }
        });
    }

    /**
     * SO_TIMEOUT, as java.net.ServerSocket has it: {@link #accept} waits at most this long,
     * then fails with SocketTimeoutException "Accept timed out" (errno EAGAIN) and the
     * listener stays usable. Null or zero: wait for ever (the default).
     */
    public void setSoTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) throw new IllegalArgumentException("timeout < 0: " + timeout);
        soTimeout = timeout == null || timeout.isZero() ? null : timeout;
    }

    /** SO_TIMEOUT; null when accept waits for ever. */
    public Duration soTimeout() {
        return soTimeout;
    }

    /** accept(2) as a future; cancelling it gives the connection to the next accept instead. */
    public CompletableFuture<TcpSocket> acceptAsync() {
        TcpSocket s = takeReady();
        if (s != null) return CompletableFuture.completedFuture(s);
        CompletableFuture<TcpSocket> f = SocketFuture.of();
        loop.submit(() -> {
            switch (phase) {
                case OPEN -> f.completeExceptionally(new ErrnoException(Errno.EINVAL, "not listening"));
                case CLOSED -> f.completeExceptionally(new ErrnoException(Errno.EBADF));
                case LISTENING -> {
                    accepts.add(f);
                    serveAccepts();
                }
            }
        }, f::completeExceptionally);
        return f;
    }

    /**
     * Loop thread: answers the waiting accepts, first from the connections taken ahead, then
     * from the stack's queue; when any was answered, takes the rest of the queue ahead too.
     */
    private void serveAccepts() {
        boolean served = false;
        while (!accepts.isEmpty() && phase == Phase.LISTENING) {
            CompletableFuture<TcpSocket> f = accepts.peek();
            if (f.isDone()) {
                accepts.poll();
                continue;
            }
            Accepted a = ready.pollFirst();
            if (a == null) a = acceptFromStack();
            else heldAhead.decrementAndGet();
            if (a == null) return;
            accepts.poll();
            served = true;
            if (!f.complete(a.socket())) giveBack(a);  // cancelled meanwhile: the next accept takes it
        }
        if (served) {
            while (phase == Phase.LISTENING && takeAhead()) {
                // one more connection waits in ready for the next accept
            }
        }
        publishReadiness();
    }

    /** Moves the stack's oldest queued connection to {@link #ready}; false when none waits. */
    private boolean takeAhead() {
        heldAhead.incrementAndGet();  // before the stack's queue shrinks, so the backlog never looks freer than it is
        Accepted a = acceptFromStack();
        if (a == null) {
            heldAhead.decrementAndGet();
            return false;
        }
        ready.addLast(a);
        return true;
    }

    private void giveBack(Accepted a) {
        heldAhead.incrementAndGet();
        ready.addFirst(a);
    }

    /** Takes the oldest connection of the stack's accept queue into a socket, or null when none waits. */
    private Accepted acceptFromStack() {
        TcpSocket[] made = new TcpSocket[1];
        Connection c = listening.accept((conn, now) -> {
            copyLiveOptions(conn, now);
            made[0] = new TcpSocket(loop, conn);
            return made[0].handler();
        });
        if (c == null) return null;
        traced(c.tuple(), "accept");
        return new Accepted(made[0], c);
    }

    /** Live options set on the listener reach a connection when it is accepted (and, if taken ahead, when they change). */
    private void copyLiveOptions(Connection conn, long now) {
        for (TcpOption<?> o : TcpOption.ALL) if (o.isLive()) o.copy(options, conn.options());
        conn.optionsChanged(now);
    }

    /** Any thread: a connection taken ahead, or null (also once closed, so that the loop answers EBADF). */
    private TcpSocket takeReady() {
        if (closed) return null;
        Accepted a = ready.pollFirst();
        if (a == null) return null;
        heldAhead.decrementAndGet();
        return a.socket();
    }

    /**
     * accept4(2) on a non-blocking socket: the oldest established connection, or null
     * when none waits (Linux's EAGAIN). Answers null at once, without a trip to the
     * loop, while the published ready set has no {@link Readiness#ACCEPT}.
     * EINVAL unless listening.
     */
    public TcpSocket tryAccept() throws IOException {
        TcpSocket taken = takeReady();
        if (taken != null) return taken;
        if (phase == Phase.LISTENING && (readySet & Readiness.ACCEPT) == 0) return null;
        return call(() -> {
            switch (phase) {
                case OPEN -> throw new ErrnoException(Errno.EINVAL, "not listening");
                case CLOSED -> throw new ErrnoException(Errno.EBADF);
                case LISTENING -> { }
            }
            Accepted a = accepts.isEmpty() ? acceptFromStack() : null; // blocked accepts are served first
            publishReadiness();
            return a == null ? null : a.socket();
        });
    }

    /** The ready set ({@link Readiness#ACCEPT} or nothing) as the loop last published it. */
    public int readiness() {
        return readySet;
    }

    /** Sets the one listener run on the loop's thread each time the ready set changes; quick, never blocking. Null removes it. */
    public void onReadiness(Runnable listener) {
        readinessListener = listener;
    }

    private void publishReadiness() {
        int r = phase == Phase.LISTENING && listening.acceptQueueLength() > 0 ? Readiness.ACCEPT : 0;
        if (r == readySet) return;
        readySet = r;
        Runnable l = readinessListener;
        if (l != null) l.run();
    }

    /** Stops listening: connections not yet accepted are reset; waiting accepts fail with EBADF. */
    @Override
    public void close() throws IOException {
        if (loop.inLoop()) {
            closeOnLoop();
            return;
        }
        call(() -> {
            closeOnLoop();
            return null;
        });
    }

    private void closeOnLoop() {
        if (phase == Phase.CLOSED) return;
        phase = Phase.CLOSED;
        closed = true;
        traced(null, "close");
        // Taken ahead but never accepted: reset like the rest of the queue, as Linux's inet_csk_listen_stop does.
        for (Accepted a; (a = ready.pollFirst()) != null; ) {
            heldAhead.decrementAndGet();
            a.socket().abandon();
        }
        if (listening != null) listening.close(loop.now());
        if (binding != null) loop.stack().unbind(binding);
        binding = null;
        if (hookAdded) loop.removeShutdownHook(shutdownHook);
        for (CompletableFuture<TcpSocket> f; (f = accepts.poll()) != null; ) {
            f.completeExceptionally(new ErrnoException(Errno.EBADF, "server socket closed"));
        }
        publishReadiness();
    }

    private void loopClosed() {
        for (CompletableFuture<TcpSocket> f; (f = accepts.poll()) != null; ) {
            f.completeExceptionally(new IOException("stack loop " + loop.name() + " closed"));
        }
    }

    /** setsockopt(2); see {@link TcpOption} for which options reach connections already accepted (none). */
    public <T> void setOption(TcpOption<T> option, T value) throws IOException {
        call(() -> {
            if (phase == Phase.CLOSED) throw new ErrnoException(Errno.EBADF);
            option.set(options, value);
            // Set on a listener, an option reaches the connections that later SYNs make (TCP_MAXSEG's SYN-ACK MSS among them).
            if (listening != null) option.set(listening.options(), value);
            if (option.isLive()) for (Accepted a : ready) copyLiveOptions(a.conn(), loop.now());
            return null;
        });
    }

    public <T> T getOption(TcpOption<T> option) throws IOException {
        return call(() -> option.get(options, loop.sysctls()));
    }

    /** getsockname(2): the bound address (0.0.0.0 for the wildcard) and the port listened on (or bound), 0 before. */
    public InetSocketAddress localAddress() {
        return Addresses.of(boundAddr, localPort);
    }

    /** The port listened on (or bound), 0 before. */
    public int localPort() {
        return localPort;
    }

    /** Connections established and waiting for accept. */
    public int acceptQueueLength() throws IOException {
        return call(() -> listening == null ? 0 : listening.acceptQueueLength());
    }

    @Override
    public String toString() {
        return "TcpServerSocket[" + boundAddr.withPort(localPort) + "]";
    }

    /** Loop thread: this listener's call (or, with {@code accepted}, the accept that took it) in the stack's trace. */
    private void traced(FourTuple accepted, String call) {
        if (!loop.stack().tracing()) return; // no addresses formatted per accept when nobody watches
        String local = accepted != null ? accepted.local() : boundAddr.withPort(localPort);
        loop.stack().traceCall(local, accepted == null ? null : accepted.remote(), call, "0", loop.now());
    }

    @FunctionalInterface
    private interface LoopCall<T> {
        T call() throws Exception;
    }

    private <T> T call(LoopCall<T> c) throws IOException {
        return Await.join(loop, loop.call(c::call));
    }
}
