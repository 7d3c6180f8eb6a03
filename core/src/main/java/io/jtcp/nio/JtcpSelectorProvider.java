package io.jtcp.nio;

import io.jtcp.api.HostContext;
import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.api.UdpSocket;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;

/**
 * NIO over jtcp: socket channels, server socket channels and selectors whose sockets
 * live on a jtcp host. Made JVM-wide with
 * {@code -Djava.nio.channels.spi.SelectorProvider=io.jtcp.nio.JtcpSelectorProvider}
 * (the JDK's HttpClient and HttpServer then run on jtcp), where each channel opens on
 * {@link HostContext#current()}, the host of the thread that opens it; or given to a
 * library that takes a provider (Netty's {@code NioIoHandler.newFactory(provider)}),
 * with {@link #JtcpSelectorProvider(StackLoop)} naming the host.
 *
 * <p>A selector is not tied to a host: it selects jtcp channels of any hosts. TCP and UDP
 * over IPv4 and IPv6; pipes and Unix-domain channels are not provided.
 */
public class JtcpSelectorProvider extends SelectorProvider {
    private final StackLoop host;

    /** Channels open on the host of the opening thread ({@link HostContext#current()}). */
    public JtcpSelectorProvider() {
        this.host = null;
    }

    /**
     * Channels open on {@code host}, whichever thread opens them.
     *
     * @param host the jtcp host (its stack loop) every channel of this provider lives on
     */
    public JtcpSelectorProvider(StackLoop host) {
        this.host = Objects.requireNonNull(host);
    }

    private StackLoop host() throws IOException {
        return host != null ? host : HostContext.current();
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return new JtcpSocketChannel(this, TcpSocket.open(host()));
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        requireIp(family);
        return openSocketChannel();
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return new JtcpServerSocketChannel(this, TcpServerSocket.open(host()));
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        requireIp(family);
        return openServerSocketChannel();
    }

    @Override
    public AbstractSelector openSelector() {
        // A selector belongs to no host, but it waits through one's loop so that a simulation
        // sees its thread blocked in jtcp from the first select (HttpClient selects before it registers).
        return new JtcpSelector(this, host != null ? host : HostContext.bound());
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        // As the JDK's: an IPv6 socket that takes IPv4 too, where the host has IPv6.
        return new JtcpDatagramChannel(this, UdpSocket.open(host(), true), true);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        requireIp(family);
        boolean v6 = family == StandardProtocolFamily.INET6;
        return new JtcpDatagramChannel(this, UdpSocket.open(host(), v6), v6);
    }

    @Override
    public Pipe openPipe() {
        throw new UnsupportedOperationException("jtcp provides TCP socket channels only, no pipes");
    }

    private static void requireIp(ProtocolFamily family) {
        if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new UnsupportedOperationException("jtcp speaks IPv4 and IPv6, not " + family);
        }
    }

    @Override
    public String toString() {
        return "JtcpSelectorProvider[" + (host != null ? host : "host of the opening thread") + "]";
    }
}
