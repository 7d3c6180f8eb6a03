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

    /**
     * As {@link #packetArrives(byte[], int, int, long)}, for a link that knows the packet's
     * transport checksum needs no verifying: the link checked it, or the sender left it
     * partial for an offload that never runs because nothing between can corrupt it (a TUN
     * device's virtio-net header flags, DATA_VALID and NEEDS_CSUM; Linux's
     * CHECKSUM_UNNECESSARY and CHECKSUM_PARTIAL). A receiver that cannot skip verifies.
     */
    default void packetArrives(byte[] packet, int offset, int length, long notBeforeNanos, boolean checksumTrusted) {
        packetArrives(packet, offset, length, notBeforeNanos);
    }
}
