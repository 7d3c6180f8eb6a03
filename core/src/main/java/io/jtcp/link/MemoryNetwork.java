package io.jtcp.link;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * An in-memory, real-time IP network for tests and benchmarks with real threads:
 * {@code send} copies the packet and hands it straight to the receiver attached at
 * its destination address, optionally due after a fixed delay. Nothing is lost,
 * reordered or corrupted unless a host is {@linkplain #setDown taken down}.
 *
 * <p>The simulator ({@code io.jtcp.link.sim}) stays the deterministic tool; this
 * network is as nondeterministic as the threads that use it. Thread-safe.
 */
public final class MemoryNetwork implements RealTimeLink {
    private final ConcurrentHashMap<IpAddress, PacketReceiver> hosts = new ConcurrentHashMap<>();
    private final Set<IpAddress> down = ConcurrentHashMap.newKeySet();
    private final long delayNanos;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    /** A network that delivers at once. */
    public MemoryNetwork() {
        this(Duration.ZERO);
    }

    /** A network that holds every packet for {@code delay} (one way). */
    public MemoryNetwork(Duration delay) {
        if (delay.isNegative()) throw new IllegalArgumentException("negative delay " + delay);
        this.delayNanos = delay.toNanos();
    }

    @Override
    public PacketSink attach(IpAddress address, PacketReceiver receiver) {
        if (hosts.putIfAbsent(address, receiver) != null) {
            throw new IllegalStateException("address " + address + " is already attached");
        }
        return (packet, offset, length) -> send(packet, offset, length);
    }

    @Override
    public void detach(IpAddress address) {
        hosts.remove(address);
    }

    /** While an address is down, packets to and from it vanish (a pulled cable). */
    public void setDown(IpAddress address, boolean isDown) {
        if (isDown) down.add(address);
        else down.remove(address);
    }

    /** Packets handed to a receiver so far. */
    public long delivered() { return delivered.sum(); }

    /** Packets that found nobody at their destination, came from or went to a host that is down, or were too short. */
    public long dropped() { return dropped.sum(); }

    private void send(byte[] packet, int offset, int length) {
        if (length < 20) {
            dropped.increment();
            return;
        }
        IpAddress src = IpPacket.peekSource(packet, offset, length);
        IpAddress dst = IpPacket.peekDestination(packet, offset, length);
        PacketReceiver receiver = hosts.get(dst);
        if (receiver == null || !down.isEmpty() && (down.contains(src) || down.contains(dst))) {
            dropped.increment();
            return;
        }
        byte[] copy = Arrays.copyOfRange(packet, offset, offset + length);
        delivered.increment();
        receiver.packetArrives(copy, 0, length, delayNanos == 0 ? 0 : System.nanoTime() + delayNanos);
    }
}
