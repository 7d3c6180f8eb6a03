package io.jtcp.nio;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoCarrier;
import io.jtcp.api.Readiness;
import io.jtcp.api.SocketErrors;
import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpSocket;
import io.jtcp.net.JtcpSocketOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link SocketChannel} over a jtcp {@link TcpSocket}, blocking or not. Blocking calls
 * park on the socket's futures and are interruptible the JDK's way (the channel closes,
 * ClosedByInterruptException); non-blocking ones use the socket's try-calls, which answer
 * from the published ready set without a trip to the loop when there is nothing to do.
 */
final class JtcpSocketChannel extends SocketChannel {
    private enum State { UNCONNECTED, PENDING, CONNECTED }

    private final TcpSocket socket;
    private final Selectable selectable = new Selectable();
    private final Object stateLock = new Object();
    private volatile State state;
    private volatile boolean bound, inputShut, outputShut;
    /** A read failed with ECONNRESET: later reads fail the same way (the JDK's channel does; read(2) would return 0). */
    private volatile boolean connectionReset;
    private volatile InetSocketAddress remote;
    private CompletableFuture<TcpSocket> connecting;
    private Socket adaptor;

    /** A new, unconnected channel. */
    JtcpSocketChannel(SelectorProvider provider, TcpSocket socket) {
        this(provider, socket, State.UNCONNECTED, null);
    }

    /** A channel for a connection a server channel accepted. */
    JtcpSocketChannel(SelectorProvider provider, TcpSocket accepted, InetSocketAddress remote) {
        this(provider, accepted, State.CONNECTED, remote);
        bound = true;
    }

    private JtcpSocketChannel(SelectorProvider provider, TcpSocket socket, State state, InetSocketAddress remote) {
        super(provider);
        this.socket = socket;
        this.state = state;
        this.remote = remote;
        socket.onReadiness(selectable::readinessChanged);
    }

    /** The jtcp socket underneath, for jtcp's own calls (TCP_INFO, ioctl, ...). */
    TcpSocket tcpSocket() { return socket; }

    Selectable selectable() { return selectable; }

    final class Selectable extends JtcpSelectable {
        @Override
        int readyOps() {
            int r = socket.readiness();
            return switch (state) {
                case PENDING -> (r & Readiness.CONNECT) != 0 ? SelectionKey.OP_CONNECT : 0;
                case CONNECTED -> r & (SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                case UNCONNECTED -> 0;
            };
        }

        @Override
        StackLoop loop() {
            return socket.loop();
        }
    }

