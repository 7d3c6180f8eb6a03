package io.jtcp.host;

/** What a UDP socket's owner hears. Called on the stack's thread. */
public interface UdpHandler {
    /** A datagram was queued, or an error became pending: a receive would not wait (POLLIN, POLLERR). */
    void readable(UdpSock s, long now);
}
