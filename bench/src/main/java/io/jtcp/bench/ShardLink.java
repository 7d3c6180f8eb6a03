package io.jtcp.bench;

import io.jtcp.link.PacketSink;
import io.jtcp.shard.ShardedStacks;

/**
 * One NIC queue of an in-memory link between sharded hosts, driven by the thread that owns
 * shard {@code queue} of every host on it: what a stack sends is copied into a pooled
 * buffer and queued; {@link #run} puts each queued packet on queue {@code queue} of its
 * destination host, whose steering processes it there or hands it to its owner shard's
 * ring, and takes what the other shards steered here. As {@link MemLink}, nothing is
 * allocated per packet once warm, except for a packet steered away (its buffer goes with it).
 *
 * <p>Not thread-safe: one thread per queue.
 */
final class ShardLink {
    private final int queue;
    private ShardedStacks[] hosts = new ShardedStacks[0];
    private int[] addresses = new int[0];
    private final PacketFifo fifo = new PacketFifo();
    private long lastAdvance = System.nanoTime();

    ShardLink(int queue) {
        this.queue = queue;
    }

    long now() {
        return System.nanoTime();
    }

    /** The sink shard {@code queue} of every host sends through. */
    PacketSink sink() {
        return this::enqueue;
    }

    /** Puts {@code host} (IPv4 at {@code address}) on this queue; its shards offload checksums as on MemLink. */
    void attach(ShardedStacks host, int address) {
        host.shard(queue).setChecksumOffload(true);
        hosts = java.util.Arrays.copyOf(hosts, hosts.length + 1);
        addresses = java.util.Arrays.copyOf(addresses, addresses.length + 1);
        hosts[hosts.length - 1] = host;
        addresses[addresses.length - 1] = address;
    }

    private void enqueue(byte[] packet, int off, int len) {
        int dst = (packet[off + 16] & 0xff) << 24 | (packet[off + 17] & 0xff) << 16 | (packet[off + 18] & 0xff) << 8 | packet[off + 19] & 0xff;
        for (int i = 0; i < hosts.length; i++) {
            if (addresses[i] != dst) continue;
            fifo.offer(packet, off, len, i);
            return;
        }
    }

    /** Delivers queued and steered packets, and fires this queue's shards' timers, until nothing is queued. */
    void run() {
        do {
            while (fifo.poll()) {
                if (hosts[fifo.dst].queueArrives(queue, fifo.buf, 0, fifo.len, System.nanoTime())) fifo.recycle(fifo.buf);
            }
            long now = System.nanoTime();
            for (ShardedStacks h : hosts) h.drainSteered(queue, now);
            if (now - lastAdvance >= 1_000_000) {
                lastAdvance = now;
                for (ShardedStacks h : hosts) h.shard(queue).advance(now);
            }
        } while (!fifo.isEmpty());
    }
}
