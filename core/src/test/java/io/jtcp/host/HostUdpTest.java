package io.jtcp.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** UDP through whole stacks: port unreachable and the error it gives, datagrams larger than the MTU. */
class HostUdpTest {
    private static final Sysctls CFG = Sysctls.linux();
    private static final IpAddress A6 = IpAddress.parse("fd00::1"), B6 = IpAddress.parse("fd00::2");
    private static final IpAddress A4 = IpAddress.parse("10.0.0.1"), B4 = IpAddress.parse("10.0.0.2");

    private final PointToPoint link = new PointToPoint(CFG, "10.0.0.1", "10.0.0.2");

    HostUdpTest() {
        link.a.addAddress(A6, 64);
        link.b.addAddress(B6, 64);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aClosedPortAnswersPortUnreachableAndAConnectedSocketSeesEconnrefusedOnce(boolean v6) throws ErrnoException {
        UdpSockets udp = link.a.udp();
        UdpSock s = udp.open(v6, (sock, now) -> { });
        udp.connect(s, v6 ? B6 : B4, 53);
        udp.send(s, null, 0, "query".getBytes(), 0, 5);
        link.runFor(1);
        assertThat(link.b.snapshot(link.now).counters()).containsEntry("UdpNoPorts", 1L);
        assertThat(udp.takeError(s)).isEqualTo(Errno.ECONNREFUSED);
        assertThat(udp.takeError(s)).as("reported once").isNull();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aDatagramOverTheMtuLeavesInFragmentsAndArrivesWhole(boolean v6) throws ErrnoException {
        UdpSockets ua = link.a.udp(), ub = link.b.udp();
        UdpSock server = ub.open(v6, (sock, now) -> { });
        ub.bind(server, v6 ? IpAddress.ANY6 : IpAddress.ANY4, 9000);
        UdpSock client = ua.open(v6, (sock, now) -> { });
        byte[] data = new byte[4000];
        new Random(1).nextBytes(data);
        ua.send(client, v6 ? B6 : B4, 9000, data, 0, data.length);
        link.runFor(1);
        long fragments = link.crossed.stream().filter(p -> p.from() == link.a).count();
        assertThat(fragments).as("4000 bytes over a 1500-byte MTU").isEqualTo(3);
        link.crossed.forEach(p -> {
            IpPacket ip = p.ip();
            assertThat(ip.fragment).isTrue();
            assertThat(ip.packetLength()).isLessThanOrEqualTo(1500);
        });
        UdpDatagram got = ub.receive(server, false);
        assertThat(got).isNotNull();
        assertThat(got.data()).isEqualTo(data);
        assertThat(got.source()).isEqualTo(v6 ? A6 : A4);
        assertThat(link.b.snapshot(link.now).counters()).containsEntry(v6 ? "Ip6ReasmOKs" : "IpReasmOKs", 1L);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void udpToTheHostItselfGoesOverLoopback(boolean v6) throws ErrnoException {
        UdpSockets udp = link.a.udp();
        UdpSock server = udp.open(v6, (sock, now) -> { });
        udp.bind(server, v6 ? IpAddress.LOOPBACK6 : IpAddress.LOOPBACK4, 7000);
        UdpSock client = udp.open(v6, (sock, now) -> { });
        udp.send(client, v6 ? IpAddress.LOOPBACK6 : IpAddress.LOOPBACK4, 7000, "x".getBytes(), 0, 1);
        link.runFor(1);
        assertThat(udp.receive(server, false).data()).isEqualTo("x".getBytes());
        assertThat(link.crossed).isEmpty();
    }
}
