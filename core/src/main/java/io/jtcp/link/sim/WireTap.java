package io.jtcp.link.sim;

import io.jtcp.wire.IpAddress;

/**
 * An observer of everything on the simulated wire: traces, pcap writers, test logs.
 * Addresses are the packet's IPv4 source and destination (0 if it is too short to
 * carry them). The bytes are the simulator's own and valid only during the call:
 * copy them to keep them, never modify them.
 */
@FunctionalInterface
public interface WireTap {
    void onPacket(long time, byte[] packet, int off, int len, IpAddress fromAddr, IpAddress toAddr, Fate fate);
}