    // ---- bind, connect ----

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (state == State.PENDING) throw SocketErrors.connectionPending();
            // A connected channel is bound (to its connection's port), as the JDK sees it.
            if (bound || state == State.CONNECTED) throw SocketErrors.alreadyBound();
            InetSocketAddress a = local == null ? new InetSocketAddress(0) : Addresses.check(local);
            socket.bind(a);
            bound = true;
        }
        return this;
    }

    @Override
    public boolean connect(SocketAddress to) throws IOException {
        InetSocketAddress a = Addresses.check(to);
        synchronized (stateLock) {
            ensureOpen();
            if (state == State.CONNECTED) throw SocketErrors.alreadyConnected();
            if (state == State.PENDING) throw SocketErrors.connectionPending();
            connecting = socket.connectAsync(a);
            state = State.PENDING;
            remote = a;
        }
        // Non-blocking: false even when the handshake is already done, so OP_CONNECT and
        // finishConnect always follow (the JDK may return true for a local connection; jtcp's loop
        // runs on its own thread, and a fixed answer keeps callers' paths the same every run).
        return isBlocking() && finishConnect();
    }

    /**
     * Completes the connect; a failed one closes the channel, as the JDK's does, and
     * throws what connect(2) failed with (ConnectException "Connection refused" for
     * ECONNREFUSED, NoRouteToHostException for EHOSTUNREACH, ...).
     */
    @Override
    public boolean finishConnect() throws IOException {
        CompletableFuture<TcpSocket> f;
        synchronized (stateLock) {
            ensureOpen();
            if (state == State.CONNECTED) return true;
            if (state != State.PENDING) throw SocketErrors.noConnectionPending();
            f = connecting;
        }
        if (!isBlocking() && !f.isDone()) return false;
        try {
            await(f);
        } catch (IOException e) {
            close();
            throw e;
        }
        synchronized (stateLock) {
            state = State.CONNECTED;
            connecting = null;
            bound = true;
        }
        return true;
    }

    @Override
    public boolean isConnected() { return state == State.CONNECTED; }

    @Override
    public boolean isConnectionPending() { return state == State.PENDING; }

    // ---- data ----

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return (int) read(new ByteBuffer[] {Objects.requireNonNull(dst)}, 0, 1);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        ensureConnected();
        if (connectionReset) throw SocketErrors.of(Errno.ECONNRESET, "reported by an earlier read");
        if (inputShut) return -1;
        try {
            if (isBlocking()) return await(socket.readAsync(dsts, offset, length));
            return socket.tryRead(dsts, offset, length);
        } catch (SocketException e) {
            if (ErrnoCarrier.errnoOf(e) == Errno.ECONNRESET) connectionReset = true;
            throw e;
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {Objects.requireNonNull(src)}, 0, 1);
    }

    /**
     * Blocking: returns once every remaining byte has entered the send buffer. After
     * {@link #shutdownOutput()}, AsynchronousCloseException (errno EBADF): what the JDK's
     * channel throws then, blocking or not (write(2) itself would say EPIPE).
     */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        ensureConnected();
        if (outputShut) throw SocketErrors.asynchronousClose();
        if (isBlocking()) {
            long all = 0;
            for (int i = offset; i < offset + length; i++) all += srcs[i].remaining();
            await(socket.writeAsync(srcs, offset, length));
            return all;
        }
        return socket.tryWrite(srcs, offset, length);
    }

    // ---- shutdown, close ----

    @Override
    public SocketChannel shutdownInput() throws IOException {
        ensureConnected();
        if (!inputShut) {
            socket.shutdownInput();
            inputShut = true;
        }
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        ensureConnected();
        if (!outputShut) {
            socket.shutdownOutput();
            outputShut = true;
        }
        return this;
    }

    boolean isInputShut() { return inputShut; }

    boolean isOutputShut() { return outputShut; }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        socket.close();
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // Each call looks at isBlocking(): there is no descriptor mode to change.
    }

    // ---- addresses, options ----

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        int port = socket.localPort();
        return port == 0 && !bound ? null : socket.localAddress();
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return remote;
    }

    InetAddress localInetAddress() { return socket.localAddress().getAddress(); }

    boolean isBound() { return bound || socket.localPort() != 0; }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        try {
            JtcpSocketOptions.set(socket, name, value);
        } catch (IOException e) {
            throw ChannelWaits.closedOr(e);
        }
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        T value = JtcpSocketOptions.get(socket, name);
        ensureOpen(); // after the option's own checks, in the JDK's order: a closed socket still answers getsockopt
        return value;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() { return JtcpSocketOptions.supported(); }

    @Override
    public Socket socket() {
        synchronized (stateLock) {
            if (adaptor == null) adaptor = ChannelSocket.of(this);
            return adaptor;
        }
    }

    @Override
    public String toString() {
        return "JtcpSocketChannel[" + (isOpen() ? state.name().toLowerCase() : "closed") + " " + socket + "]";
    }

    // ---- helpers ----

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw SocketErrors.closedChannel();
    }

    private void ensureConnected() throws ClosedChannelException {
        ensureOpen();
        if (state != State.CONNECTED) throw SocketErrors.notYetConnected();
    }

    private <T> T await(CompletableFuture<T> f) throws IOException {
        return ChannelWaits.await(socket.loop(), f, this::begin, this::end);
    }
}
