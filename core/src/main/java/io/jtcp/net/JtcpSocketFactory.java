package io.jtcp.net;

import io.jtcp.api.HostContext;
import io.jtcp.api.StackLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * A {@link SocketFactory} making {@link JtcpSocket}s, for the HTTP clients, drivers and
 * libraries that take one. Bound to a host, or (the no-argument constructor) to the
 * calling thread's host at each call ({@link HostContext#current()}), so one factory
 * serves every simulated host.
 */
public final class JtcpSocketFactory extends SocketFactory {
    private final StackLoop host;

    /** Sockets on the calling thread's host. */
    public JtcpSocketFactory() {
        this.host = null;
    }

    /** Sockets on {@code host}. */
    public JtcpSocketFactory(StackLoop host) {
        this.host = java.util.Objects.requireNonNull(host);
    }

    private StackLoop host() throws IOException {
        return host != null ? host : HostContext.current();
    }

    @Override
    public Socket createSocket() throws IOException {
        return new JtcpSocket(host());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        Socket s = createSocket();
        try {
            if (local != null) s.bind(local);
            s.connect(remote);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
