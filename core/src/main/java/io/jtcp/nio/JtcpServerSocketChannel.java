package io.jtcp.nio;

import io.jtcp.api.SocketErrors;
import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.net.JtcpSocketOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.ClosedChannelException;
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
            if (local != null) throw SocketErrors.alreadyBound();
            InetSocketAddress a = at == null ? new InetSocketAddress(0) : Addresses.check(at);
            server.bind(io.jtcp.net.JdkWildcard.asJdkBinds(a));
            server.listen(backlog < 1 ? JDK_DEFAULT_BACKLOG : backlog);
            local = new InetSocketAddress(a.getAddress(), server.localPort());
        }
        return this;
    }

    @Override
    public SocketChannel accept() throws IOException {
        ensureOpen();
        if (local == null) throw SocketErrors.notYetBound();
        TcpSocket s;
        if (isBlocking()) {
            s = await(server.acceptAsync());
        } else {
            s = server.tryAccept();
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
        try {
            JtcpSocketOptions.set(server, name, value);
        } catch (IOException e) {
            throw ChannelWaits.closedOr(e);
        }
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        T value = JtcpSocketOptions.get(server, name);
        ensureOpen(); // after the option's own checks, in the JDK's order: a closed socket still answers getsockopt
        return value;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() { return JtcpSocketOptions.supportedByServer(); }

    @Override
    public ServerSocket socket() {
        synchronized (stateLock) {
            if (adaptor == null) adaptor = new ChannelServerSocket(this);
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
        if (!isOpen()) throw SocketErrors.closedChannel();
    }

    private <T> T await(CompletableFuture<T> f) throws IOException {
        return ChannelWaits.await(server.loop(), f, this::begin, this::end);
    }
}
