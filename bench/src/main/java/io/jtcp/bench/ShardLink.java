package io.jtcp.bench;

import io.jtcp.link.PacketSink;
import io.jtcp.shard.ShardedStacks;
import java.util.ArrayDeque;

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
    private static final int MAX_PACKET = 65535;
    private final int queue;
    private ShardedStacks[] hosts = new ShardedStacks[0];
    private int[] addresses = new int[0];
    // A FIFO of (buffer, length, destination host) as a growable ring.
    private byte[][] bufs = new byte[64][];
    private int[] lens = new int[64], dsts = new int[64];
    private int head, count;
    private final ArrayDeque<byte[]> pool = new ArrayDeque<>();
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
            if (count == bufs.length) grow();
            byte[] b = pool.pollLast();
            if (b == null) b = new byte[MAX_PACKET];
            System.arraycopy(packet, off, b, 0, len);
            int at = (head + count++) & (bufs.length - 1);
            bufs[at] = b;
            lens[at] = len;
            dsts[at] = i;
            return;
        }
    }

    /** Delivers queued and steered packets, and fires this queue's shards' timers, until nothing is queued. */
    void run() {
        do {
            while (count > 0) {
                int at = head;
                byte[] b = bufs[at];
                bufs[at] = null;
                head = (head + 1) & (bufs.length - 1);
                count--;
                if (hosts[dsts[at]].queueArrives(queue, b, 0, lens[at], System.nanoTime())) pool.addLast(b);
            }
            long now = System.nanoTime();
            for (ShardedStacks h : hosts) h.drainSteered(queue, now);
            if (now - lastAdvance >= 1_000_000) {
                lastAdvance = now;
                for (ShardedStacks h : hosts) h.shard(queue).advance(now);
            }
        } while (count > 0);
    }

    private void grow() {
        int n = bufs.length * 2;
        byte[][] nb = new byte[n][];
        int[] nl = new int[n], nd = new int[n];
        for (int i = 0; i < count; i++) {
            int at = (head + i) & (bufs.length - 1);
            nb[i] = bufs[at];
            nl[i] = lens[at];
            nd[i] = dsts[at];
        }
        bufs = nb;
        lens = nl;
        dsts = nd;
        head = 0;
    }
}
