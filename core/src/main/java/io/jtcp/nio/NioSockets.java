package io.jtcp.nio;

import java.net.ServerSocket;
import java.net.Socket;

/**
 * Where the channels' {@code socket()} adaptors come from: this package's minimal
 * {@link ChannelSocket} and {@link ChannelServerSocket} for now; the one place to switch to
 * io.jtcp.net's java.net classes when both are merged.
 */
final class NioSockets {
    private NioSockets() {}

    static Socket socket(JtcpSocketChannel ch) {
        return ChannelSocket.of(ch);
    }

    static ServerSocket serverSocket(JtcpServerSocketChannel ch) {
        return new ChannelServerSocket(ch);
    }
}
