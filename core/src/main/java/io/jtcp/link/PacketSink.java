package io.jtcp.link;

/**
 * Where a stack hands each outgoing IPv4 packet: the downward half of the Link SPI.
 * The bytes belong to the caller again once {@code send} returns, so a link that
 * keeps them (a queue, a simulated wire) must copy them.
 */
@FunctionalInterface
public interface PacketSink {
    void send(byte[] packet, int offset, int length);
}
