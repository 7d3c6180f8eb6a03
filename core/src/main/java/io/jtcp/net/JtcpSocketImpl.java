package io.jtcp.net;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoCarrier;
import io.jtcp.api.HostContext;
import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Set;

/**
 * java.net's SocketImpl over a jtcp {@link TcpSocket} (a client or accepted socket) or
 * {@link TcpServerSocket} (a server socket's), in the manner of the JDK's NioSocketImpl:
 * SO_TIMEOUT bounds read and accept, an interrupted virtual thread makes the Socket
 * close itself ("Closed by interrupt"), and the errors are the JDK's types carrying the
 * errno ({@link io.jtcp.api.SocketErrors}).
 */
final class JtcpSocketImpl extends SocketImpl {
    static {
        JtcpNetwork.configure();
    }

    private final boolean server;
    /** The host to open on; null: {@link HostContext#current()} at create. */
    private final StackLoop host;
    private TcpSocket socket;
    private TcpServerSocket listener;
    private int timeoutMillis;
    JtcpSocketImpl(StackLoop host, boolean server) {
        this.host = host;
        this.server = server;
    }

    /** Adopts a socket made through jtcp's own API (connected or not): create does nothing, connect only records an existing connection. */
    JtcpSocketImpl(TcpSocket adopted) {
        this(adopted.loop(), false);
        this.socket = adopted;
    }

    /** Adopts a listener made through jtcp's own API: bind and listen do only what it has not done. */
    JtcpSocketImpl(TcpServerSocket adopted) {
        this(adopted.loop(), true);
        this.listener = adopted;
    }

