package io.jtcp.host;

import io.jtcp.wire.IpAddress;

/**
 * One received datagram as a socket's queue holds it: who sent it, the address it was
 * sent to (what IP_PKTINFO / IPV6_RECVPKTINFO would report, and what a forwarder needs),
 * and a copy of its data.
 */
public record UdpDatagram(IpAddress source, int sourcePort, IpAddress destination, int destinationPort, byte[] data) {}
