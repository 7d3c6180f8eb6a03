package io.jtcp.link;

import io.jtcp.wire.IpAddress;

/**
 * A link that runs in real time, with real threads: a stack attaches at each of its
 * addresses, handing over where its arriving packets go, and gets back the sink
 * for its outgoing ones.
 */
public interface RealTimeLink {
    /** Attaches {@code receiver} at {@code address}; fails if the address is taken. */
    PacketSink attach(IpAddress address, PacketReceiver receiver);

    /** Detaches whatever is at {@code address}; packets for it are dropped from now on. */
    void detach(IpAddress address);

    /**
     * True when the link completes the TCP checksum of every packet the stack sends (a TUN
     * device with checksum offload: the kernel takes the checksum as partial), so the stack
     * leaves it out. Asked once, when a stack attaches.
     */
    default boolean completesTcpChecksums() { return false; }

    /**
     * The stack's thread has finished a turn (what it sends next waits for new input or a
     * timer): a link that holds outgoing packets back to glue them together sends them now.
     */
    default void flush() { }
}
