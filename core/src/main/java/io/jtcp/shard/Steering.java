package io.jtcp.shard;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Packet steering between shards: a packet the link queued on one shard (the NIC's or the
 * TUN driver's choice of queue) that the {@link PacketOwner} gives to another goes there
 * through the single-producer, single-consumer ring of that (from, to) pair. Each ring
 * has one writer thread (the from shard's) and one reader (the to shard's), so the fast
 * path takes no lock and no compare-and-swap; a ring is made the first time its pair
 * needs it, so 64 shards do not pay for 4,096 rings they never use.
 *
 * <p>Counters are per shard and written by that shard's thread alone; readers elsewhere
 * (views, tests) see them as they were a moment ago.
 */
public final class Steering {
    /** One shard's steering counters. */
    public static final class Counters {
        /** Packets from this shard's own queue that it owned (and datagrams it reassembled and kept). */
        public long kept;
        /** Packets from this shard's own queue (or datagrams it reassembled) forwarded to their owner. */
        public long forwarded;
        /** Packets forwarded to this shard by others and taken here. */
        public long received;
        /** Packets that found the ring to their owner full and were dropped (a full NIC queue). */
        public long ringFull;
    }

    private final PacketOwner owner;
    private final int shards;
    private final int ringCapacity;
    /** rings[to * shards + from]: the consumer reads its own contiguous row. */
    private final AtomicReferenceArray<SpscRing> rings;
    private final Counters[] counters;

    public Steering(PacketOwner owner, int ringCapacity) {
        this.owner = owner;
        this.shards = owner.shards();
        this.ringCapacity = ringCapacity;
        this.rings = new AtomicReferenceArray<>(shards * shards);
        this.counters = new Counters[shards];
        for (int i = 0; i < shards; i++) counters[i] = new Counters();
    }

    public int shards() { return shards; }

    public PacketOwner owner() { return owner; }

    /**
     * Shard {@code at}'s thread, for a packet its queue delivered: true when {@code at} owns
     * it (the caller processes it); false when it went to its owner's ring (which now owns
     * the array) or was dropped on a full ring.
     */
    public boolean keep(int at, byte[] packet, int offset, int length) {
        int to = owner.ownerOf(packet, offset, length);
        Counters c = counters[at];
        if (to == PacketOwner.HERE || to == at) {
            c.kept++;
            return true;
        }
        int slot = to * shards + at;
        SpscRing ring = rings.getPlain(slot);
        if (ring == null) rings.setRelease(slot, ring = new SpscRing(ringCapacity));
        if (ring.offer(packet, offset, length)) c.forwarded++;
        else c.ringFull++;
        return false;
    }

    /** Shard {@code to}'s thread: hands it every packet the others forwarded; returns how many. */
    public int drain(int to, SpscRing.Consumer deliver) {
        int n = 0;
        for (int from = 0, base = to * shards; from < shards; from++) {
            SpscRing ring = rings.getAcquire(base + from);
            if (ring != null) n += ring.drain(deliver);
        }
        counters[to].received += n;
        return n;
    }

    /** Whether any packet waits for shard {@code to} (a hint, for deciding to sleep). */
    public boolean pending(int to) {
        for (int from = 0, base = to * shards; from < shards; from++) {
            SpscRing ring = rings.getAcquire(base + from);
            if (ring != null && !ring.isEmpty()) return true;
        }
        return false;
    }

    public Counters counters(int shard) { return counters[shard]; }
}
