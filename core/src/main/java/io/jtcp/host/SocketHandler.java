package io.jtcp.host;

import io.jtcp.tcp.Connection;
import io.jtcp.api.Errno;

/** What an application hears about one of its connections. Called on the stack's thread. */
public interface SocketHandler {
    /** The handshake completed. */
    default void established(Connection c, long now) {}

    /** Data or the peer's FIN can be read. */
    default void readable(Connection c, long now) {}

    /** Send-buffer space was freed. */
    default void writable(Connection c, long now) {}

    /**
     * The connection reached CLOSED, or TIME_WAIT, where the host keeps only a compact
     * entry and the socket is done (as Linux's is); {@code error} is null after an orderly close.
     */
    default void closed(Connection c, Errno error, long now) {}
}
