package io.jtcp.shard;

import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.config.Sysctls;
import io.jtcp.link.PacketReceiver;
import io.jtcp.link.PacketSink;
import io.jtcp.link.PolledLink;
import io.jtcp.link.RealTimeLink;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.wire.IpAddress;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One host on a real-time link as N shards, each a {@link StackLoop} with its own thread
 * and stack, sharing nothing but the {@link PortClaims} (see docs/architecture.md,
 * "Scale"). The host attaches to the link once; every packet the link delivers goes
 * straight to its owner shard's loop, as the {@link PacketOwner} names it, so a link that
 * calls from any thread (the {@link io.jtcp.link.MemoryNetwork}) needs no steering.
 *
 * <p>Sockets are pinned to their shard for life: {@link #connect} opens on the next shard
 * in turn, whose ephemeral port makes the replies hash back to it; a thread that opens
 * sockets itself (java.net, NIO) binds one shard with {@link io.jtcp.api.HostContext#bind}.
 * {@link #listen} listens on every shard and merges their accept queues.
 *
 * <p><b>Queues.</b> Over a device with one queue per shard ({@link #onQueues}: a TUN device
 * opened with IFF_MULTI_QUEUE), each shard's loop polls its own queue and writes its own
 * output there, as a NIC's RSS queue and a core pair up. The kernel picks a flow's queue by
 * itself (tun_select_queue: the queue the flow was last written on, else its hash), so a
 * packet may land on a shard that does not own it: that shard copies it into the
 * {@link Steering} ring towards the owner (no lock, no compare-and-swap) and wakes the owner
 * once per batch; each shard drains its rings every time it polls.
 */
public final class ShardedHost implements AutoCloseable {
    private final String name;
    private final IpAddress address;
    /** The one link every shard shares, or null on queues. */
    private final RealTimeLink link;
    /** Between the shards on queues; null on a shared link, which calls each owner's loop itself. */
    private final Steering steering;
    /** Each shard's queue, or null on a shared link. */
    private final List<? extends PolledLink> queues;
    private final FlowHash hash;
    private final PacketOwner owner;
    private final PortClaims claims;
    private final StackLoop[] loops;
    /** Each shard's receiver once its loop has attached; the dispatcher reads it from the link's threads. */
    private final AtomicReferenceArray<PacketReceiver> receivers;
    private final AtomicInteger nextShard = new AtomicInteger();
    private final AtomicInteger attached = new AtomicInteger();
    /** The shared link's sink, or null on queues. */
    private final PacketSink sink;
    private final Dispatcher dispatcher = new Dispatcher();

    /** How many packets each (from, to) ring of a host on queues holds: a NIC ring's order of size. */
    static final int STEERING_RING = 1024;

    private ShardedHost(String name, String address, int shards, RealTimeLink link, List<? extends PolledLink> queues,
            Sysctls cfg, long seed) {
        this.name = name;
        this.address = IpAddress.parse(address.contains("/") ? address.substring(0, address.indexOf('/')) : address);
        this.link = link;
        this.hash = new FlowHash(seed);
        this.owner = new PacketOwner(hash, shards);
        this.claims = new PortClaims(hash, shards);
        this.receivers = new AtomicReferenceArray<>(shards);
        this.steering = queues == null ? null : new Steering(owner, STEERING_RING);
        this.queues = queues;
        this.sink = link == null ? null : link.attach(this.address, dispatcher);
        this.loops = new StackLoop[shards];
        for (int k = 0; k < shards; k++) {
            RealTimeLink port = queues == null ? new SharedPort(k) : new QueuePort(k, queues.get(k));
            StackLoop loop = StackLoop.builder(name + "/" + k, address).sysctls(cfg).seed(seed + 1 + k).start(port);
            int shard = k;
            loop.call(() -> {
                loop.stack().setShardRole(claims.role(shard, (p, off, len) -> divert(shard, p, off, len)));
                return null;
            }).join();
            loops[k] = loop;
        }
    }

    /** A host of {@code shards} shards named {@code name} at {@code address}, Linux's defaults. */
    public static ShardedHost start(String name, String address, int shards, RealTimeLink link) {
        return start(name, address, shards, link, Sysctls.linux(), new SecureRandom().nextLong());
    }

    /** As above, with sysctls and the seed of the flow hash and the shards' secrets. */
    public static ShardedHost start(String name, String address, int shards, RealTimeLink link, Sysctls cfg, long seed) {
        if (link instanceof PolledLink) {
            throw new IllegalArgumentException("a polled link is read by one loop: give each shard its own queue (onQueues)");
        }
        return new ShardedHost(name, address, shards, link, null, cfg, seed);
    }

    /** A host with one shard per queue of one device, each shard's loop reading and writing its own queue. */
    public static ShardedHost onQueues(String name, String address, List<? extends PolledLink> queues, Sysctls cfg, long seed) {
        if (queues.isEmpty()) throw new IllegalArgumentException("no queues");
        return new ShardedHost(name, address, queues.size(), null, List.copyOf(queues), cfg, seed);
    }

    /** The steering between shards on queues; null on a shared link (which needs none). */
    public Steering steering() { return steering; }

    public int shards() { return loops.length; }

    /** Shard {@code k}'s loop: sockets opened on it stay there. */
    public StackLoop shard(int k) { return loops[k]; }

    /** The shard that owns the connection between these ends. */
    public int ownerOf(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        return hash.shardOf(local, localPort, remote, remotePort, loops.length);
    }

    /** An active open on the next shard in turn (round robin), from an ephemeral port that shard owns. */
    public TcpSocket connect(String remote, int port) throws IOException {
        TcpSocket s = TcpSocket.open(loops[Math.floorMod(nextShard.getAndIncrement(), loops.length)]);
        try {
            s.connect(remote, port);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * listen(2) on {@code port} on every shard (SO_REUSEPORT style); the returned socket
     * accepts from all of them. EADDRINUSE if any shard holds the port.
     */
    public ShardedServerSocket listen(int port, int backlog) throws IOException {
        if (claims.held(port)) throw new io.jtcp.api.ErrnoException(io.jtcp.api.Errno.EADDRINUSE, "port " + port + " is held");
        claims.replicate(port, true);
        List<TcpServerSocket> opened = new ArrayList<>();
        try {
            for (StackLoop loop : loops) opened.add(TcpServerSocket.listen(loop, port, backlog));
        } catch (IOException | RuntimeException e) {
            for (TcpServerSocket s : opened) s.close();
            claims.replicate(port, false);
            throw e;
        }
        return new ShardedServerSocket(opened, () -> claims.replicate(port, false));
    }

    /** ss, netstat and nstat of the whole host: the shards' snapshots merged. */
    public CompletableFuture<StackSnapshot> snapshot() {
        List<CompletableFuture<StackSnapshot>> parts = new ArrayList<>();
        for (StackLoop loop : loops) parts.add(loop.snapshot());
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(v -> Snapshots.merge(name, parts.stream().map(CompletableFuture::join).toList()));
    }

    /** Shuts every shard down (their connections reset, as a host going down) and leaves the link. */
    @Override
    public void close() {
        for (StackLoop loop : loops) if (loop != null) loop.close();
    }

    /**
     * The link's side: each packet to its owner's loop; one nobody can read to shard 0, whose
     * stack counts it. A link's word that a checksum needs no verifying travels with the packet.
     */
    private final class Dispatcher implements PacketReceiver {
        @Override
        public void packetArrives(byte[] packet, int offset, int length, long notBeforeNanos) {
            packetArrives(packet, offset, length, notBeforeNanos, false);
        }

        @Override
        public void packetArrives(byte[] packet, int offset, int length, long notBeforeNanos, boolean checksumTrusted) {
            int k = owner.ownerOf(packet, offset, length);
            PacketReceiver r = receivers.get(k == PacketOwner.HERE ? 0 : k);
            if (r != null) r.packetArrives(packet, offset, length, notBeforeNanos, checksumTrusted);
        }
    }

    /**
     * A datagram shard {@code from} reassembled goes to its owner's loop, unless that is
     * {@code from}; as a copy, since an atomic fragment's datagram is the arriving packet's
     * bytes, which a polled link lends.
     */
    private boolean divert(int from, byte[] datagram, int offset, int length) {
        int to = owner.ownerOf(datagram, offset, length);
        if (to == PacketOwner.HERE || to == from) return false;
        PacketReceiver r = receivers.get(to);
        if (r != null) r.packetArrives(Arrays.copyOfRange(datagram, offset, offset + length), 0, length, 0);
        return true;
    }

    /** What shard k's loop sees as its link: the host's one attachment, shared. */
    private final class SharedPort implements RealTimeLink {
        private final int shard;

        SharedPort(int shard) {
            this.shard = shard;
        }

        @Override
        public PacketSink attach(IpAddress at, PacketReceiver receiver) {
            if (!at.equals(address)) throw new IllegalArgumentException("a sharded host has one address, " + address);
            receivers.set(shard, receiver);
            attached.incrementAndGet();
            return sink;
        }

        @Override
        public void detach(IpAddress at) {
            receivers.set(shard, null);
            if (attached.decrementAndGet() == 0) link.detach(address);
        }

        @Override
        public boolean completesTcpChecksums() { return link.completesTcpChecksums(); }

        @Override
        public void flush() { link.flush(); }
    }

    /**
     * Shard k's own queue, which its loop polls: packets the shard owns go to its stack from
     * the queue's buffer; others are copied to their owner's ring (a partial checksum the
     * queue vouched for made whole first: the owner hears no vouching); then whatever the
     * other shards steered here. Packets the queue hands over from elsewhere (injected,
     * delayed) reach their owner's loop through the {@link Dispatcher}.
     */
    private final class QueuePort implements PolledLink {
        private final int shard;
        private final PolledLink queue;
        private final Steering.Counters counters;
        /** The shards this poll steered packets to, to be woken once each afterwards. */
        private final boolean[] toWake = new boolean[loops.length];
        /** The loop's input during a poll. */
        private PolledLink.Input stack;
        private final PolledLink.Input steer = this::steer;
        private final SpscRing.Consumer fromOthers = (p, off, len) -> stack.packetArrives(p, off, len, false);
        private boolean woke;

        QueuePort(int shard, PolledLink queue) {
            this.shard = shard;
            this.queue = queue;
            this.counters = steering.counters(shard);
        }

        @Override
        public PacketSink attach(IpAddress at, PacketReceiver receiver) {
            if (!at.equals(address)) throw new IllegalArgumentException("a sharded host has one address, " + address);
            receivers.set(shard, receiver);
            return queue.attach(at, dispatcher);
        }

        @Override
        public void detach(IpAddress at) {
            receivers.set(shard, null);
            queue.detach(at);
        }

        @Override
        public boolean completesTcpChecksums() { return queue.completesTcpChecksums(); }

        @Override
        public void flush() { queue.flush(); }

        @Override
        public void wakeUp() { queue.wakeUp(); }

        @Override
        public boolean poll(PolledLink.Input to, long timeoutNanos) {
            stack = to;
            // Packets already steered here are work: read the queue without waiting.
            boolean more = queue.poll(steer, timeoutNanos != 0 && steering.pending(shard) ? 0 : timeoutNanos);
            steering.drain(shard, fromOthers);
            if (woke) {
                woke = false;
                for (int k = 0; k < toWake.length; k++) {
                    if (!toWake[k]) continue;
                    toWake[k] = false;
                    queues.get(k).wakeUp();
                }
            }
            return more;
        }

        private void steer(byte[] p, int off, int len, boolean checksumTrusted) {
            int to = owner.ownerOf(p, off, len);
            if (to == PacketOwner.HERE || to == shard) {
                counters.kept++;
                stack.packetArrives(p, off, len, checksumTrusted);
                return;
            }
            byte[] copy = Arrays.copyOfRange(p, off, off + len);
            if (checksumTrusted) queue.completeChecksum(copy, len);
            if (!steering.keep(shard, copy, 0, len)) {
                toWake[to] = true;
                woke = true;
            }
        }
    }
}
