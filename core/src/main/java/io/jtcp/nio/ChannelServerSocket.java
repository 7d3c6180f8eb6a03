package io.jtcp.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.util.Set;

/**
 * A jtcp server socket channel seen as a {@link ServerSocket}, as the JDK's channels give
 * one from {@code socket()} (sun.nio.ch.ServerSocketAdaptor): every call reads or acts on
 * the channel. HttpServer binds through it, Netty reads options through it.
 */
final class ChannelServerSocket extends ServerSocket {
    private final JtcpServerSocketChannel ch;

    ChannelServerSocket(JtcpServerSocketChannel ch) {
        super(new Unused());
        this.ch = ch;
    }

    @Override public ServerSocketChannel getChannel() { return ch; }

    @Override public void bind(SocketAddress local) throws IOException { bind(local, 50); }

    @Override
    public void bind(SocketAddress local, int backlog) throws IOException {
        try {
            ch.bind(local, backlog);
        } catch (IOException | RuntimeException e) {
            throw ChannelSocket.asSocketException(e);
        }
    }

    @Override public InetAddress getInetAddress() { return ch.localInetAddress(); }

    @Override public int getLocalPort() { return ch.localPort(); }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return ch.isBound() ? new InetSocketAddress(ch.localInetAddress(), ch.localPort()) : null;
    }

    /** Blocking accept, as the JDK's adaptor allows only on a channel in blocking mode. */
    @Override
    public Socket accept() throws IOException {
        if (!ch.isBlocking()) throw new IllegalBlockingModeException();
        try {
            return ch.accept().socket();
        } catch (IOException | RuntimeException e) {
            throw ChannelSocket.asSocketException(e);
        }
    }

    @Override public void setReuseAddress(boolean on) throws SocketException { set(StandardSocketOptions.SO_REUSEADDR, on); }

    @Override public boolean getReuseAddress() throws SocketException { return get(StandardSocketOptions.SO_REUSEADDR); }

    @Override public void setReceiveBufferSize(int size) throws SocketException { set(StandardSocketOptions.SO_RCVBUF, size); }

    @Override public int getReceiveBufferSize() throws SocketException { return get(StandardSocketOptions.SO_RCVBUF); }

    /** Only 0 (no timeout): a timed accept belongs to io.jtcp.net's ServerSocket. */
    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout != 0) throw new SocketException("jtcp's channel adaptor has no accept timeout; use io.jtcp.net's ServerSocket");
    }

    @Override public int getSoTimeout() { return 0; }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
        ch.setOption(name, value);
        return this;
    }

    @Override public <T> T getOption(SocketOption<T> name) throws IOException { return ch.getOption(name); }

    @Override public Set<SocketOption<?>> supportedOptions() { return ch.supportedOptions(); }

    @Override public void close() throws IOException { ch.close(); }

    @Override public boolean isBound() { return ch.isBound(); }

    @Override public boolean isClosed() { return !ch.isOpen(); }

    @Override
    public String toString() {
        return ch.isBound() ? "ServerSocket[addr=" + getInetAddress() + ",localport=" + getLocalPort() + "]" : "ServerSocket[unbound]";
    }

    private <T> void set(SocketOption<T> o, T v) throws SocketException {
        try {
            ch.setOption(o, v);
        } catch (IOException | RuntimeException e) {
            throw ChannelSocket.asSocketException(e);
        }
    }

    private <T> T get(SocketOption<T> o) throws SocketException {
        try {
            return ch.getOption(o);
        } catch (IOException | RuntimeException e) {
            throw ChannelSocket.asSocketException(e);
        }
    }

    /** ServerSocket insists on an implementation; every call of this adaptor goes to the channel instead. */
    private static final class Unused extends SocketImpl {
        private static SocketException unused() {
            return new SocketException("not used: the adaptor delegates to its channel");
        }

        @Override protected void create(boolean stream) throws IOException { throw unused(); }
        @Override protected void connect(String host, int port) throws IOException { throw unused(); }
        @Override protected void connect(InetAddress address, int port) throws IOException { throw unused(); }
        @Override protected void connect(SocketAddress address, int timeout) throws IOException { throw unused(); }
        @Override protected void bind(InetAddress host, int port) throws IOException { throw unused(); }
        @Override protected void listen(int backlog) throws IOException { throw unused(); }
        @Override protected void accept(SocketImpl s) throws IOException { throw unused(); }
        @Override protected InputStream getInputStream() throws IOException { throw unused(); }
        @Override protected OutputStream getOutputStream() throws IOException { throw unused(); }
        @Override protected int available() throws IOException { throw unused(); }
        @Override protected void close() throws IOException { throw unused(); }
        @Override protected void sendUrgentData(int data) throws IOException { throw unused(); }
        @Override public void setOption(int optID, Object value) throws SocketException { throw unused(); }
        @Override public Object getOption(int optID) throws SocketException { throw unused(); }
    }
}
