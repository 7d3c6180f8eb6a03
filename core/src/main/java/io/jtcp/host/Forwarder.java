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
    void synArrived(ForwardedSyn request);
}
