package io.jtcp.api;

import io.jtcp.host.Listening;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.wire.Ip4;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * A listening TCP socket on a {@link StackLoop}'s stack: {@link #bind}, {@link #listen},
 * then {@link #accept} (blocking) or {@link #acceptAsync}. Established connections wait
 * in the stack's accept queue, bounded by the backlog as Linux bounds it, until taken.
 *
 * <p>Options set here are copied into each accepted connection; the live ones
 * ({@link TcpOption#isLive()}) are copied again at accept, so changing them after
 * {@link #listen} reaches the connections accepted from then on. Safe to use from any
 * thread; blocking calls must not be made on the loop's thread.
 */
public final class TcpServerSocket implements AutoCloseable {
    private enum Phase { OPEN, LISTENING, CLOSED }

    private final StackLoop loop;
    private final Runnable shutdownHook = this::loopClosed;
    private volatile int localPort;

    // Owned by the loop's thread.
    private final SocketOptions options;
    /** Written on the loop's thread only; volatile so {@link #tryAccept} can skip the loop when the answer is known. */
    private volatile Phase phase = Phase.OPEN;
    private int boundPort;
    private boolean bound, claimHeld, claimReuse, hookAdded;
    private Listening listening;
    private final ArrayDeque<CompletableFuture<TcpSocket>> accepts = new ArrayDeque<>();
    /** {@link Readiness#ACCEPT} while a connection waits to be accepted; written by the loop's thread only. */
    private volatile int ready;
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

    /** bind(2) to {@code port} (0: an ephemeral port, chosen at listen). EADDRINUSE, EINVAL as Linux answers. */
    public void bind(int port) throws IOException {
        bind(0, port);
    }

    /** bind(2): {@code address} must be the stack's own or 0.0.0.0 (else EADDRNOTAVAIL). */
    public void bind(String address, int port) throws IOException {
        bind(Ip4.parse(address), port);
    }

    private void bind(int addr, int port) throws IOException {
        call(() -> {
            if (phase == Phase.CLOSED) throw new ErrnoException(Errno.EBADF);
            if (port < 0 || port > 65535) throw new ErrnoException(Errno.EINVAL, "port " + port + " out of range");
            if (addr != 0 && addr != loop.address()) {
                throw new ErrnoException(Errno.EADDRNOTAVAIL, Ip4.format(addr) + " is not this host's");
            }
            if (bound) throw new ErrnoException(Errno.EINVAL, "already bound");
            if (port != 0) {
                loop.claims.claim(port, options.reuseAddr, loop.stack());
                claimHeld = true;
                claimReuse = options.reuseAddr;
                localPort = port;
            }
            boundPort = port;
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
            if (boundPort == 0) {
                listening = listenOnEphemeralPort(backlog);
            } else {
                listening = loop.stack().listen(boundPort, backlog, options, (l, now) -> serveAccepts());
                if (claimHeld) loop.claims.listening(boundPort);
            }
            localPort = listening.port();
            bound = true;
            phase = Phase.LISTENING;
            hookAdded = true;
            loop.onShutdown(shutdownHook);
            return null;
        });
    }

    private Listening listenOnEphemeralPort(int backlog) throws ErrnoException {
        var cfg = loop.sysctls();
        int low = cfg.ipLocalPortRangeLow(), size = cfg.ipLocalPortRangeHigh() - low + 1;
        int start = new SplittableRandom().nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = low + (start + i) % size;
            try {
                loop.claims.claim(port, false, loop.stack());
            } catch (ErrnoException busy) {
                continue;
            }
            try {
                Listening l = loop.stack().listen(port, backlog, options, (x, now) -> serveAccepts());
                loop.claims.listening(port);
                claimHeld = true;
                claimReuse = false;
                boundPort = port;
                return l;
            } catch (ErrnoException busy) {
                loop.claims.release(port, false, false);
            }
        }
        throw new ErrnoException(Errno.EADDRINUSE, "no free ephemeral port to listen on");
    }

    /** accept(2): blocks until a connection is established. EINVAL unless listening. */
    public TcpSocket accept() throws IOException {
        return Await.join(loop, acceptAsync());
    }

    /** accept(2) as a future; cancelling it gives the connection to the next accept instead. */
    public CompletableFuture<TcpSocket> acceptAsync() {
        CompletableFuture<TcpSocket> f = new CompletableFuture<>();
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

    private void serveAccepts() {
        while (!accepts.isEmpty() && phase == Phase.LISTENING) {
            CompletableFuture<TcpSocket> f = accepts.peek();
            if (f.isDone()) {
                accepts.poll();
                continue;
            }
            TcpSocket s = acceptOne();
            if (s == null) break;
            accepts.poll();
            if (!f.complete(s)) s.abandon();
        }
        publishReadiness();
    }

    /** Takes the oldest established connection as a socket, or null if none waits (loop thread). */
    private TcpSocket acceptOne() {
        TcpSocket[] made = new TcpSocket[1];
        listening.accept((conn, now) -> {
            for (TcpOption<?> o : TcpOption.ALL) if (o.isLive()) o.copy(options, conn.options());
            conn.optionsChanged(now);
            made[0] = new TcpSocket(loop, conn);
            return made[0].handler();
        });
        return made[0];
    }

    /**
     * accept4(2) on a non-blocking socket: the oldest established connection, or null
     * when none waits (Linux's EAGAIN). Answers null at once, without a trip to the
     * loop, while the published ready set has no {@link Readiness#ACCEPT}.
     * EINVAL unless listening.
     */
    public TcpSocket tryAccept() throws IOException {
        if (phase == Phase.LISTENING && (ready & Readiness.ACCEPT) == 0) return null;
        return call(() -> {
            switch (phase) {
                case OPEN -> throw new ErrnoException(Errno.EINVAL, "not listening");
                case CLOSED -> throw new ErrnoException(Errno.EBADF);
                case LISTENING -> { }
            }
            TcpSocket s = accepts.isEmpty() ? acceptOne() : null; // blocked accepts are served first
            publishReadiness();
            return s;
        });
    }

    /** The ready set ({@link Readiness#ACCEPT} or nothing) as the loop last published it. */
    public int readiness() {
        return ready;
    }

    /** Sets the one listener run on the loop's thread each time the ready set changes; quick, never blocking. Null removes it. */
    public void onReadiness(Runnable listener) {
        readinessListener = listener;
    }

    private void publishReadiness() {
        int r = phase == Phase.LISTENING && listening.acceptQueueLength() > 0 ? Readiness.ACCEPT : 0;
        if (r == ready) return;
        ready = r;
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
        boolean wasListening = phase == Phase.LISTENING;
        phase = Phase.CLOSED;
        if (listening != null) listening.close(loop.now());
        if (claimHeld) loop.claims.release(boundPort, claimReuse, wasListening);
        claimHeld = false;
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
            return null;
        });
    }

    public <T> T getOption(TcpOption<T> option) throws IOException {
        return call(() -> option.get(options));
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
        return "TcpServerSocket[" + Ip4.format(loop.address()) + ":" + localPort + "]";
    }

    @FunctionalInterface
    private interface LoopCall<T> {
        T call() throws Exception;
    }

    private <T> T call(LoopCall<T> c) throws IOException {
        return Await.join(loop, loop.call(c::call));
    }
}
