package io.jtcp.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.host.Listening;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.host.StackCounters;
import io.jtcp.host.UdpSock;
import io.jtcp.ip.Fragmenter;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import io.jtcp.wire.Bytes;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.Icmp;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpHeaders;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import io.jtcp.wire.Udp;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole host: a Stack with a listener (SYN cookies on, tiny SYN and accept queues), a
 * small TIME_WAIT table, a UDP socket, IP reassembly and ICMP, fed packets from four peers
 * (two IPv4, one more IPv4 off-link, one IPv6) as raw bytes, as TCP segments that may echo
 * what the host last sent that peer (so handshakes, cookies and data transfers happen), as
 * fragments in any order, as UDP datagrams and as ICMP errors quoting the host's own
 * packets; with application calls and timer advances in between.
 *
 * <p>Invariants: nothing throws; counters never go negative; the SYN queue stays within
 * tcp_max_syn_backlog and the accept queue within backlog + 1 (Linux's sk_acceptq_is_full);
 * and once the application has closed everything and four virtual hours have passed, no
 * connection, TIME_WAIT entry or request is left.
 */
class HostFuzzTest {
    private static final IpAddress HOST4 = IpAddress.parse("10.0.0.2"), HOST6 = IpAddress.parse("2001:db8::2");
    private static final IpAddress[] PEERS = {
            IpAddress.parse("10.0.0.1"), IpAddress.parse("10.0.0.3"), IpAddress.parse("192.0.2.7"), IpAddress.parse("2001:db8::1")};
    private static final int SYN_BACKLOG = 4, BACKLOG = 2, TW_BUCKETS = 8, LISTEN_PORT = 80, UDP_PORT = 53;
    private static final long DRAIN = Duration.ofHours(4).toNanos();
    private static final int MAX_TIMER_TURNS = 200_000;

    @FuzzTest
    void packetsFromSeveralPeers(FuzzedDataProvider data) throws ErrnoException {
        // Jazzer keeps one instance of the test class for every input: all state lives in a Run.
        new Run().play(data);
    }

    /** One input's host and what it has seen. */
    private static final class Run {
        private Stack stack;
        private Listening listener;
        private long now;
        private final List<Connection> apps = new ArrayList<>();
        /** The last TCP segment the host sent to each peer address and port: what a real peer would answer. */
        private final Map<String, Segment> lastSent = new HashMap<>();
        /** The last packet the host sent to each peer address, for ICMP errors to quote. */
        private final Map<IpAddress, byte[]> lastPacket = new HashMap<>();

        void play(FuzzedDataProvider data) throws ErrnoException {
            Sysctls cfg = Sysctls.linux()
                    .set("tcp_syncookies", data.consumeBoolean() ? "1" : "2")
                    .set("tcp_max_syn_backlog", String.valueOf(SYN_BACKLOG))
                    .set("tcp_max_tw_buckets", String.valueOf(TW_BUCKETS))
                    .set("tcp_timestamps", data.consumeBoolean() ? "1" : "0")
                    .set("tcp_sack", data.consumeBoolean() ? "1" : "0");
            stack = new Stack("host", HOST4, cfg, this::capture, 1, 0);
            stack.addAddress(HOST6, 64);
            listener = stack.listen(LISTEN_PORT, BACKLOG, new SocketOptions(cfg), (l, t) -> { });
            UdpSock udp = stack.udp().open(false, (s, t) -> { });
            stack.udp().bind(udp, IpAddress.ANY4, UDP_PORT);

            for (int step = 0; step < 48 && data.remainingBytes() > 0; step++) {
                step(data);
                countersAreSane();
            }
            everythingDrains();
        }

        private void step(FuzzedDataProvider data) {
            switch (data.consumeInt(0, 9)) {
                case 0, 1, 2 -> deliver(data, tcp(data));
                case 3 -> deliver(data, udp(data));
                case 4 -> deliver(data, icmpError(data));
                case 5 -> {
                    byte[] raw = data.consumeBytes(data.consumeInt(0, 1600));
                    stack.packetArrives(raw, 0, raw.length, now);
                }
                case 6 -> advanceTo(now + data.consumeLong(0, Duration.ofSeconds(90).toNanos()));
                case 7 -> advanceTo(Math.max(now, Math.min(stack.nextDeadline(), now + DRAIN)));
                case 8 -> application(data);
                default -> {
                    try {
                        apps.add(stack.connect(data.pickValue(PEERS), data.consumeInt(1, 3), new SocketHandler() { }, now));
                    } catch (ErrnoException e) {
                        // EADDRNOTAVAIL and the like: the host said no, as it may.
                    }
                }
            }
        }

        private void capture(byte[] packet, int offset, int length) {
            byte[] copy = java.util.Arrays.copyOfRange(packet, offset, offset + length);
            IpAddress dst = io.jtcp.wire.IpPacket.peekDestination(copy, 0, copy.length);
            if (dst != null) lastPacket.put(dst, copy);
            Segment s = new Segment();
            if (PacketCodec.decode(copy, 0, copy.length, s, false) == null) lastSent.put(s.dstAddr + ":" + s.dstPort, s.copy());
        }

        private byte[] tcp(FuzzedDataProvider data) {
            IpAddress peer = data.pickValue(PEERS);
            Segment s = new Segment();
            s.srcAddr = peer;
            s.dstAddr = peer.isV4() ? HOST4 : HOST6;
            s.srcPort = data.pickValue(new int[] {40000, 40001, 40002, 40003});
            s.dstPort = data.pickValue(new int[] {LISTEN_PORT, LISTEN_PORT, 81, 32768, 60999});
            Segment last = lastSent.get(s.srcAddr + ":" + s.srcPort);
            s.flags = data.consumeInt(0, 0xff);
            if (last != null && data.consumeBoolean()) {
                // Answer what the host said: our next byte where it expects it, its bytes acknowledged.
                s.seq = last.ack + data.consumeInt(-3, 3);
                s.ack = last.seq + last.seqLength() + data.consumeInt(-3, 3);
            } else {
                s.seq = data.consumeInt();
                s.ack = data.consumeInt();
            }
            s.window = data.consumeInt(0, 0xffff);
            s.urgent = data.consumeInt(0, 0xffff);
            s.ecn = data.consumeInt(0, 3);
            if (data.consumeBoolean()) s.mss = data.consumeInt(0, 0xffff);
            if (data.consumeBoolean()) s.windowScale = data.consumeInt(0, 15);
            s.sackPermitted = data.consumeBoolean();
            if (data.consumeBoolean()) {
                s.hasTimestamps = true;
                s.tsVal = data.consumeInt();
                s.tsEcr = last != null && last.hasTimestamps && data.consumeBoolean() ? last.tsVal : data.consumeInt();
            }
            if (data.consumeBoolean()) s.addSack(s.ack - data.consumeInt(0, 3000), s.ack + data.consumeInt(0, 3000));
            byte[] payload = data.consumeBytes(data.consumeInt(0, 2000));
            s.payload(payload, 0, payload.length);
            byte[] out = new byte[PacketCodec.encodedLength(s)];
            PacketCodec.encode(s, out, 0, true, data.consumeBoolean());
            return out;
        }

        private byte[] udp(FuzzedDataProvider data) {
            IpAddress peer = data.pickValue(PEERS);
            IpAddress host = peer.isV4() ? HOST4 : HOST6;
            byte[] payload = data.consumeBytes(data.consumeInt(0, 3000));
            int header = IpHeaders.headerLength(peer);
            byte[] out = new byte[header + Udp.HEADER_LENGTH + payload.length];
            int dstPort = data.pickValue(new int[] {UDP_PORT, 54, 33434});
            int n = Udp.encode(peer, 5353, host, dstPort, payload, 0, payload.length, out, header);
            IpHeaders.write(out, 0, peer, host, Checksum.PROTO_UDP, n, 64, 0, false, data.consumeInt(0, 0xffff));
            return out;
        }

        /** An ICMP error from a peer (or a router on its path) quoting the last packet the host sent it. */
        private byte[] icmpError(FuzzedDataProvider data) {
            IpAddress peer = data.pickValue(PEERS);
            IpAddress host = peer.isV4() ? HOST4 : HOST6;
            byte[] quoted = lastPacket.getOrDefault(peer, data.consumeBytes(60));
            int quote = Math.min(quoted.length, data.consumeInt(0, 600));
            int type = peer.isV4()
                    ? data.pickValue(new int[] {Icmp.V4_DEST_UNREACHABLE, Icmp.V4_TIME_EXCEEDED, Icmp.V4_PARAMETER_PROBLEM, Icmp.V4_SOURCE_QUENCH})
                    : data.pickValue(new int[] {Icmp.V6_DEST_UNREACHABLE, Icmp.V6_PACKET_TOO_BIG, Icmp.V6_TIME_EXCEEDED, Icmp.V6_PARAMETER_PROBLEM});
            int header = IpHeaders.headerLength(peer);
            int length = Icmp.HEADER_LENGTH + quote;
            byte[] out = new byte[header + length];
            int protocol = peer.isV4() ? Checksum.PROTO_ICMP : Checksum.PROTO_ICMPV6;
            IpHeaders.write(out, 0, peer, host, protocol, length, 64, 0, false, 0);
            out[header] = (byte) type;
            out[header + 1] = (byte) data.consumeInt(0, 15);
            Bytes.put32(out, header + 4, data.consumeInt(0, 70000));
            System.arraycopy(quoted, 0, out, header + Icmp.HEADER_LENGTH, quote);
            int seed = peer.isV4() ? 0 : Checksum.pseudoHeader(peer, host, protocol, length);
            Bytes.put16(out, header + 2, Checksum.finish(Checksum.partial(out, header, length, seed)));
            return out;
        }

        /** Hands the packet over whole, or cut into fragments delivered in an order (and with losses and copies) of the fuzzer's choosing. */
        private void deliver(FuzzedDataProvider data, byte[] packet) {
            if (!data.consumeBoolean()) {
                stack.packetArrives(packet, 0, packet.length, now);
                return;
            }
            List<byte[]> fragments = new ArrayList<>();
            Fragmenter.Sink sink = (b, off, len) -> fragments.add(java.util.Arrays.copyOfRange(b, off, off + len));
            int mtu = data.consumeInt(68, 1500);
            boolean v6 = (packet[0] >>> 4 & 0xf) == 6;
            if (v6) Fragmenter.fragment6(packet, 0, Math.max(mtu, 1280) - data.consumeInt(0, 1200), data.consumeInt(), sink);
            else Fragmenter.fragment4(clearDf(packet), 0, mtu, sink);
            int sends = data.consumeInt(0, fragments.size() + 2);
            for (int i = 0; i < sends && !fragments.isEmpty(); i++) {
                byte[] f = fragments.get(data.consumeInt(0, fragments.size() - 1));
                stack.packetArrives(f, 0, f.length, now);
            }
        }

        private static byte[] clearDf(byte[] packet) {
            packet[6] &= (byte) ~0x40;
            Bytes.put16(packet, 10, 0);
            Bytes.put16(packet, 10, Checksum.finish(Checksum.partial(packet, 0, 20, 0)));
            return packet;
        }

        private void application(FuzzedDataProvider data) {
            Connection taken = listener.accept((c, t) -> new SocketHandler() { });
            if (taken != null) apps.add(taken);
            if (apps.isEmpty()) return;
            Connection c = apps.get(data.consumeInt(0, apps.size() - 1));
            try {
                switch (data.consumeInt(0, 3)) {
                    case 0 -> c.receive(new byte[4096], 0, 4096, now);
                    case 1 -> {
                        byte[] b = data.consumeBytes(data.consumeInt(0, 5000));
                        c.send(b, 0, b.length, now);
                    }
                    case 2 -> c.close(now);
                    default -> c.abort(now);
                }
            } catch (ErrnoException e) {
                // A typed refusal (ENOTCONN, EPIPE, ECONNRESET...) is an answer, not a failure.
            }
            stack.advance(now);
        }

        private void advanceTo(long target) {
            for (int turns = 0; stack.nextDeadline() <= target; turns++) {
                assertThat(turns).as("timers keep firing without time passing").isLessThan(MAX_TIMER_TURNS);
                now = Math.max(now, stack.nextDeadline());
                stack.advance(now);
            }
            now = target;
            stack.advance(now);
        }

        private void countersAreSane() {
            StackCounters counters = stack.counters();
            for (Field f : StackCounters.class.getFields()) {
                if (f.getType() != long.class) continue;
                try {
                    assertThat(f.getLong(counters)).as(f.getName()).isNotNegative();
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
            assertThat(listener.synQueueLength()).as("SYN queue").isLessThanOrEqualTo(SYN_BACKLOG);
            assertThat(listener.acceptQueueLength()).as("accept queue").isLessThanOrEqualTo(BACKLOG + 1);
            assertThat(stack.timeWaitCount()).as("TIME_WAIT table").isLessThanOrEqualTo(TW_BUCKETS);
        }

        private void everythingDrains() {
            Connection c;
            while ((c = listener.accept((conn, t) -> new SocketHandler() { })) != null) apps.add(c);
            for (Connection app : apps) app.close(now);
            advanceTo(now + DRAIN);
            List<String> left = stack.connections().stream().map(Object::toString).toList();
            assertThat(left).as("connections left four hours after the application closed them").isEmpty();
            assertThat(stack.timeWaitCount()).isZero();
            assertThat(listener.synQueueLength()).isZero();
            assertThat(listener.acceptQueueLength()).isZero();
            for (Connection app : apps) assertThat(app.state()).isIn(State.CLOSED, State.TIME_WAIT);
        }
    }
}