    StackLoop loop() throws SocketException {
        if (socket != null) return socket.loop();
        if (listener != null) return listener.loop();
        return host != null ? host : HostContext.current();
    }

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) throw new IOException("Datagram socket creation not supported");
        if (socket != null || listener != null) return;
        if (server) listener = TcpServerSocket.open(loop());
        else socket = TcpSocket.open(loop());
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(new InetSocketAddress(host, port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    @Override
    protected void connect(SocketAddress remote, int millis) throws IOException {
        if (!(remote instanceof InetSocketAddress isa)) throw new IOException("Unsupported address type");
        TcpSocket s = socket();
        if (s.remoteAddress() == null) {
            try {
                if (millis > 0) s.connect(isa, Duration.ofMillis(millis));
                else s.connect(isa);
            } catch (IOException e) {
                close();
                throw e;
            }
        }
        record(s);
    }

    /** The fields java.net.Socket reads: the peer's address and port, the local port. */
    private void record(TcpSocket s) {
        InetSocketAddress r = s.remoteAddress();
        address = r.getAddress();
        port = r.getPort();
        localport = s.localPort();
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        InetSocketAddress local = new InetSocketAddress(host, port);
        if (server) {
            if (listener().localPort() == 0) listener().bind(JdkWildcard.asJdkBinds(local));
            address = host;
            localport = listener().localPort();
        } else {
            socket().bind(local);
            localport = socket().localPort();
        }
    }

    @Override
    protected void listen(int backlog) throws IOException {
        listener().listen(backlog);
        localport = listener().localPort();
    }

    @Override
    protected void accept(SocketImpl into) throws IOException {
        if (!(into instanceof JtcpSocketImpl target)) {
            throw new IOException("a jtcp server socket accepts into a jtcp SocketImpl, not " + into.getClass().getName());
        }
        TcpSocket accepted;
        try {
            accepted = listener().accept();
        } catch (SocketException e) {
            throw closedByInterrupt(e);
        }
        target.socket = accepted;
        target.record(accepted);
    }

    /**
     * The SocketImpl contract: an interrupted blocking call throws InterruptedIOException
     * and java.net.Socket (or ServerSocket) closes itself and says "Closed by interrupt".
     * jtcp's socket has already closed; this hands the rest to java.net.
     */
    private static SocketException closedByInterrupt(SocketException e) throws InterruptedIOException {
        if (ErrnoCarrier.errnoOf(e) == Errno.EINTR) {
            InterruptedIOException i = new InterruptedIOException(e.getMessage());
            i.initCause(e);
            throw i;
        }
        return e;
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        TcpSocket s = socket();
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return s.read(b, off, len);
                } catch (SocketException e) {
                    throw closedByInterrupt(e);
                }
            }

            @Override
            public int available() throws IOException {
                return s.available();
            }

            @Override
            public void close() throws IOException {
                s.close();
            }
        };
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        TcpSocket s = socket();
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    s.write(b, off, len);
                } catch (SocketException e) {
                    throw closedByInterrupt(e);
                }
            }

            @Override
            public void close() throws IOException {
                s.close();
            }
        };
    }

    @Override
    protected int available() throws IOException {
        return socket().available();
    }

    @Override
    protected void close() throws IOException {
        if (socket != null) socket.close();
        if (listener != null) listener.close();
    }

    @Override
    protected void shutdownInput() throws IOException {
        socket().shutdownInput();
    }

    @Override
    protected void shutdownOutput() throws IOException {
        socket().shutdownOutput();
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw new SocketException("Urgent data not supported");
    }

    // ---- options ----

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        if (server) JtcpSocketOptions.set(listener(), name, value);
        else JtcpSocketOptions.set(socket(), name, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        return server ? JtcpSocketOptions.get(listener(), name) : JtcpSocketOptions.get(socket(), name);
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return server ? JtcpSocketOptions.supportedByServer() : JtcpSocketOptions.supported();
    }

    /** The legacy int options java.net.Socket's setters use (setSoTimeout, setTcpNoDelay, setSoLinger, ...). */
    @Override
    public void setOption(int id, Object value) throws SocketException {
        try {
            switch (id) {
                case SO_TIMEOUT -> {
                    int millis = (Integer) value;
                    if (millis < 0) throw new IllegalArgumentException("timeout < 0");
                    Duration d = millis == 0 ? null : Duration.ofMillis(millis);
                    if (server) listener().setSoTimeout(d);
                    else socket().setSoTimeout(d);
                    timeoutMillis = millis;
                }
                case TCP_NODELAY -> setOption(StandardSocketOptions.TCP_NODELAY, (Boolean) value);
                case SO_KEEPALIVE -> setOption(StandardSocketOptions.SO_KEEPALIVE, (Boolean) value);
                case SO_REUSEADDR -> setOption(StandardSocketOptions.SO_REUSEADDR, (Boolean) value);
                case SO_SNDBUF -> setOption(StandardSocketOptions.SO_SNDBUF, (Integer) value);
                case SO_RCVBUF -> setOption(StandardSocketOptions.SO_RCVBUF, (Integer) value);
                // java.net.Socket passes Boolean.FALSE for "off" and the seconds for "on".
                case SO_LINGER -> setOption(StandardSocketOptions.SO_LINGER, value instanceof Integer i ? i : -1);
                default -> throw new SocketException("Unknown option " + id);
            }
        } catch (SocketException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw (SocketException) new SocketException(e.getMessage()).initCause(e);
        }
    }

    @Override
    public Object getOption(int id) throws SocketException {
        try {
            return switch (id) {
                case SO_TIMEOUT -> timeoutMillis;
                case SO_BINDADDR -> (server ? listener().localAddress() : socket().localAddress()).getAddress();
                case TCP_NODELAY -> getOption(StandardSocketOptions.TCP_NODELAY);
                case SO_KEEPALIVE -> getOption(StandardSocketOptions.SO_KEEPALIVE);
                case SO_REUSEADDR -> getOption(StandardSocketOptions.SO_REUSEADDR);
                case SO_SNDBUF -> getOption(StandardSocketOptions.SO_SNDBUF);
                case SO_RCVBUF -> getOption(StandardSocketOptions.SO_RCVBUF);
                case SO_LINGER -> {
                    int seconds = getOption(StandardSocketOptions.SO_LINGER);
                    yield seconds < 0 ? Boolean.FALSE : (Object) seconds;
                }
                default -> throw new SocketException("Unknown option " + id);
            };
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw (SocketException) new SocketException(e.getMessage()).initCause(e);
        }
    }

    private TcpSocket socket() throws SocketException {
        if (socket == null) throw new SocketException("Socket not created");
        return socket;
    }

    private TcpServerSocket listener() throws SocketException {
        if (listener == null) throw new SocketException("Socket not created");
        return listener;
    }
}
