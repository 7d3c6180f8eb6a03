package io.jtcp.net;

import io.jtcp.api.HostContext;
import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * A {@link java.net.ServerSocket} listening on a jtcp host; {@link #accept()} returns
 * {@link JtcpSocket}s. Bind, backlog, SO_TIMEOUT ("Accept timed out") and close behave
 * as java.net.ServerSocket's.
 */
public class JtcpServerSocket extends ServerSocket {
    private final StackLoop host;

    /** An unbound server socket on the calling thread's host ({@link HostContext#current()}). */
    public JtcpServerSocket() throws IOException {
        this(HostContext.current());
    }

    /** An unbound server socket on {@code host}. */
    public JtcpServerSocket(StackLoop host) throws IOException {
        super(new JtcpSocketImpl(host, true));
        this.host = host;
    }

    /**
     * A java.net view of a listener made through jtcp's API (NIO's {@code socket()}
     * adaptor among others): bound already, this is bound (and listening) too; otherwise
     * binding this binds it.
     */
    public JtcpServerSocket(TcpServerSocket tcp) throws IOException {
        super(new JtcpSocketImpl(tcp));
        this.host = tcp.loop();
        if (tcp.localPort() != 0) bind(tcp.localAddress());
    }

    @Override
    public Socket accept() throws IOException {
        if (isClosed()) throw new SocketException("Socket is closed");
        if (!isBound()) throw new SocketException("Socket is not bound yet");
        Socket s = new JtcpSocket(host);
        implAccept(s);
        return s;
    }
}
