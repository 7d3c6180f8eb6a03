package io.jtcp.api;

import io.jtcp.host.Stack;
import io.jtcp.host.SocketHandler;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.Ioctl;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import io.jtcp.tcp.TcpInfo;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A TCP socket on a {@link StackLoop}'s stack, with the calls and errors of a Linux
 * socket: {@link #bind}, {@link #connect}, blocking streams, {@link #shutdownOutput},
 * {@link #shutdownInput}, {@link #close} and {@link #abort}, each failing with the
 * {@link ErrnoException} Linux would give. Every blocking call has a
 * {@code CompletableFuture} form for event-loop users.
 *
 * <p>Safe to use from any thread. Each call is a task on the loop's thread, which owns
 * all of the socket's state; a blocking call parks its caller on a future (virtual
 * threads are the expected callers) and must not be made on the loop's thread itself.
 * Concurrent reads (or writes) on one socket are served in the order they reach the
 * loop. Calls fail with the JDK's exception types ({@link SocketErrors}), each carrying
 * its errno ({@link ErrnoCarrier}). Interrupting a virtual thread blocked in read, write,
 * connect or accept closes the socket and the call fails with SocketException "Closed by
 * interrupt", as java.net.Socket does on virtual threads; platform threads are not
 * interrupted out of a call, as with the JDK's sockets.
 *
 * <p>An array given to {@link #readAsync} or {@link #writeAsync} belongs to the socket
 * until the future completes.
 */
public final class TcpSocket implements AutoCloseable {
    private enum Phase { OPEN, CONNECTING, CONNECTED, CLOSED }

    /** Into {@code buf[off, off+len)}, or with {@code bufs} into the buffers {@code bufs[off, off+len)}. */
    private record PendingRead(byte[] buf, ByteBuffer[] bufs, int off, int len, boolean peek, CompletableFuture<Integer> done) {}

    private static final class PendingWrite {
        final byte[] buf;
        /** Instead of {@code buf}: the buffers {@code bufs[off, off+len)}, whose positions record progress. */
        final ByteBuffer[] bufs;
        final int off, len;
        final boolean more;
        final CompletableFuture<Void> done;
        int written;

        PendingWrite(byte[] buf, int off, int len, boolean more, CompletableFuture<Void> done) {
            this(buf, null, off, len, more, done);
        }

        PendingWrite(byte[] buf, ByteBuffer[] bufs, int off, int len, boolean more, CompletableFuture<Void> done) {
            this.buf = buf;
            this.bufs = bufs;
            this.off = off;
            this.len = len;
            this.more = more;
            this.done = done;
        }
    }

    /** A close that may still wait for the FIN's ACK (SO_LINGER above zero). */
    private record Closing(CompletableFuture<Void> finAcked, Duration linger) {}

    /** Closes what sockets the application dropped without closing held on their stacks. */
    private static final Cleaner ABANDONED = Cleaner.create(Thread.ofPlatform().name("jtcp-abandoned-sockets").daemon().factory());

    private final StackLoop loop;
    /** What the socket holds on the stack, apart from the socket itself (see {@link Held}). */
    private final Held held;
    private final InputStream in = new In();
    private final OutputStream out = new Out();
    private volatile FourTuple tuple;
    private volatile Duration soTimeout;

    // Owned by the loop's thread.
    private final SocketOptions options;
    /** Written on the loop's thread only; volatile so the non-blocking calls can skip the loop when the answer is known. */
    private volatile Phase phase;
    /** Written on the loop's thread only; volatile so {@link #localPort()} can read it anywhere. */
    private volatile int boundPort;
    private volatile IpAddress boundAddr = IpAddress.ANY4;
    private boolean hookAdded;
    private CompletableFuture<TcpSocket> connecting;
    private final ArrayDeque<PendingRead> reads = new ArrayDeque<>();
    private final ArrayDeque<PendingWrite> writes = new ArrayDeque<>();
    private boolean connectFinished, outputShut;
    /** The ready set ({@link Readiness}), written by the loop's thread only. */
    private volatile int ready;
    private volatile Runnable readinessListener;

    private TcpSocket(StackLoop loop) {
        this.loop = loop;
        this.options = new SocketOptions(loop.sysctls());
        this.phase = Phase.OPEN;
        this.held = hold();
    }

    /** An accepted connection (loop thread). */
    TcpSocket(StackLoop loop, Connection c) {
        this.loop = loop;
        this.options = c.options();
        this.phase = Phase.CONNECTED;
        this.held = hold();
        held.conn = c;
        this.tuple = c.tuple();
        addHook();
        // Data (even a FIN) may have come while the connection waited to be accepted: no event will say so again.
        publishReadiness();
    }

    /** A new, unbound, unconnected socket on {@code loop}'s stack. */
    public static TcpSocket open(StackLoop loop) {
        return new TcpSocket(Objects.requireNonNull(loop));
    }

    public StackLoop loop() { return loop; }

    SocketHandler handler() { return held; }

    /** The socket's {@link Held} part, closed by the Cleaner if the socket is dropped unclosed. */
    private Held hold() {
        Held h = new Held(this);
        ABANDONED.register(this, h);
        return h;
    }

    // ---- bind, connect ----

    /** bind(2) to {@code port} of every IPv4 address (0.0.0.0); port 0 takes an ephemeral port, as Linux's bind does. */
    public void bind(int port) throws IOException {
        call(() -> {
            bindOnLoop(IpAddress.ANY4, port);
            return null;
        });
    }

    /** bind(2): {@code address} must be one of the stack's own (loopback included) or a wildcard, 0.0.0.0 or :: (else EADDRNOTAVAIL). */
    public void bind(String address, int port) throws IOException {
        IpAddress addr = IpAddress.parse(address);
        call(() -> {
            bindOnLoop(addr, port);
            return null;
        });
    }

    /**
     * bind(2) to {@code local}: its address must be one of the stack's own or a wildcard (else
     * EADDRNOTAVAIL); port 0 takes an ephemeral port at once, as Linux's bind does; null binds nothing yet.
     * SocketException "Unresolved address" for an unresolved one, as java.net.Socket says.
     */
    public void bind(InetSocketAddress local) throws IOException {
        if (local == null) {
            bind(0);
            return;
        }
        if (local.isUnresolved()) throw SocketErrors.of(Errno.EINVAL, "unresolved address " + local);
        IpAddress addr = IpAddress.of(local.getAddress());
        call(() -> {
            bindOnLoop(addr, local.getPort());
            return null;
        });
    }

    private void bindOnLoop(IpAddress addr, int port) throws ErrnoException {
        if (phase == Phase.CLOSED) throw new ErrnoException(Errno.EBADF);
        if (port < 0 || port > 65535) throw new ErrnoException(Errno.EINVAL, "port " + port + " out of range");
        if (held.binding != null || phase != Phase.OPEN) throw new ErrnoException(Errno.EINVAL, "already bound");
        held.binding = loop.stack().bind(addr, port, options);
        boundAddr = addr;
        boundPort = held.binding.port();
    }

    public void connect(String address, int port) throws IOException {
        connect(connectAsync(address, port), null);
    }

    void connect(IpAddress address, int port) throws IOException {
        connect(connectAsync(address, port), null);
    }

    /**
     * connect(2) that gives up after {@code timeout}: the attempt is then aborted and
     * the call fails with SocketTimeoutException "Connect timed out" (errno ETIMEDOUT;
     * the stack's own SYN retries may fail it sooner, with ConnectException "Connection timed out").
     */
    public void connect(String address, int port, Duration timeout) throws IOException {
        connect(connectAsync(address, port), Objects.requireNonNull(timeout));
    }

    private void connect(CompletableFuture<TcpSocket> f, Duration timeout) throws IOException {
        Await.block(loop, f, timeout, new Blocked(f, SocketErrors::connectTimedOut) {
            @Override
            public void timedOut() {
                boolean stillConnecting = connecting == f;
                super.timedOut();
                if (stillConnecting) held.conn.abort(now());
            }
        });
    }

    /**
     * connect(2) to {@code remote}, IPv4 or IPv6: UnknownHostException when it is unresolved;
     * otherwise as {@link #connect(String, int)}.
     */
    public void connect(InetSocketAddress remote) throws IOException {
        connect(connectAsync(Addresses.destination(remote), remote.getPort()), null);
    }

    /** {@link #connect(InetSocketAddress)} that gives up after {@code timeout}, as {@link #connect(String, int, Duration)}. */
    public void connect(InetSocketAddress remote, Duration timeout) throws IOException {
        connect(connectAsync(Addresses.destination(remote), remote.getPort()), Objects.requireNonNull(timeout));
    }

    /** {@link #connect(InetSocketAddress)} as a future; an unresolved or IPv6 address fails it at once. */
    public CompletableFuture<TcpSocket> connectAsync(InetSocketAddress remote) {
        try {
            return connectAsync(Addresses.destination(remote), remote.getPort());
        } catch (IOException e) {
            CompletableFuture<TcpSocket> f = SocketFuture.ofConnect();
            f.completeExceptionally(e);
            return f;
        }
    }

    public CompletableFuture<TcpSocket> connectAsync(String address, int port) {
        return connectAsync(IpAddress.parse(address), port);
    }

    /**
     * connect(2), completing once the handshake does, or failing with ECONNREFUSED,
     * ETIMEDOUT (SYN retries exhausted), EISCONN, EALREADY, EADDRINUSE, EADDRNOTAVAIL
     * or EINVAL.
     */
    CompletableFuture<TcpSocket> connectAsync(IpAddress address, int port) {
        CompletableFuture<TcpSocket> f = SocketFuture.ofConnect();
        onLoop(f, () -> {
            requireUnconnected();
            held.conn = loop.stack().connect(held.binding, address, port, options, held, now());
            held.binding = null;
            tuple = held.conn.tuple();
            phase = Phase.CONNECTING;
            connecting = f;
            connectFinished = false;
            addHook();
            traced("connect", "in progress");
            publishReadiness();
        });
        return f;
    }

    /** connect(2)'s checks on the socket itself: EALREADY while connecting, EISCONN once connected, EBADF after close. */
    private void requireUnconnected() throws ErrnoException {
        switch (phase) {
            case CONNECTING -> throw new ErrnoException(Errno.EALREADY);
            case CONNECTED -> throw new ErrnoException(Errno.EISCONN);
            case CLOSED -> throw new ErrnoException(Errno.EBADF);
            case OPEN -> { }
        }
    }

    /**
     * sendto(2) with MSG_FASTOPEN (TCP Fast Open, RFC 7413): connects with the head of
     * {@code b[off, off+len)} in the SYN when the stack holds a cookie for the
     * destination (or {@link TcpOption#TCP_FASTOPEN_NO_COOKIE} is set), else with a SYN
     * that asks for one; the rest is written once the handshake completes. Blocks until
     * it does; EOPNOTSUPP when net.ipv4.tcp_fastopen's client bit is off.
     */
    public void connectFastOpen(String address, int port, byte[] b, int off, int len) throws IOException {
        connect(connectFastOpenAsync(IpAddress.parse(address), port, b, off, len), null);
    }

    /** {@link #connectFastOpen}, completing once the handshake does; the data not in the SYN is then queued like {@link #writeAsync}'s. */
    CompletableFuture<TcpSocket> connectFastOpenAsync(IpAddress address, int port, byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        CompletableFuture<TcpSocket> f = SocketFuture.ofConnect();
        onLoop(f, () -> {
            requireUnconnected();
            Stack.FastOpenStart start = loop.stack().connectFastOpen(held.binding, address, port, options, held, b, off, len, now());
            held.binding = null;
            held.conn = start.conn();
            tuple = held.conn.tuple();
            phase = Phase.CONNECTING;
            connecting = f;
            connectFinished = false;
            addHook();
            int rest = len - start.synData();
            if (rest > 0) {
                writes.add(new PendingWrite(b, off + start.synData(), rest, false, new CompletableFuture<>()));
                serveWrites();
            }
        });
        return f;
    }

    // ---- data ----

    /**
     * Reads up to {@code len} bytes, blocking until at least one is there; returns -1
     * once the peer's FIN has been read past (or, after {@link #shutdownInput}, once what is queued is read).
     * ENOTCONN before connect; the connection's error (ECONNRESET, ETIMEDOUT) once.
     */
    public int read(byte[] b, int off, int len) throws IOException {
        return timedRead(readAsync(b, off, len));
    }

    public CompletableFuture<Integer> readAsync(byte[] b, int off, int len) {
        return readAsync(b, off, len, false);
    }

    /** recv(2) with MSG_PEEK: like {@link #read}, but the bytes stay queued for the next read. */
    public int peek(byte[] b, int off, int len) throws IOException {
        return timedRead(readAsync(b, off, len, true));
    }

    /** A blocking read's wait: SO_TIMEOUT withdraws the read, so bytes arriving later wait for the next one. */
    private int timedRead(CompletableFuture<Integer> f) throws IOException {
        return Await.block(loop, f, soTimeout, new Blocked(f, SocketErrors::readTimedOut));
    }

    /** {@link #readAsync}, or with {@code peek} recv(2)'s MSG_PEEK. */
    public CompletableFuture<Integer> readAsync(byte[] b, int off, int len, boolean peek) {
        Objects.checkFromIndexSize(off, len, b.length);
        CompletableFuture<Integer> f = SocketFuture.of();
        onLoop(f, () -> {
            requireReadable();
            if (len == 0) {
                f.complete(0);
                return;
            }
            reads.add(new PendingRead(b, null, off, len, peek, f));
            serveReads();
            publishReadiness();
        });
        return f;
    }

    /** Writes all of {@code b[off, off+len)}, blocking while the send buffer is full. EPIPE after shutdownOutput. */
    public void write(byte[] b, int off, int len) throws IOException {
        CompletableFuture<Void> f = writeAsync(b, off, len);
        Await.block(loop, f, null, new Blocked(f, null));
    }

    /** Completes once every byte has entered the send buffer (not once it is acknowledged). */
    public CompletableFuture<Void> writeAsync(byte[] b, int off, int len) {
        return writeAsync(b, off, len, false);
    }

    /** send(2) with MSG_MORE: like {@link #write}, but a partial segment waits for what the next write brings. */
    public void writeMore(byte[] b, int off, int len) throws IOException {
        CompletableFuture<Void> f = writeAsync(b, off, len, true);
        Await.block(loop, f, null, new Blocked(f, null));
    }

    /** {@link #writeAsync}, or with {@code more} send(2)'s MSG_MORE. */
    public CompletableFuture<Void> writeAsync(byte[] b, int off, int len, boolean more) {
        Objects.checkFromIndexSize(off, len, b.length);
        CompletableFuture<Void> f = SocketFuture.of();
        onLoop(f, () -> queueWrite(f, b, off, len, more));
        return f;
    }

    private void queueWrite(CompletableFuture<Void> f, byte[] b, int off, int len, boolean more) throws ErrnoException {
        requireSendable();
        if (len == 0) {
            f.complete(null);
            return;
        }
        writes.add(new PendingWrite(b, off, len, more, f));
        serveWrites();
        publishReadiness();
    }

    /** Blocking stream: {@code read} returns -1 at the peer's FIN; {@code close} closes the socket. */
    public InputStream getInputStream() {
        return in;
    }

    /** Blocking stream: {@code write} blocks while the send buffer is full; {@code close} closes the socket. */
    public OutputStream getOutputStream() {
        return out;
    }

    /**
     * SO_TIMEOUT, as java.net.Socket has it: a blocking read (or peek, or a read of the
     * input stream) that waits longer fails with SocketTimeoutException "Read timed out"
     * and is withdrawn, so bytes arriving later are there for the next read; the socket
     * stays usable. Null or zero: wait for ever (the default). Linux's SO_RCVTIMEO is the
     * same rule (recv(2) then fails with EAGAIN, the errno the exception carries).
     */
    public void setSoTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) throw new IllegalArgumentException("timeout < 0: " + timeout);
        soTimeout = timeout == null || timeout.isZero() ? null : timeout;
    }

    /** SO_TIMEOUT; null when reads wait for ever. */
    public Duration soTimeout() {
        return soTimeout;
    }

    /** Bytes that can be read without blocking. */
    public int available() throws IOException {
        return call(() -> held.conn == null || phase == Phase.CLOSED ? 0 : held.conn.available());
    }

    // ---- ByteBuffer data, non-blocking calls, readiness ----

    /** {@link #read(byte[], int, int)} into {@code dst}'s remaining bytes (heap or direct); its position advances. */
    public int read(ByteBuffer dst) throws IOException {
        return Await.join(loop, readAsync(new ByteBuffer[] {dst}, 0, 1));
    }

    /** readv(2): blocks until at least one byte is there, then fills the buffers in order; -1 at end of stream. */
    public long read(ByteBuffer[] dsts, int off, int len) throws IOException {
        return Await.join(loop, readAsync(dsts, off, len));
    }

    /** {@link #read(ByteBuffer[], int, int)} as a future; the buffers belong to the socket until it completes. */
    public CompletableFuture<Integer> readAsync(ByteBuffer[] dsts, int off, int len) {
        Objects.checkFromIndexSize(off, len, dsts.length);
        requireWritable(dsts, off, len);
        CompletableFuture<Integer> f = SocketFuture.of();
        onLoop(f, () -> {
            requireReadable();
            if (BufferCopy.remaining(dsts, off, len) == 0) {
                f.complete(0);
                return;
            }
            reads.add(new PendingRead(null, dsts, off, len, false, f));
            serveReads();
            publishReadiness();
        });
        return f;
    }

    /** {@link #write(byte[], int, int)} of {@code src}'s remaining bytes (heap or direct); its position advances. */
    public void write(ByteBuffer src) throws IOException {
        Await.join(loop, writeAsync(new ByteBuffer[] {src}, 0, 1));
    }

    /** writev(2), blocking until every remaining byte of the buffers has entered the send buffer. */
    public void write(ByteBuffer[] srcs, int off, int len) throws IOException {
        Await.join(loop, writeAsync(srcs, off, len));
    }

    /** {@link #write(ByteBuffer[], int, int)} as a future; the buffers belong to the socket until it completes. */
    public CompletableFuture<Void> writeAsync(ByteBuffer[] srcs, int off, int len) {
        Objects.checkFromIndexSize(off, len, srcs.length);
        CompletableFuture<Void> f = SocketFuture.of();
        onLoop(f, () -> {
            requireSendable();
            if (BufferCopy.remaining(srcs, off, len) == 0) {
                f.complete(null);
                return;
            }
            writes.add(new PendingWrite(null, srcs, off, len, false, f));
            serveWrites();
            publishReadiness();
        });
        return f;
    }

    /**
     * recv(2) with MSG_DONTWAIT into the buffers: the count read, 0 when nothing is queued,
     * -1 at end of stream. Answers 0 at once, without a trip to the loop, while the
     * published ready set ({@link #readiness()}) says there is nothing to read.
     */
    public long tryRead(ByteBuffer[] dsts, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, dsts.length);
        requireWritable(dsts, off, len);
        if (phase == Phase.CONNECTED && (ready & Readiness.READ) == 0) return 0;
        return call(() -> {
            requireReadable();
            if (!reads.isEmpty()) return 0L; // a blocked reader is served first
            long n = BufferCopy.receive(held.conn, dsts, off, len, now());
            publishReadiness();
            return n;
        });
    }

    /**
     * send(2) with MSG_DONTWAIT from the buffers: the count the send buffer took, 0 when
     * it is full. Answers 0 at once, without a trip to the loop, while the published ready
     * set says there is no room.
     */
    public long tryWrite(ByteBuffer[] srcs, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, srcs.length);
        if (phase == Phase.CONNECTED && (ready & Readiness.WRITE) == 0) return 0;
        return call(() -> {
            requireSendable();
            if (!writes.isEmpty()) return 0L; // queued writes keep their order
            long n = BufferCopy.send(held.conn, srcs, off, len, false, now());
            publishReadiness();
            return n;
        });
    }

    /**
     * The ready set ({@link Readiness} bits) as the loop last published it: what poll(2)
     * would report now, give or take events the loop is processing this instant (a
     * listener hears of those).
     */
    public int readiness() {
        return ready;
    }

    /**
     * Sets the one listener run on the loop's thread each time the ready set changes, so
     * a selector can be woken without polling; it must be quick and must not block. Null removes it.
     */
    public void onReadiness(Runnable listener) {
        readinessListener = listener;
    }

    private void requireReadable() throws ErrnoException {
        switch (phase) {
            case OPEN -> throw new ErrnoException(Errno.ENOTCONN);
            case CLOSED -> throw new ErrnoException(Errno.EBADF);
            default -> { }
        }
    }

    private void requireSendable() throws ErrnoException {
        switch (phase) {
            case OPEN -> throw new ErrnoException(Errno.EPIPE, "not connected");
            case CLOSED -> throw new ErrnoException(Errno.EBADF);
            default -> { }
        }
    }

    private static void requireWritable(ByteBuffer[] dsts, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (dsts[i].isReadOnly()) throw new IllegalArgumentException("read-only buffer");
        }
    }

    /** Recomputes the ready set (loop thread) and tells the listener when it changed: Linux's tcp_poll, in short. */
    private void publishReadiness() {
        int r = 0;
        if (connectFinished) r |= Readiness.CONNECT;
        Connection c = held.conn;
        if (phase == Phase.CONNECTED && c != null) {
            boolean failed = c.state() == State.CLOSED || c.pendingError() != null;
            if (failed || c.available() > 0 || c.receiveShutdown()) r |= Readiness.READ;
            if (failed || outputShut || c.sendSpace() > 0 && c.streamMemoryFree(true)) r |= Readiness.WRITE;
        }
        if (r == ready) return;
        ready = r;
        Runnable l = readinessListener;
        if (l != null) l.run();
    }

    // ---- shutdown, close ----

    /** shutdown(SHUT_WR): a FIN follows the queued data; reading goes on. Later writes fail with EPIPE. */
    public void shutdownOutput() throws IOException {
        call(() -> {
            requireConnection();
            held.conn.shutdownOutput(now());
            traced("shutdown SHUT_WR", "0");
            outputShut = true;
            serveWrites();
            publishReadiness();
            return null;
        });
    }

    /** shutdown(SHUT_RD): reads return -1 once the queue is empty; data still arriving is queued and readable, as on Linux. */
    public void shutdownInput() throws IOException {
        call(() -> {
            requireConnection();
            held.conn.shutdownInput(now());
            traced("shutdown SHUT_RD", "0");
            serveReads();
            publishReadiness();
            return null;
        });
    }

    /**
     * close(2). A FIN follows the queued data and the connection finishes on its own
     * (TIME_WAIT included) unless: data received was left unread, or SO_LINGER is zero,
     * and then an RST ends it at once (no TIME_WAIT). With SO_LINGER above zero this
     * blocks until the FIN is acknowledged or the linger time passes (not when called
     * on the loop's thread). Calls still waiting on this socket fail with EBADF.
     */
    @Override
    public void close() throws IOException {
        if (loop.inLoop()) {
            closeOnLoop(false);
            return;
        }
        Closing c = Await.join(loop, loop.call(() -> closeOnLoop(false)));
        if (c.finAcked() != null) {
            try {
                Await.join(loop, c.finAcked(), c.linger());
            } catch (TimeoutException e) {
                c.finAcked().cancel(false);
            }
        }
    }

    /** close(2) without waiting; the future completes when close() would return. */
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        onLoop(f, () -> {
            Closing c = closeOnLoop(false);
            if (c.finAcked() == null) f.complete(null);
            else c.finAcked().completeOnTimeout(null, c.linger().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)
                    .whenComplete((v, t) -> f.complete(null));
        });
        return f;
    }

    /** Resets the connection (RST, no TIME_WAIT) and closes the socket: close(2) with SO_LINGER zero. */
    public void abort() throws IOException {
        if (loop.inLoop()) {
            closeOnLoop(true);
            return;
        }
        Await.join(loop, loop.call(() -> closeOnLoop(true)));
    }

    private Closing closeOnLoop(boolean abort) {
        if (phase == Phase.CLOSED) return new Closing(null, null);
        phase = Phase.CLOSED;
        held.closed = true;
        traced(abort ? "abort" : "close", "0");
        failPending(new ErrnoException(Errno.EBADF, "socket closed"));
        if (connecting != null) {
            connecting.completeExceptionally(new ErrnoException(Errno.ECONNABORTED, "socket closed while connecting"));
            connecting = null;
        }
        if (held.binding != null) loop.stack().unbind(held.binding);
        held.binding = null;
        if (hookAdded) loop.removeShutdownHook(held.shutdownHook);
        publishReadiness();
        if (held.conn == null) return new Closing(null, null);
        Connection c = held.conn;
        if (!closeConnection(c, options, abort, now())) return new Closing(null, null);
        Duration linger = options.linger;
        if (linger == null || finAcked(c)) return new Closing(null, null);
        return new Closing(loop.when(() -> finAcked(c)), linger);
    }

    /**
     * What close(2) does to the connection: a reset under SO_LINGER zero (or for abort),
     * otherwise the FIN exchange, which still resets if unread data remains (tcp_close).
     * Returns whether the FIN exchange began.
     */
    private static boolean closeConnection(Connection c, SocketOptions options, boolean abort, long now) {
        Duration linger = options.linger;
        if (abort || linger != null && linger.isZero()) {
            c.abort(now);
            return false;
        }
        c.close(now);
        return true;
    }

    /** Our FIN is acknowledged, or the connection is gone. */
    private static boolean finAcked(Connection c) {
        State s = c.state();
        return s == State.FIN_WAIT_2 || s == State.TIME_WAIT || s == State.CLOSED;
    }

    // ---- options, status ----

    /** setsockopt(2). Live options take effect at once on a connected socket; see {@link TcpOption}. */
    public <T> void setOption(TcpOption<T> option, T value) throws IOException {
        call(() -> {
            if (phase == Phase.CLOSED) throw new ErrnoException(Errno.EBADF);
            option.set(options, value);
            if (held.conn != null && option.isLive() && held.conn.state() != State.CLOSED) held.conn.optionsChanged(now());
            traced("setsockopt " + option.name(), "0");
            return null;
        });
    }

    public <T> T getOption(TcpOption<T> option) throws IOException {
        return call(() -> option.get(options, loop.sysctls()));
    }

    /** ioctl(2): SIOCINQ (FIONREAD), SIOCOUTQ or SIOCOUTQNSD, as Linux answers them. ENOTCONN before connect. */
    public int ioctl(Ioctl request) throws IOException {
        return call(() -> {
            requireConnection();
            return held.conn.ioctl(request);
        });
    }

    /** getsockopt(TCP_INFO): Linux's struct tcp_info. ENOTCONN before connect. */
    public TcpInfo tcpInfo() throws IOException {
        return call(() -> {
            requireConnection();
            return held.conn.tcpInfo(now());
        });
    }

    /**
     * With {@link TcpOption#TCP_INQ} set, what the TCP_CM_INQ control message of the last
     * receive would carry (Linux's tcp_inq_hint): bytes still queued, plus one for an unread
     * FIN. EINVAL while TCP_INQ is off (no control message would come); ENOTCONN before connect.
     */
    public int inqHint() throws IOException {
        return call(() -> {
            requireConnection();
            if (!options.inq) throw new ErrnoException(Errno.EINVAL, "TCP_INQ is off");
            return held.conn.inqHint();
        });
    }

    /**
     * setsockopt(TCP_QUICKACK): false delays ACKs so replies can carry them, true
     * acknowledges promptly again. Not a stored option, as on Linux: the connection leaves
     * or re-enters that mode by itself as traffic goes ({@link Connection#setQuickAck}).
     * Before connect there is nothing to change yet (Linux accepts the call too).
     */
    public void setQuickAck(boolean on) throws IOException {
        call(() -> {
            if (phase == Phase.CLOSED) throw new ErrnoException(Errno.EBADF);
            if (held.conn != null && held.conn.state() != State.CLOSED) held.conn.setQuickAck(on, now());
            return null;
        });
    }

    /** getsockopt(TCP_QUICKACK): true unless the connection is delaying ACKs for replies to carry. */
    public boolean quickAck() throws IOException {
        return call(() -> held.conn == null || held.conn.quickAck());
    }

    /**
     * STATUS of the connection (RFC 9293 §3.10.6, what ss shows for its 4-tuple), or null
     * before connect: TIME_WAIT while the host's TIME_WAIT table holds it, CLOSED after.
     */
    public ConnectionStatus status() throws IOException {
        return call(() -> held.conn == null ? null : loop.stack().status(held.conn, now()));
    }

    /** The local port, 0 while unbound (an ephemeral port is chosen at connect). */
    public int localPort() {
        FourTuple t = tuple;
        return t != null ? t.localPort() : boundPort;
    }

    /**
     * getsockname(2): the connection's local address and port once connecting, else the
     * bound address (0.0.0.0 for the wildcard) and port (0 while unbound).
     */
    public InetSocketAddress localAddress() {
        FourTuple t = tuple;
        return t != null ? Addresses.of(t.localAddr(), t.localPort()) : Addresses.of(boundAddr, boundPort);
    }

    /** getpeername(2): the peer's address and port, or null before connect. */
    public InetSocketAddress remoteAddress() {
        FourTuple t = tuple;
        return t == null ? null : Addresses.of(t.remoteAddr(), t.remotePort());
    }

    public int remotePort() {
        FourTuple t = tuple;
        return t == null ? 0 : t.remotePort();
    }

    @Override
    public String toString() {
        FourTuple t = tuple;
        return "TcpSocket[" + (t == null ? "unconnected" : t.toString()) + "]";
    }

    // ---- the loop's side ----

    /**
     * The socket's part on the stack: the handler its connection calls, and what it holds
     * there (the connection, the bind(2) hold). The connection refers to this rather than to
     * the socket, so that a socket the application drops without closing it can be
     * collected; the Cleaner then closes what it held, as Linux closes the descriptors of an
     * exiting process: the connection is closed like any other (an orphan finishing its
     * FIN exchange, or reset if unread data remains) and the port is released.
     */
    private static final class Held implements SocketHandler, Runnable {
        final StackLoop loop;
        final WeakReference<TcpSocket> socket;
        final SocketOptions options;
        final Runnable shutdownHook;
        // Loop thread only.
        Connection conn;
        Stack.Binding binding;
        /** close() or abort() ran, or the Cleaner's close did: nothing is left to close. */
        boolean closed;

        Held(TcpSocket s) {
            loop = s.loop;
            socket = new WeakReference<>(s);
            options = s.options;
            shutdownHook = () -> {
                TcpSocket live = socket.get();
                if (live != null) live.loopClosed();
            };
        }

        @Override
        public void established(Connection c, long now) {
            TcpSocket s = socket.get();
            if (s != null) s.established(c);
        }

        @Override
        public void readable(Connection c, long now) {
            TcpSocket s = socket.get();
            if (s != null) s.readable(c);
        }

        @Override
        public void writable(Connection c, long now) {
            TcpSocket s = socket.get();
            if (s != null) s.writable(c);
        }

        @Override
        public void closed(Connection c, Errno error, long now) {
            TcpSocket s = socket.get();
            if (s != null) s.closed(c, error);
        }

        /** The Cleaner's thread: the socket became unreachable. */
        @Override
        public void run() {
            try {
                loop.execute(this::closeAbandoned);
            } catch (RejectedExecutionException loopClosed) {
                // The loop has shut down, and its connections and ports with it.
            }
        }

        private void closeAbandoned() {
            if (closed) return;
            closed = true;
            loop.removeShutdownHook(shutdownHook);
            if (binding != null) loop.stack().unbind(binding);
            binding = null;
            if (conn != null) closeConnection(conn, options, false, loop.now());
        }
    }

    private void established(Connection c) {
        if (phase == Phase.CLOSED || c != held.conn) return;
        if (phase == Phase.CONNECTING) {
            phase = Phase.CONNECTED;
            connectFinished = true;
            CompletableFuture<TcpSocket> f = connecting;
            connecting = null;
            traced("connect", "0");
            f.complete(this);
        }
        serveWrites();
        serveReads();
        publishReadiness();
    }

    private void readable(Connection c) {
        if (phase != Phase.CLOSED && c == held.conn) {
            serveReads();
            publishReadiness();
        }
    }

    private void writable(Connection c) {
        if (phase != Phase.CLOSED && c == held.conn) {
            serveWrites();
            publishReadiness();
        }
    }

    private void closed(Connection c, Errno error) {
        if (phase == Phase.CLOSED || c != held.conn) return;
        if (phase == Phase.CONNECTING) {
            // The attempt failed (refused, timed out, aborted): like Linux, the socket may connect again.
            traced("connect", (error != null ? error : Errno.ECONNABORTED).name());
            CompletableFuture<TcpSocket> f = connecting;
            connecting = null;
            f.completeExceptionally(new ErrnoException(error != null ? error : Errno.ECONNABORTED));
            failPending(new ErrnoException(error != null ? error : Errno.ECONNABORTED));
            held.conn = null;
            tuple = null;
            phase = Phase.OPEN;
            connectFinished = true;
            publishReadiness();
            return;
        }
        serveReads();
        serveWrites();
        publishReadiness();
    }

    private void serveReads() {
        while (!reads.isEmpty()) {
            PendingRead r = reads.peek();
            if (r.done().isDone()) {
                reads.poll();
                continue;
            }
            int n;
            try {
                n = r.bufs() != null
                        ? (int) BufferCopy.receive(held.conn, r.bufs(), r.off(), r.len(), now())
                        : held.conn.receive(r.buf(), r.off(), r.len(), r.peek(), now());
            } catch (ErrnoException e) {
                reads.poll();
                r.done().completeExceptionally(e);
                continue;
            }
            if (n == 0) return;
            reads.poll();
            r.done().complete(n);
        }
    }

    private void serveWrites() {
        while (!writes.isEmpty()) {
            PendingWrite w = writes.peek();
            try {
                if (w.bufs != null) BufferCopy.send(held.conn, w.bufs, w.off, w.len, w.more, now());
                else w.written += held.conn.send(w.buf, w.off + w.written, w.len - w.written, w.more, now());
            } catch (ErrnoException e) {
                writes.poll();
                w.done.completeExceptionally(e);
                continue;
            }
            if (w.bufs != null ? BufferCopy.remaining(w.bufs, w.off, w.len) > 0 : w.written < w.len) return;
            writes.poll();
            w.done.complete(null);
        }
    }

    private void failPending(Throwable why) {
        for (PendingRead r; (r = reads.poll()) != null; ) r.done().completeExceptionally(why);
        for (PendingWrite w; (w = writes.poll()) != null; ) w.done.completeExceptionally(why);
    }

    private void requireConnection() throws ErrnoException {
        if (phase == Phase.CLOSED) throw new ErrnoException(Errno.EBADF);
        if (held.conn == null) throw new ErrnoException(Errno.ENOTCONN);
    }

    private void addHook() {
        if (hookAdded) return;
        hookAdded = true;
        loop.onShutdown(held.shutdownHook);
    }

    /** The loop is shutting down: nothing waiting on this socket will ever complete otherwise. */
    private void loopClosed() {
        IOException why = new IOException("stack loop " + loop.name() + " closed");
        failPending(why);
        if (connecting != null) connecting.completeExceptionally(why);
        connecting = null;
    }

    /** Abandons an accepted socket nobody will ever see (its listener closed first). Loop thread. */
    void abandon() {
        closeOnLoop(true);
    }

    private long now() {
        return loop.now();
    }

    /** A blocking call's wait on {@code f}: an interrupt closes the socket, a timeout fails {@code f} with {@code timeout}'s exception. */
    private class Blocked implements Await.Blocked {
        private final CompletableFuture<?> f;
        private final Supplier<SocketTimeoutException> timeout;

        /** {@code timeout} is null for the calls SO_TIMEOUT does not bound (write). */
        Blocked(CompletableFuture<?> f, Supplier<SocketTimeoutException> timeout) {
            this.f = f;
            this.timeout = timeout;
        }

        @Override
        public void timedOut() {
            f.completeExceptionally(timeout.get());
        }

        @Override
        public void closeOnInterrupt() {
            try {
                Await.join(loop, loop.call(() -> closeOnLoop(false)));
            } catch (IOException closedAlready) {
                // the loop is gone: the socket is as closed as it gets
            }
        }
    }

    /** Loop thread: this socket's call, in the stack's trace. */
    private void traced(String call, String result) {
        if (!loop.stack().tracing()) return; // no addresses formatted per connection when nobody watches
        FourTuple t = tuple;
        loop.stack().traceCall(t == null ? null : t.local(), t == null ? null : t.remote(), call, result, now());
    }

    @FunctionalInterface
    private interface LoopAction {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface LoopCall<T> {
        T call() throws Exception;
    }

    /** Runs {@code action} on the loop; an exception from it (or the loop's closing) fails {@code f}. */
    private void onLoop(CompletableFuture<?> f, LoopAction action) {
        loop.submit(() -> {
            try {
                action.run();
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        }, f::completeExceptionally);
    }

    private <T> T call(LoopCall<T> c) throws IOException {
        return Await.join(loop, loop.call(c::call));
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = TcpSocket.this.read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return TcpSocket.this.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return TcpSocket.this.available();
        }

        @Override
        public void close() throws IOException {
            TcpSocket.this.close();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            TcpSocket.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            TcpSocket.this.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            TcpSocket.this.close();
        }
    }
}
