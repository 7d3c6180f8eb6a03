package io.jtcp.nio;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.api.TcpOption;
import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A {@link ServerSocketChannel} over a jtcp {@link TcpServerSocket}, blocking or not. */
final class JtcpServerSocketChannel extends ServerSocketChannel {
    /** java.net's backlog when none (or less than one) is given. */
    private static final int JDK_DEFAULT_BACKLOG = 50;

    private final TcpServerSocket server;
    private final Selectable selectable = new Selectable();
    private final Object stateLock = new Object();
    private volatile InetSocketAddress local;
    private ServerSocket adaptor;

    JtcpServerSocketChannel(SelectorProvider provider, TcpServerSocket server) {
        super(provider);
        this.server = server;
        server.onReadiness(selectable::readinessChanged);
    }

    Selectable selectable() { return selectable; }

    final class Selectable extends JtcpSelectable {
        @Override
        int readyOps() {
            return server.readiness() & SelectionKey.OP_ACCEPT;
        }

        @Override
        StackLoop loop() {
            return server.loop();
        }
    }

    /** bind(2) and listen(2); the address must be this host's or the wildcard. */
    @Override
    public ServerSocketChannel bind(SocketAddress at, int backlog) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (local != null) throw new AlreadyBoundException();
            InetSocketAddress a = at == null ? new InetSocketAddress(0) : Addresses.check(at);
            try {
                server.bind(a.getAddress().getHostAddress(), a.getPort());
                server.listen(backlog < 1 ? JDK_DEFAULT_BACKLOG : backlog);
            } catch (IOException e) {
                throw NioErrors.map(e, false);
            }
            local = new InetSocketAddress(a.getAddress(), server.localPort());
        }
        return this;
    }

    @Override
    public SocketChannel accept() throws IOException {
        ensureOpen();
        if (local == null) throw new NotYetBoundException();
        TcpSocket s;
        if (isBlocking()) {
            s = await(server.acceptAsync());
        } else {
            try {
                s = server.tryAccept();
            } catch (IOException e) {
                throw NioErrors.map(e, false);
            }
            if (s == null) return null;
        }
        InetSocketAddress peer = s.remoteAddress();
        return new JtcpSocketChannel(provider(), s, peer);
    }

    boolean isBound() { return local != null; }

    InetAddress localInetAddress() {
        InetSocketAddress l = local;
        return l == null ? null : l.getAddress();
    }

    int localPort() {
        InetSocketAddress l = local;
        return l == null ? -1 : l.getPort();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return local;
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        TcpOption<?> o = NioOptions.jtcp(name, NioOptions.SERVER);
        ensureOpen();
        set(o, NioOptions.toJtcp(name, value));
        return this;
    }

    @SuppressWarnings("unchecked")
    private <V> void set(TcpOption<V> o, Object v) throws IOException {
        try {
            server.setOption(o, (V) v);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EINVAL) throw new IllegalArgumentException(e.getMessage(), e);
            throw NioErrors.map(e, false);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        TcpOption<?> o = NioOptions.jtcp(name, NioOptions.SERVER);
        ensureOpen();
        return (T) NioOptions.fromJtcp(name, server.getOption(o));
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() { return NioOptions.SERVER; }

    @Override
    public ServerSocket socket() {
        synchronized (stateLock) {
            if (adaptor == null) adaptor = NioSockets.serverSocket(this);
            return adaptor;
        }
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        server.close();
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // accept() looks at isBlocking(): there is no descriptor mode to change.
    }

    @Override
    public String toString() {
        return "JtcpServerSocketChannel[" + (isOpen() ? server : "closed") + "]";
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    private <T> T await(CompletableFuture<T> f) throws IOException {
        boolean done = false;
        begin();
        try {
            T v = NioErrors.join(server.loop(), f, false);
            done = true;
            return v;
        } finally {
            end(done);
        }
    }
}
