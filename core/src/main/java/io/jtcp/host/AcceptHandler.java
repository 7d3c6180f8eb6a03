package io.jtcp.host;

import io.jtcp.tcp.Connection;

/** A listener's application: given each connection whose handshake completed, returns its handler. */
@FunctionalInterface
public interface AcceptHandler {
    SocketHandler accepted(Connection c, long now);
}
