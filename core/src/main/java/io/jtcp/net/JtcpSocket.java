package io.jtcp.net;

import io.jtcp.api.HostContext;
import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpSocket;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;

/**
 * A {@link java.net.Socket} whose connection is jtcp's: everything java.net.Socket does
 * (connect with a timeout, streams, SO_TIMEOUT, shutdownInput/Output, the standard socket
 * options and jtcp's own through {@link JtcpSocketOptions}) runs on a jtcp host.
 */
public class JtcpSocket extends Socket {
    /** An unconnected socket on the calling thread's host ({@link HostContext#current()}). */
    public JtcpSocket() throws SocketException {
        this(HostContext.current());
    }

    /** An unconnected socket on {@code host}. */
    public JtcpSocket(StackLoop host) throws SocketException {
        super(new JtcpSocketImpl(host, false));
    }

    /**
     * A java.net view of a socket made through jtcp's API (NIO's {@code socket()} adaptor
     * among others). Connected already, it is connected here too; otherwise connecting
     * this Socket connects it. Its state is read when this is made: a connect made later
     * through {@code tcp} itself is not seen by this Socket.
     */
    public JtcpSocket(TcpSocket tcp) throws IOException {
        super(new JtcpSocketImpl(tcp));
        if (tcp.remoteAddress() != null) connect(tcp.remoteAddress());
    }
}
