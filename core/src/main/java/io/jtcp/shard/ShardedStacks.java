package io.jtcp.shard;

import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.host.AcceptHandler;
import io.jtcp.host.Stack;
import io.jtcp.link.PacketSink;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.wire.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One host as shards, sans-IO like {@link Stack}: a stack per shard sharing nothing but
 * the {@link PortClaims}, the {@link Steering} between them, and the {@link FlowHash}
 * that decides owners. Whoever drives it (a thread per shard, or one thread for all, as
 * the steering simulation does) calls each shard's methods on that shard's thread:
 * {@link #queueArrives} for what the link queued to it, {@link #drainSteered} for what
 * the other shards forwarded, and the shard's stack for timers and sockets.
 */
public final class ShardedStacks {
    private final String name;
    private final Stack[] stacks;
    private final PortClaims claims;
    private final Steering steering;
    private final Delivery[] deliveries;

    /**
     * @param sinks where each shard's stack sends (its link queue); a shared link's thread-safe sink will do
     * @param ringCapacity packets each (from, to) steering ring holds
     */
    public ShardedStacks(String name, IpAddress address, Sysctls cfg, int shards, FlowHash hash, long seed, long startNanos,
                         IntFunction<PacketSink> sinks, int ringCapacity) {
        this.name = name;
        this.claims = new PortClaims(hash, shards);
        this.steering = new Steering(new PacketOwner(hash, shards), ringCapacity);
        this.stacks = new Stack[shards];
        this.deliveries = new Delivery[shards];
        for (int k = 0; k < shards; k++) {
            stacks[k] = new Stack(name + "/" + k, address, cfg, sinks.apply(k), seed + k, startNanos);
            int shard = k;
            stacks[k].setShardRole(claims.role(k, (p, off, len) -> !steering.keep(shard, p, off, len)));
            deliveries[k] = new Delivery(stacks[k]);
        }
    }

    public int shards() { return stacks.length; }

    public Stack shard(int k) { return stacks[k]; }

    public Steering steering() { return steering; }

    public PortClaims claims() { return claims; }

    /**
     * Shard {@code k}'s thread: a packet the link put on queue {@code k}, processed here or
     * sent to its owner. True when it was processed here (the caller may reuse the array);
     * false when the owner's ring took the array (or dropped it, the ring being full).
     */
    public boolean queueArrives(int k, byte[] packet, int offset, int length, long now) {
        if (!steering.keep(k, packet, offset, length)) return false;
        stacks[k].packetArrives(packet, offset, length, now);
        return true;
    }

    /** Shard {@code k}'s thread: processes what other shards forwarded to it; returns how many. */
    public int drainSteered(int k, long now) {
        Delivery d = deliveries[k];
        d.now = now;
        return steering.drain(k, d);
    }

    /**
     * listen(2) on {@code port} of every IPv4 address, on every shard (SO_REUSEPORT style):
     * each shard accepts the connections the hash gives it, handing them to its own
     * application ({@code acceptors} by shard: an application thread per shard). Call while
     * no shard runs (at start-up), or from a driver that owns every shard.
     */
    public void listen(int port, IntFunction<AcceptHandler> acceptors) throws ErrnoException {
        if (claims.held(port)) throw new ErrnoException(io.jtcp.api.Errno.EADDRINUSE, "port " + port + " is held");
        claims.replicate(port, true);
        for (int k = 0; k < stacks.length; k++) stacks[k].listen(port, acceptors.apply(k));
    }

    /** The views of the whole host: every shard's, merged ({@link Snapshots}). */
    public StackSnapshot snapshot(long now) {
        List<StackSnapshot> all = new ArrayList<>();
        for (Stack s : stacks) all.add(s.snapshot(now));
        return Snapshots.merge(name, all);
    }

    /** Hands forwarded packets to one shard's stack, at the time of the drain. */
    private static final class Delivery implements SpscRing.Consumer {
        private final Stack stack;
        long now;

        Delivery(Stack stack) {
            this.stack = stack;
        }

        @Override
        public void take(byte[] packet, int offset, int length) {
            stack.packetArrives(packet, offset, length, now);
        }
    }
}
