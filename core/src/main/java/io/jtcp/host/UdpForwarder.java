package io.jtcp.host;

/**
 * What a stack in forwarding mode does with a UDP datagram to an address it does not own
 * and a port no socket is bound to (gVisor's {@code udp.Forwarder}): the datagram opens a
 * flow, one per (client address and port, destination address and port), which the stack
 * hands over on its own thread as a {@link ForwardedFlow}. The forwarder accepts it (a
 * socket at the original destination, connected to the client) or refuses it (ICMP port
 * unreachable, as a closed port), at once or later; the flow's next datagrams are held
 * meanwhile, a few of them.
 */
@FunctionalInterface
public interface UdpForwarder {
    void flowArrived(ForwardedFlow flow);
}
