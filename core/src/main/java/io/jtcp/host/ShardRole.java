package io.jtcp.host;

import io.jtcp.wire.IpAddress;

/**
 * What a stack must respect when it is one shard of a host split across cores
 * (io.jtcp.shard): which 4-tuples it owns, so it picks ephemeral ports whose replies
 * the steering hash brings back to it (mTCP's port partitioning), and which ports its
 * sibling shards hold by bind(2) or listen(2), so a port taken on one shard is taken on
 * all, as on one host. Consulted on bind, listen and connect only, never per packet.
 * A stack alone is {@link #ALONE}: it owns every tuple and has no siblings.
 */
public interface ShardRole {
    ShardRole ALONE = new ShardRole() {
        @Override
        public boolean ownsTuple(IpAddress local, int localPort, IpAddress remote, int remotePort) { return true; }

        @Override
        public boolean heldElsewhere(int port) { return false; }

        @Override
        public void hold(int port, boolean held) { }
    };

    /** Whether packets of this connection are steered to this shard. */
    boolean ownsTuple(IpAddress local, int localPort, IpAddress remote, int remotePort);

    /** Whether a sibling shard holds {@code port} by bind or listen (a replicated listener excepted). */
    boolean heldElsewhere(int port);

    /** This shard takes ({@code true}) or gives back a bind/listen hold on {@code port}. */
    void hold(int port, boolean held);

    /**
     * A datagram this shard reassembled (fragments are steered by address pair, so they
     * meet here) whose 4-tuple another shard may own: true when it went to that shard,
     * which then owns {@code datagram}; false when it is this shard's to process.
     */
    default boolean divertReassembled(byte[] datagram, int offset, int length) { return false; }
}
