package io.jtcp.host;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Test fixture: two stacks on a point-to-point link, as a TUN device joins jtcp and the
 * kernel (no routing: whatever one sends, the other gets, whatever its destination). A
 * {@link #path} function between them sees every packet and says what goes on (the packet,
 * nothing, or something else, such as an ICMP error in its place), and virtual time moves
 * only in {@link #runFor}. Every packet that crossed is kept for the test to look at.
 */
final class PointToPoint {
    /** One packet in flight: who sent it, its bytes. */
    record Packet(Stack from, byte[] bytes) {
        IpPacket ip() {
            IpPacket p = new IpPacket();
            if (io.jtcp.wire.PacketCodec.decodeIp(bytes, 0, bytes.length, p) != null) throw new AssertionError("undecodable");
            return p;
        }
    }

    private static final long MS = 1_000_000L;

    final Stack a, b;
    private final ArrayDeque<Packet> inFlight = new ArrayDeque<>();
    /** Everything either stack sent, before the path had its say. */
    final List<Packet> sent = new ArrayList<>();
    /** Everything delivered (the path's output, and injected packets). */
    final List<Packet> crossed = new ArrayList<>();
    /** What the link does with a packet: the packets to deliver to the other end in its place. */
    BiFunction<Stack, byte[], List<byte[]>> path = (from, p) -> List.of(p);
    long now;

    PointToPoint(Sysctls cfg, String aAddress, String bAddress) {
        a = new Stack("a", IpAddress.parse(aAddress), cfg, (p, o, n) -> send(0, p, o, n), 1, 0);
        b = new Stack("b", IpAddress.parse(bAddress), cfg, (p, o, n) -> send(1, p, o, n), 2, 0);
    }

    private void send(int side, byte[] p, int o, int n) {
        Packet packet = new Packet(side == 0 ? a : b, Arrays.copyOfRange(p, o, o + n));
        sent.add(packet);
        inFlight.add(packet);
    }

    Stack other(Stack s) {
        return s == a ? b : a;
    }

    /** Delivers everything in flight and fires timers, a millisecond a step, for {@code millis} of virtual time. */
    void runFor(long millis) {
        long end = now + millis * MS;
        while (true) {
            drain();
            long next = Math.min(a.nextDeadline(), b.nextDeadline());
            if (next > end) break;
            now = Math.max(now, next);
            a.advance(now);
            b.advance(now);
        }
        now = end;
        a.advance(now);
        b.advance(now);
        drain();
    }

    private void drain() {
        for (Packet p; (p = inFlight.poll()) != null; ) {
            for (byte[] out : path.apply(p.from(), p.bytes())) {
                crossed.add(new Packet(p.from(), out));
                other(p.from()).packetArrives(out, 0, out.length, now);
            }
        }
    }

    /** Puts a crafted packet on the link towards {@code to} now. */
    void inject(Stack to, byte[] packet) {
        crossed.add(new Packet(other(to), packet));
        to.packetArrives(packet, 0, packet.length, now);
    }
}
