package io.jtcp.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * A jtcp socket channel seen as a {@link Socket}, as the JDK's channels give one from
 * {@code socket()}: its options, addresses, state and shutdowns are the channel's.
 * Netty and HttpServer read and set options through it.
 */
final class ChannelSocket extends Socket {
    private final JtcpSocketChannel ch;
    private volatile int soTimeout;

    private ChannelSocket(JtcpSocketChannel ch) throws SocketException {
        super((SocketImpl) null);
        this.ch = ch;
    }

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

    @Override
    public void connect(SocketAddress remote, int timeout) throws IOException {
        if (!ch.isBlocking()) throw new IllegalBlockingModeException();
        ch.connect(remote);
    }

    @Override public void bind(SocketAddress local) throws IOException { ch.bind(local); }

    @Override
    public InetAddress getInetAddress() {
        SocketAddress r = remote();
        return r == null ? null : ((java.net.InetSocketAddress) r).getAddress();
    }

    @Override
    public int getPort() {
        SocketAddress r = remote();
        return r == null ? 0 : ((java.net.InetSocketAddress) r).getPort();
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

    @Override
    public InputStream getInputStream() throws IOException {
        if (!ch.isOpen()) throw new SocketException("Socket is closed");
        if (!ch.isConnected()) throw new SocketException("Socket is not connected");
        return Channels.newInputStream(ch);
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        if (!ch.isOpen()) throw new SocketException("Socket is closed");
        if (!ch.isConnected()) throw new SocketException("Socket is not connected");
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

    /** Recorded for java.net callers that read it back; the channel's streams do not time out. */
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

    @Override public void shutdownInput() throws IOException { ch.shutdownInput(); }

    @Override public void shutdownOutput() throws IOException { ch.shutdownOutput(); }

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
        } catch (IOException e) {
            throw asSocketException(e);
        }
    }

    private <T> T get(SocketOption<T> o) throws SocketException {
        try {
            return ch.getOption(o);
        } catch (IOException e) {
            throw asSocketException(e);
        }
    }

    static SocketException asSocketException(IOException e) {
        if (e instanceof SocketException se) return se;
        if (e instanceof java.nio.channels.ClosedChannelException) return new SocketException("Socket is closed");
        return (SocketException) new SocketException(e.getMessage()).initCause(e);
    }
}
