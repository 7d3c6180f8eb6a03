package io.jtcp.api;

import io.jtcp.config.Sysctls;
import io.jtcp.host.DatagramHost;
import io.jtcp.host.UdpSockets;
import io.jtcp.wire.Bytes;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * UDP for a {@link StackLoop} before its stack has any: a {@link UdpSockets} per loop over
 * an IP layer that loops every datagram back (on the loop) to the same table, where the
 * host has 10.0.0.1, fd00::1 and loopback, and a datagram nobody takes comes back as the
 * ICMP port unreachable the stack will send (ECONNREFUSED, hard).
 */
public final class LoopedUdp {
    private static final Map<StackLoop, Host> HOSTS = new WeakHashMap<>();

    private LoopedUdp() {}

    /** A socket on {@code loop}'s looped-back UDP. */
    public static UdpSocket open(StackLoop loop, boolean ipv6) throws java.io.IOException {
        Host host;
        synchronized (HOSTS) {
            host = HOSTS.computeIfAbsent(loop, Host::new);
        }
        return UdpSocket.open(loop, () -> host.udp, ipv6);
    }

    private static final class Host implements DatagramHost {
        private static final IpAddress ME4 = IpAddress.parse("10.0.0.1"), ME6 = IpAddress.parse("fd00::1");
        private final StackLoop loop;
        private final UdpSockets udp;

        Host(StackLoop loop) {
            this.loop = loop;
            this.udp = new UdpSockets(this, 5);
        }

        @Override public Sysctls sysctls() { return loop.sysctls(); }

        @Override public IpAddress sourceFor(IpAddress dst) { return dst.isV4() ? ME4 : ME6; }

        @Override public boolean isLocal(IpAddress a) { return Set.of(ME4, ME6, IpAddress.LOOPBACK4, IpAddress.LOOPBACK6).contains(a); }

        @Override
        public void sendIp(IpAddress src, IpAddress dst, int protocol, byte[] msg, int off, int len) {
            byte[] datagram = Arrays.copyOfRange(msg, off, off + len);
            loop.execute(() -> {
                IpPacket p = new IpPacket();
                p.version = src.isV4() ? 4 : 6;
                p.src = src;
                p.dst = dst;
                p.protocol = protocol;
                p.buf = datagram;
                p.payloadLength = datagram.length;
                if (udp.datagramArrives(p, true, loop.now()) == DropReason.UDP_NO_PORT) {
                    udp.icmpError(src, Bytes.u16(datagram, 0), dst, Bytes.u16(datagram, 2), Errno.ECONNREFUSED, true, loop.now());
                }
            });
        }
    }
}
