package io.jtcp.net;

import io.jtcp.api.HostContext;
import io.jtcp.api.StackLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import javax.net.ServerSocketFactory;

/**
 * A {@link ServerSocketFactory} making {@link JtcpServerSocket}s, bound to a host or (the
 * no-argument constructor) to the calling thread's host at each call.
 */
public final class JtcpServerSocketFactory extends ServerSocketFactory {
    private final StackLoop host;

    /** Server sockets on the calling thread's host. */
    public JtcpServerSocketFactory() {
        this.host = null;
    }

    /** Server sockets on {@code host}. */
    public JtcpServerSocketFactory(StackLoop host) {
        this.host = java.util.Objects.requireNonNull(host);
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new JtcpServerSocket(host != null ? host : HostContext.current());
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return createServerSocket(port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return createServerSocket(port, backlog, null);
    }

    /** As {@code new ServerSocket(port, backlog, ifAddress)}: a backlog below 1 means 50, a null address the wildcard. */
    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
        ServerSocket s = createServerSocket();
        try {
            s.bind(new InetSocketAddress(ifAddress, port), backlog);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
