package io.jtcp.link.sim;

import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.tcp.Connection;
import io.jtcp.api.ConnectionStatus;
import io.jtcp.tcp.State;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NatTest {
    private static final IpAddress A = IpAddress.parse("192.168.1.10"), B = IpAddress.parse("192.168.1.11");
    private static final IpAddress PUBLIC = IpAddress.parse("203.0.113.7"), SERVER = IpAddress.parse("10.0.0.2");

    private static Nat nat() {
        return new Nat("203.0.113.7", 1024, 65535, "192.168.1.10", "192.168.1.11");
    }

    private static byte[] packet(IpAddress src, int srcPort, IpAddress dst, int dstPort, String payload) {
        Segment s = new Segment();
        s.srcAddr = src;
        s.dstAddr = dst;
        s.srcPort = srcPort;
        s.dstPort = dstPort;
        s.seq = 1;
        s.ack = 2;
        s.flags = TcpFlags.ACK | TcpFlags.PSH;
        s.window = 1000;
        byte[] data = payload.getBytes();
        s.payload(data, 0, data.length);
        byte[] buf = new byte[PacketCodec.MAX_PACKET_LENGTH];
        return Arrays.copyOf(buf, PacketCodec.encode(s, buf, 0));
    }

    private static Segment decode(byte[] p) {
        Segment s = new Segment();
        assertThat(PacketCodec.decode(p, 0, p.length, s)).as("checksums verify").isNull();
        return s;
    }

    @Test
    void twoInsideHostsOnOnePortShareThePublicAddressOnDifferentPortsAndRepliesFindTheirWayBack() {
        Nat nat = nat();
        byte[] fromA = packet(A, 40000, SERVER, 80, "a"), fromB = packet(B, 40000, SERVER, 80, "b");
        assertThat(nat.translate(fromA)).isEqualTo(Nat.Result.TRANSLATED);
        assertThat(nat.translate(fromB)).isEqualTo(Nat.Result.TRANSLATED);
        Segment a = decode(fromA), b = decode(fromB);
        assertThat(a.srcAddr).isEqualTo(PUBLIC);
        assertThat(b.srcAddr).isEqualTo(PUBLIC);
        assertThat(a.srcPort).as("the inside port, free").isEqualTo(40000);
        assertThat(b.srcPort).as("taken by A: another").isNotEqualTo(40000);

        byte[] toB = packet(SERVER, 80, PUBLIC, b.srcPort, "reply");
        assertThat(nat.translate(toB)).isEqualTo(Nat.Result.TRANSLATED);
        Segment back = decode(toB);
        assertThat(back.dstAddr).isEqualTo(B);
        assertThat(back.dstPort).isEqualTo(40000);
        assertThat(nat.mappings()).isEqualTo(2);
    }

    @Test
    void unmappedInboundIsDroppedOtherTrafficUntouchedAndDamageSurvivesTranslation() {
        Nat nat = nat();
        assertThat(nat.translate(packet(SERVER, 80, PUBLIC, 5555, "stray"))).isEqualTo(Nat.Result.DROPPED);
        byte[] elsewhere = packet(SERVER, 80, IpAddress.parse("10.0.0.1"), 5555, "x");
        byte[] before = elsewhere.clone();
        assertThat(nat.translate(elsewhere)).isEqualTo(Nat.Result.UNTOUCHED);
        assertThat(elsewhere).isEqualTo(before);

        byte[] damaged = packet(A, 40000, SERVER, 80, "payload");
        damaged[damaged.length - 1] ^= 1;
        nat.translate(damaged);
        assertThat(PacketCodec.decode(damaged, 0, damaged.length, new Segment())).isEqualTo(DropReason.TCP_BAD_CHECKSUM);
        assertThat(nat.translate(new byte[] {0x45, 0, 0})).as("too short to be from inside").isEqualTo(Nat.Result.UNTOUCHED);
    }

    @Test
    void theRfc1624UpdateEqualsARecomputedChecksum() {
        byte[] p = packet(A, 40000, SERVER, 80, "check");
        nat().translate(p);
        byte[] recomputed = packet(PUBLIC, 40000, SERVER, 80, "check");
        assertThat(p).isEqualTo(recomputed);
    }

    @Test
    void stacksBehindTheNatConnectAndTheServerSeesOnlyThePublicAddress() throws Exception {
        SimNetwork net = new SimNetwork(5);
        net.addNat(nat());
        Sysctls cfg = Sysctls.linux();
        Stack server = SimHost.create(net, "server", "10.0.0.2", cfg, 5).stack();
        Stack a = SimHost.create(net, "a", "192.168.1.10", cfg, 5).stack();
        Stack b = SimHost.create(net, "b", "192.168.1.11", cfg, 5).stack();
        server.listen(80, (c, now) -> new SocketHandler() {});
        Connection ca = a.connect(SERVER, 80, new SocketHandler() {}, 0);
        Connection cb = b.connect(SERVER, 80, new SocketHandler() {}, 0);
        net.runFor(1_000_000_000L);
        assertThat(ca.state()).isEqualTo(State.ESTABLISHED);
        assertThat(cb.state()).isEqualTo(State.ESTABLISHED);
        assertThat(server.connections()).hasSize(2)
                .allSatisfy(c -> assertThat(c.tuple().remoteAddr()).isEqualTo(PUBLIC))
                .extracting(ConnectionStatus::state).containsOnly(State.ESTABLISHED);
    }
}
