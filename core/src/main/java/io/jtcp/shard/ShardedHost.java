package io.jtcp.shard;

import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.config.Sysctls;
import io.jtcp.link.PacketReceiver;
import io.jtcp.link.PacketSink;
import io.jtcp.link.RealTimeLink;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.wire.IpAddress;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
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
 */
public final class ShardedHost implements AutoCloseable {
    private final String name;
    private final IpAddress address;
    private final RealTimeLink link;
    private final FlowHash hash;
    private final PacketOwner owner;
    private final PortClaims claims;
    private final StackLoop[] loops;
    /** Each shard's receiver once its loop has attached; the dispatcher reads it from the link's threads. */
    private final AtomicReferenceArray<PacketReceiver> receivers;
    private final AtomicInteger nextShard = new AtomicInteger();
    private final AtomicInteger attached = new AtomicInteger();
    private final PacketSink sink;

    private ShardedHost(String name, String address, int shards, RealTimeLink link, Sysctls cfg, long seed) {
        this.name = name;
        this.address = IpAddress.parse(address.contains("/") ? address.substring(0, address.indexOf('/')) : address);
        this.link = link;
        this.hash = new FlowHash(seed);
        this.owner = new PacketOwner(hash, shards);
        this.claims = new PortClaims(hash, shards);
        this.receivers = new AtomicReferenceArray<>(shards);
        this.sink = link.attach(this.address, new Dispatcher());
        this.loops = new StackLoop[shards];
        for (int k = 0; k < shards; k++) {
            StackLoop loop = StackLoop.builder(name + "/" + k, address).sysctls(cfg).seed(seed + 1 + k).start(new ShardPort(k));
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
        return new ShardedHost(name, address, shards, link, cfg, seed);
    }

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

    /** A datagram shard {@code from} reassembled goes to its owner's loop, unless that is {@code from}. */
    private boolean divert(int from, byte[] datagram, int offset, int length) {
        int to = owner.ownerOf(datagram, offset, length);
        if (to == PacketOwner.HERE || to == from) return false;
        PacketReceiver r = receivers.get(to);
        if (r != null) r.packetArrives(datagram, offset, length, 0);
        return true;
    }

    /** What shard k's loop sees as its link: the host's one attachment, shared. */
    private final class ShardPort implements RealTimeLink {
        private final int shard;

        ShardPort(int shard) {
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
}
