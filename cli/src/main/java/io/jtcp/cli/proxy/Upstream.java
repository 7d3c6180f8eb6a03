package io.jtcp.cli.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Where the proxy sends what it relays: straight through the JDK's sockets
 * ({@link DirectUpstream}) or through a SOCKS5 server ({@link Socks5Upstream}). A failure to
 * reach a destination is an {@link UpstreamException} saying what the client should hear.
 */
public interface Upstream {
    /** A TCP connection to {@code destination}, connected. */
    Socket connect(InetSocketAddress destination) throws IOException;

    /** A UDP path to {@code destination}: what goes in is sent there, what it answers comes out. */
    UdpPath udp(InetSocketAddress destination) throws IOException;

    /** One flow's UDP towards its destination. */
    interface UdpPath extends AutoCloseable {
        void send(byte[] data, int off, int len) throws IOException;

        /**
         * The next datagram from the destination, copied into {@code buf}; its length, or -1
         * when {@code timeoutMillis} passed first.
         */
        int receive(byte[] buf, int timeoutMillis) throws IOException;

        @Override
        void close();
    }
}
