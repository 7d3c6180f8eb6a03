package io.jtcp.nio;

import io.jtcp.api.SocketErrors;
import io.jtcp.api.StackLoop;
import io.jtcp.api.UdpSocket;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link DatagramChannel} over a jtcp {@link UdpSocket}, either family, blocking or
 * not, with the JDK's checks and exceptions: NotYetConnectedException for read and
 * write before connect, AlreadyConnectedException for a send to another address than
 * the connected one, PortUnreachableException when an ICMP port unreachable came back.
 * Not provided: multicast membership ({@link #join}) and the {@link #socket()} adaptor.
 */
final class JtcpDatagramChannel extends DatagramChannel {
    private static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_BROADCAST);

    private final UdpSocket socket;
    private final boolean ipv6;
    private final Selectable selectable = new Selectable();
    private final Object stateLock = new Object();
    private volatile boolean bound;

    JtcpDatagramChannel(SelectorProvider provider, UdpSocket socket, boolean ipv6) {
        super(provider);
        this.socket = socket;
        this.ipv6 = ipv6;
        socket.setReadinessListener(selectable::readinessChanged);
    }

    Selectable selectable() { return selectable; }

    final class Selectable extends JtcpSelectable {
        @Override
        int readyOps() {
            return isOpen() ? socket.readiness() & (SelectionKey.OP_READ | SelectionKey.OP_WRITE) : 0;
        }

        @Override
        StackLoop loop() {
            return socket.loop();
        }
    }

    // ---- bind, connect ----

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (bound) throw SocketErrors.alreadyBound();
            socket.bind(local == null ? null : checked(local));
            bound = true;
        }
        return this;
    }

    /** connect(2): binds an unbound channel first; AlreadyConnectedException when connected, as the JDK's channel. */
    @Override
    public DatagramChannel connect(SocketAddress remote) throws IOException {
        InetSocketAddress a = checked(remote);
        synchronized (stateLock) {
            ensureOpen();
            if (socket.remoteAddress() != null) throw SocketErrors.alreadyConnected();
            socket.connect(a);
            bound = true;
        }
        return this;
    }

    @Override
    public DatagramChannel disconnect() throws IOException {
        synchronized (stateLock) {
            if (isOpen() && socket.remoteAddress() != null) socket.disconnect();
        }
        return this;
    }

    @Override
    public boolean isConnected() { return isOpen() && socket.remoteAddress() != null; }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return socket.remoteAddress();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        InetSocketAddress a = socket.localAddress();
        return a == null || a.getPort() == 0 ? null : a;
    }

    // ---- data ----

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        ensureOpen();
        return call(() -> socket.receive(dst));
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src);
        InetSocketAddress a = checked(target);
        ensureOpen();
        InetSocketAddress peer = socket.remoteAddress();
        if (peer != null && !peer.equals(a)) throw SocketErrors.alreadyConnected();
        return call(() -> socket.send(src, a));
    }

    /** read(2) on a connected channel: one datagram, what does not fit discarded; 0 when non-blocking and none is queued. */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        ensureConnected();
        int before = dst.position();
        return call(() -> socket.receive(dst)) == null ? 0 : dst.position() - before;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        long room = 0;
        for (int i = offset; i < offset + length; i++) room += dsts[i].remaining();
        ByteBuffer one = ByteBuffer.allocate((int) Math.min(room, 65_535));
        int n = read(one);
        one.flip();
        for (int i = offset; i < offset + length && one.hasRemaining(); i++) {
            ByteBuffer d = dsts[i];
            int k = Math.min(d.remaining(), one.remaining());
            d.put(one.slice(one.position(), k));
            one.position(one.position() + k);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src);
        ensureConnected();
        return call(() -> socket.send(src, null));
    }

    /** The buffers' remaining bytes gathered into one datagram. */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        long all = 0;
        for (int i = offset; i < offset + length; i++) all += srcs[i].remaining();
        ByteBuffer one = ByteBuffer.allocate((int) Math.min(all, Integer.MAX_VALUE - 8));
        for (int i = offset; i < offset + length; i++) one.put(srcs[i].duplicate());
        one.flip();
        int n = write(one);
        for (int i = offset; i < offset + length; i++) srcs[i].position(srcs[i].limit());
        return n;
    }

    // ---- options, close ----

    @Override
    @SuppressWarnings("unchecked")
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        Objects.requireNonNull(name);
        if (!OPTIONS.contains(name)) throw new UnsupportedOperationException("'" + name + "' not supported");
        if (value == null) throw new IllegalArgumentException("Invalid value 'null'");
        ensureOpen();
        try {
            if (name == StandardSocketOptions.SO_RCVBUF) socket.setReceiveBufferSize((Integer) value);
            else if (name == StandardSocketOptions.SO_SNDBUF) socket.setSendBufferSize((Integer) value);
            else if (name == StandardSocketOptions.SO_REUSEADDR) socket.setReuseAddress((Boolean) value);
            else socket.setBroadcast((Boolean) value);
        } catch (IOException e) {
            throw ChannelWaits.closedOr(e);
        }
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        Objects.requireNonNull(name);
        if (!OPTIONS.contains(name)) throw new UnsupportedOperationException("'" + name + "' not supported");
        ensureOpen();
        try {
            if (name == StandardSocketOptions.SO_RCVBUF) return (T) (Integer) socket.receiveBufferSize();
            if (name == StandardSocketOptions.SO_SNDBUF) return (T) (Integer) socket.sendBufferSize();
            if (name == StandardSocketOptions.SO_REUSEADDR) return (T) (Boolean) socket.reuseAddress();
            return (T) (Boolean) socket.broadcast();
        } catch (IOException e) {
            throw ChannelWaits.closedOr(e);
        }
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() { return OPTIONS; }

    @Override
    public DatagramSocket socket() {
        throw new UnsupportedOperationException("jtcp's datagram channels have no DatagramSocket adaptor");
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) {
        throw new UnsupportedOperationException("jtcp does not join multicast groups");
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) {
        throw new UnsupportedOperationException("jtcp does not join multicast groups");
    }

    @Override
    protected void implCloseSelectableChannel() {
        socket.close();
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        socket.configureBlocking(block);
    }

    @Override
    public String toString() {
        return "JtcpDatagramChannel[" + (isOpen() ? socket : "closed") + "]";
    }

    // ---- helpers ----

    /** An address this channel's family can use, checked as sun.nio.ch.Net.checkAddress does. */
    private InetSocketAddress checked(SocketAddress a) {
        Objects.requireNonNull(a);
        if (!(a instanceof InetSocketAddress isa)) throw SocketErrors.unsupportedAddressType();
        if (isa.isUnresolved()) throw SocketErrors.unresolvedAddress();
        if (!ipv6 && !(isa.getAddress() instanceof java.net.Inet4Address)) throw SocketErrors.unsupportedAddressType();
        return isa;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw SocketErrors.closedChannel();
    }

    private void ensureConnected() throws ClosedChannelException {
        ensureOpen();
        if (socket.remoteAddress() == null) throw SocketErrors.notYetConnected();
    }

    private interface Io<T> {
        T run() throws IOException;
    }

    /**
     * A call between begin and end, as the JDK's blocking channel calls: an interrupt closes
     * the channel (ClosedByInterruptException), a close from another thread makes the call
     * throw AsynchronousCloseException; a closed socket's EBADF is ClosedChannelException.
     */
    private <T> T call(Io<T> io) throws IOException {
        boolean completed = false;
        begin();
        try {
            T v = io.run();
            completed = true;
            return v;
        } catch (IOException e) {
            if (!isOpen()) return null; // end() below throws the JDK's exception for a closed channel
            throw ChannelWaits.closedOr(e);
        } finally {
            try {
                end(completed);
            } catch (java.nio.channels.ClosedByInterruptException e) {
                throw SocketErrors.channelClosedByInterrupt();
            } catch (java.nio.channels.AsynchronousCloseException e) {
                throw SocketErrors.asynchronousClose();
            }
        }
    }
}
