package io.jtcp.host;

/**
 * What a stack in forwarding mode does with a connection to an address and port nobody on
 * it listens at, whatever the address (gVisor's {@code tcp.Forwarder}, lwIP's promiscuous
 * hook): a tun2socks proxy or VPN sees every flow that enters its device. The stack calls
 * it on its own thread with each such SYN; the forwarder decides at once or later through
 * the {@link ForwardedSyn}, and the SYN's retransmissions wait for that decision.
 */
@FunctionalInterface
public interface Forwarder {
    /**
     * Requests (SYNs, or UDP flows) that may wait for a forwarder's decision at once; one more
     * is dropped. Bounds what a flood to forged destinations can make the host hold while its
     * forwarder is busy, as somaxconn bounds a listener.
     */
    int MAX_UNDECIDED = 4096;

    void synArrived(ForwardedSyn request);
}
