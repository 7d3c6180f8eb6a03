package io.jtcp.host;

import io.jtcp.tcp.SocketOptions;

/** A port in LISTEN: each SYN to it becomes a connection of its own, handed to the application once established. */
final class Listener {
    final int port;
    final AcceptHandler acceptor;
    final SocketOptions options;

    Listener(int port, AcceptHandler acceptor, SocketOptions options) {
        this.port = port;
        this.acceptor = acceptor;
        this.options = options;
    }
}
