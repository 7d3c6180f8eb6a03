package io.jtcp.link;

/**
 * The upward half of the Link SPI for real-time links: where a link hands each
 * arriving IPv4 packet. Unlike the simulator's nodes, a receiver may be called
 * from any thread; it queues the packet for the thread that owns its stack.
 */
@FunctionalInterface
public interface PacketReceiver {
    /**
     * Takes ownership of {@code packet}: the link must not touch the array again
     * (a link that reuses its buffers hands a copy).
     *
     * @param notBeforeNanos the {@link System#nanoTime()} before which the packet must not
     *                       be processed, for links that model delay; 0 means at once
     */
    void packetArrives(byte[] packet, int offset, int length, long notBeforeNanos);
}
