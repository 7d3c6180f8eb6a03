package io.jtcp.nio;

import io.jtcp.api.SocketErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Set;

/**
 * A jtcp socket channel seen as a {@link Socket}, as the JDK's channels give one from
 * {@code socket()} (sun.nio.ch.SocketAdaptor): every call reads or acts on the channel,
 * so its state, addresses, options and shutdowns are the channel's at each moment, and
 * its streams work only while the channel is in blocking mode. Netty and HttpServer set
 * options through it. It is not an io.jtcp.net {@code JtcpSocket}: java.net.Socket keeps
 * its own connected/closed state, which a channel connected or closed behind its back
 * would contradict (the package documentation says more).
 */
final class ChannelSocket extends Socket {
    private final JtcpSocketChannel ch;
    private volatile int soTimeout;

    private ChannelSocket(JtcpSocketChannel ch) throws SocketException {
        super((SocketImpl) null);
        this.ch = ch;
    }

    /** The adaptor of {@code ch}; java.net.Socket takes the null implementation without complaint. */
    static ChannelSocket of(JtcpSocketChannel ch) {
        try {
            return new ChannelSocket(ch);
        } catch (SocketException e) {
            throw new UncheckedIOException("java.net.Socket refused a null SocketImpl", e);
        }
    }

    @Override public SocketChannel getChannel() { return ch; }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        connect(remote, 0);
    }

    /**
     * The channel's connect, in blocking mode only (IllegalBlockingModeException
     * otherwise), with the JDK adaptor's checks and java.net's words for the channel's
     * exceptions. A timeout is not applied: the connect ends when the stack's SYN retries
     * do (jtcp's own sockets, io.jtcp.net's among them, have a connect timeout).
     */
    @Override
    public void connect(SocketAddress remote, int timeout) throws IOException {
        if (remote == null) throw new IllegalArgumentException("connect: The address can't be null");
        if (timeout < 0) throw new IllegalArgumentException("connect: timeout can't be negative");
        if (remote instanceof InetSocketAddress isa && isa.isUnresolved()) {
            if (!ch.isOpen()) throw new SocketException("Socket is closed");
            if (ch.isConnected()) throw new SocketException("Already connected");
            close();
            throw SocketErrors.unknownHost(isa.getHostString());
        }
        if (!ch.isBlocking()) throw new IllegalBlockingModeException();
        try {
            ch.connect(remote);
        } catch (IOException | RuntimeException e) {
            throw asSocketException(e);
        }
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        try {
            ch.bind(local);
        } catch (IOException | RuntimeException e) {
            throw asSocketException(e);
        }
    }

    @Override
    public InetAddress getInetAddress() {
        SocketAddress r = remote();
        return r == null ? null : ((InetSocketAddress) r).getAddress();
    }

    @Override
    public int getPort() {
        SocketAddress r = remote();
        return r == null ? 0 : ((InetSocketAddress) r).getPort();
    }

    @Override public InetAddress getLocalAddress() { return ch.localInetAddress(); }

    @Override public int getLocalPort() { return ch.isBound() ? ch.tcpSocket().localPort() : -1; }

    @Override public SocketAddress getRemoteSocketAddress() { return remote(); }

    @Override
    public SocketAddress getLocalSocketAddress() {
        try {
            return ch.isOpen() ? ch.getLocalAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private SocketAddress remote() {
        try {
            return ch.isConnected() ? ch.getRemoteAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The channel's bytes as a stream; reading while the channel is non-blocking throws IllegalBlockingModeException. */
    @Override
    public InputStream getInputStream() throws IOException {
        if (!ch.isOpen()) throw new SocketException("Socket is closed");
        if (!ch.isConnected()) throw new SocketException("Socket is not connected");
        if (ch.isInputShut()) throw new SocketException("Socket input is shutdown");
        return Channels.newInputStream(ch);
    }

    /** A stream into the channel; writing while the channel is non-blocking throws IllegalBlockingModeException. */
    @Override
    public OutputStream getOutputStream() throws IOException {
        if (!ch.isOpen()) throw new SocketException("Socket is closed");
        if (!ch.isConnected()) throw new SocketException("Socket is not connected");
        if (ch.isOutputShut()) throw new SocketException("Socket output is shutdown");
        return Channels.newOutputStream(ch);
    }

    @Override public void setTcpNoDelay(boolean on) throws SocketException { set(StandardSocketOptions.TCP_NODELAY, on); }

    @Override public boolean getTcpNoDelay() throws SocketException { return get(StandardSocketOptions.TCP_NODELAY); }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        set(StandardSocketOptions.SO_LINGER, on ? linger : -1);
    }

    @Override public int getSoLinger() throws SocketException { return get(StandardSocketOptions.SO_LINGER); }

    @Override public void setKeepAlive(boolean on) throws SocketException { set(StandardSocketOptions.SO_KEEPALIVE, on); }

    @Override public boolean getKeepAlive() throws SocketException { return get(StandardSocketOptions.SO_KEEPALIVE); }

    @Override public void setSendBufferSize(int size) throws SocketException { set(StandardSocketOptions.SO_SNDBUF, size); }

    @Override public int getSendBufferSize() throws SocketException { return get(StandardSocketOptions.SO_SNDBUF); }

    @Override public void setReceiveBufferSize(int size) throws SocketException { set(StandardSocketOptions.SO_RCVBUF, size); }

    @Override public int getReceiveBufferSize() throws SocketException { return get(StandardSocketOptions.SO_RCVBUF); }

    @Override public void setReuseAddress(boolean on) throws SocketException { set(StandardSocketOptions.SO_REUSEADDR, on); }

    @Override public boolean getReuseAddress() throws SocketException { return get(StandardSocketOptions.SO_REUSEADDR); }

    /**
     * Recorded for java.net callers that read it back, but not applied: the adaptor's
     * reads do not time out (io.jtcp.net's sockets apply SO_TIMEOUT).
     */
    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) throw new IllegalArgumentException("timeout < 0");
        soTimeout = timeout;
    }

    @Override public int getSoTimeout() { return soTimeout; }

    /** Urgent data inline is the only mode jtcp has (it sends no urgent data). */
    @Override public boolean getOOBInline() { return false; }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        if (on) throw new SocketException("jtcp has no urgent data to put inline");
    }

    @Override public void sendUrgentData(int data) throws IOException { throw new SocketException("jtcp sends no urgent data"); }

    @Override public void setTrafficClass(int tc) throws SocketException { throw new SocketException("jtcp sets no IP_TOS"); }

    @Override public int getTrafficClass() { return 0; }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        ch.setOption(name, value);
        return this;
    }

    @Override public <T> T getOption(SocketOption<T> name) throws IOException { return ch.getOption(name); }

    @Override public Set<SocketOption<?>> supportedOptions() { return ch.supportedOptions(); }

    @Override public void close() throws IOException { ch.close(); }

    @Override
    public void shutdownInput() throws IOException {
        try {
            ch.shutdownInput();
        } catch (IOException | RuntimeException e) {
            throw asSocketException(e);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        try {
            ch.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            throw asSocketException(e);
        }
    }

    @Override public boolean isConnected() { return ch.isConnected(); }

    @Override public boolean isBound() { return ch.isBound(); }

    @Override public boolean isClosed() { return !ch.isOpen(); }

    @Override public boolean isInputShutdown() { return ch.isInputShut(); }

    @Override public boolean isOutputShutdown() { return ch.isOutputShut(); }

    @Override
    public String toString() {
        return ch.isConnected() ? "Socket[addr=" + getInetAddress() + ",port=" + getPort() + ",localport=" + getLocalPort() + "]"
                : "Socket[unconnected]";
    }

    private <T> void set(SocketOption<T> o, T v) throws SocketException {
        try {
            ch.setOption(o, v);
        } catch (IOException | RuntimeException e) {
            throw asSocketException(e);
        }
    }

    private <T> T get(SocketOption<T> o) throws SocketException {
        try {
            return ch.getOption(o);
        } catch (IOException | RuntimeException e) {
            throw asSocketException(e);
        }
    }

    /**
     * A channel's exception in java.net's words, as the JDK's adaptors put it
     * (sun.nio.ch.Net.translateToSocketException): ClosedChannelException is "Socket is
     * closed", NotYetConnectedException "Socket is not connected", and so on. The
     * channel's exception stays the cause, so {@code ErrnoCarrier.errnoOf} still finds the
     * errno. Exceptions with no java.net form (IllegalBlockingModeException, ...) pass as
     * they are.
     */
    static SocketException asSocketException(Exception e) {
        if (e instanceof SocketException se) return se;
        String words = switch (e) {
            case ClosedChannelException c -> "Socket is closed";
            case NotYetConnectedException n -> "Socket is not connected";
            case AlreadyBoundException a -> "Already bound";
            case AlreadyConnectedException a -> "Already connected";
            case NotYetBoundException n -> "Socket is not bound yet";
            case UnsupportedAddressTypeException u -> "Unsupported address type";
            case UnresolvedAddressException u -> "Unresolved address";
            case IOException io -> io.getMessage();
            case RuntimeException r -> throw r;
            default -> throw new IllegalStateException(e);
        };
        return (SocketException) new SocketException(words).initCause(e);
    }
}
