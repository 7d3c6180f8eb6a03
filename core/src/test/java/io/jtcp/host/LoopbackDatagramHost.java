package io.jtcp.host;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A host for UDP tests: a few addresses, one directed broadcast, and an IP layer that
 * queues what is sent until {@link #deliver} hands each packet to the destination's
 * {@link UdpSockets} (this host's, or a peer's that owns the destination address).
 */
final class LoopbackDatagramHost implements DatagramHost {
    record Sent(IpAddress src, IpAddress dst, byte[] datagram) {}

    /** The directed broadcast of 10.0.0.0/24. */
    static final IpAddress BROADCAST = IpAddress.parse("10.0.0.255");

    Sysctls sysctls = Sysctls.linux();
    final Set<IpAddress> addresses;
    final UdpSockets udp;
    final ArrayDeque<Sent> wire = new ArrayDeque<>();
    LoopbackDatagramHost peer;

    LoopbackDatagramHost(long seed, String... addresses) {
        this.addresses = new java.util.HashSet<>();
        for (String a : addresses) this.addresses.add(IpAddress.parse(a));
        this.addresses.add(IpAddress.LOOPBACK4);
        this.addresses.add(IpAddress.LOOPBACK6);
        this.udp = new UdpSockets(this, seed);
    }

    @Override public Sysctls sysctls() { return sysctls; }

    @Override
    public IpAddress sourceFor(IpAddress dst) throws ErrnoException {
        if (addresses.contains(dst) || dst.isLoopback()) return dst.isV4() ? IpAddress.LOOPBACK4 : IpAddress.LOOPBACK6;
        return addresses.stream().filter(a -> a.isV4() == dst.isV4() && !a.isLoopback()).sorted().findFirst()
                .orElseThrow(() -> new ErrnoException(Errno.ENETUNREACH, "no route to " + dst));
    }

    @Override public boolean isLocal(IpAddress a) { return addresses.contains(a); }

    @Override
    public boolean isBroadcast(IpAddress a) {
        return DatagramHost.super.isBroadcast(a) || a.equals(BROADCAST);
    }

    @Override
    public void sendIp(IpAddress src, IpAddress dst, int protocol, byte[] msg, int off, int len) {
        if (protocol != Checksum.PROTO_UDP) throw new AssertionError("protocol " + protocol);
        wire.add(new Sent(src, dst, Arrays.copyOfRange(msg, off, off + len)));
    }

    /** Delivers everything sent so far, with checksums verified; what each arrival came to. */
    List<DropReason> deliver() {
        List<DropReason> results = new ArrayList<>();
        while (!wire.isEmpty()) {
            Sent s = wire.poll();
            UdpSockets to = peer != null && peer.addresses.contains(s.dst) && !s.dst.isLoopback() ? peer.udp : udp;
            results.add(to.datagramArrives(packet(s.src, s.dst, s.datagram), true, 0));
        }
        return results;
    }

    /** An IP packet carrying {@code datagram}, with a header's worth of other bytes before it. */
    static IpPacket packet(IpAddress src, IpAddress dst, byte[] datagram) {
        IpPacket p = new IpPacket();
        p.version = src.isV4() ? 4 : 6;
        p.src = src;
        p.dst = dst;
        p.protocol = Checksum.PROTO_UDP;
        p.buf = new byte[40 + datagram.length];
        System.arraycopy(datagram, 0, p.buf, 40, datagram.length);
        p.payloadOffset = 40;
        p.payloadLength = datagram.length;
        return p;
    }
}
