package io.jtcp.shard;

import io.jtcp.host.ShardRole;
import io.jtcp.wire.IpAddress;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The one table the shards of a host share: which shards hold each port by bind(2) or
 * listen(2), so that a port taken on one shard is taken on all, as on one host. Touched
 * on bind, listen, connect and close only, never per packet; each shard's own
 * {@link io.jtcp.host.BindTable} still applies Linux's conflict rules among its sockets.
 *
 * <p>A port the host listens on as a whole (a listener on every shard, SO_REUSEPORT
 * style) is <em>replicated</em>: each shard's listener holds it in its own table, which
 * is where conflicts with it are found, so the siblings' holds do not count against one
 * another. Ephemeral connects skip held ports, as Linux's __inet_hash_connect skips
 * ports with a bind bucket, and keep only those whose tuple the shard owns.
 *
 * <p>At most 64 shards: a shard's hold is one bit of a long per port.
 */
public final class PortClaims {
    public static final int MAX_SHARDS = 64;
    private final AtomicLongArray holders = new AtomicLongArray(65536);
    private final AtomicIntegerArray replicated = new AtomicIntegerArray(65536);
    private final FlowHash hash;
    private final int shards;
    /** Per shard and port, how many holds it has: only that shard's thread touches its row. */
    private final int[][] counts;

    public PortClaims(FlowHash hash, int shards) {
        if (shards < 1 || shards > MAX_SHARDS) throw new IllegalArgumentException("1 to " + MAX_SHARDS + " shards, not " + shards);
        this.hash = hash;
        this.shards = shards;
        this.counts = new int[shards][];
    }

    /**
     * The role of shard {@code k} (give it to that shard's stack with {@code setShardRole});
     * {@code divert} takes the datagrams it reassembles for the shard that owns them.
     */
    public ShardRole role(int k, Divert divert) {
        if (k < 0 || k >= shards) throw new IllegalArgumentException("shard " + k + " of " + shards);
        return new Role(k, divert);
    }

    /** Hands a reassembled datagram to its owner shard: true if it went (and the array with it), false if it is shard k's own. */
    @FunctionalInterface
    public interface Divert {
        boolean elsewhere(byte[] datagram, int offset, int length);
    }

    /** The host listens on {@code port} on every shard from now on ({@code false}: no longer). */
    public void replicate(int port, boolean on) {
        replicated.set(port, on ? 1 : 0);
    }

    /** Whether any shard holds {@code port} by bind or listen. */
    public boolean held(int port) {
        return holders.get(port) != 0;
    }

    private final class Role implements ShardRole {
        private final int shard;
        private final long bit;
        private final Divert divert;

        Role(int shard, Divert divert) {
            this.shard = shard;
            this.bit = 1L << shard;
            this.divert = divert;
        }

        @Override
        public boolean divertReassembled(byte[] datagram, int offset, int length) {
            return divert.elsewhere(datagram, offset, length);
        }

        @Override
        public boolean ownsTuple(IpAddress local, int localPort, IpAddress remote, int remotePort) {
            return hash.shardOf(local, localPort, remote, remotePort, shards) == shard;
        }

        @Override
        public boolean heldElsewhere(int port) {
            return replicated.get(port) == 0 && (holders.get(port) & ~bit) != 0;
        }

        @Override
        public void hold(int port, boolean held) {
            int[] mine = counts[shard];
            if (mine == null) mine = counts[shard] = new int[65536];
            int n = mine[port] + (held ? 1 : -1);
            if (n < 0) throw new IllegalStateException("port " + port + " released more often than held on shard " + shard);
            mine[port] = n;
            if (n == 1 && held) holders.getAndAccumulate(port, bit, (a, b) -> a | b);
            else if (n == 0) holders.getAndAccumulate(port, ~bit, (a, b) -> a & b);
        }
    }
}
