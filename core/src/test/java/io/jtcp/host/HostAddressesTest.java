package io.jtcp.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.observe.SsView;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Segment;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several addresses, both families, loopback and the one bind table, on two hosts joined point to point. */
class HostAddressesTest {
    private static final Sysctls CFG = Sysctls.linux();
    private static final IpAddress A6 = IpAddress.parse("fd00::1"), B6 = IpAddress.parse("fd00::2");
    private static final IpAddress A4 = IpAddress.parse("10.0.0.1"), B4 = IpAddress.parse("10.0.0.2");

    private final PointToPoint link = new PointToPoint(CFG, "10.0.0.1", "10.0.0.2");

    HostAddressesTest() {
        link.a.addAddress(A6, 64);
        link.b.addAddress(B6, 64);
    }

    /** Accepts every connection on {@code port} and keeps what each one receives. */
    private static final class Sink implements SocketHandler {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final List<Connection> accepted = new ArrayList<>();

        @Override
        public void readable(Connection c, long now) {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = c.receive(buf, 0, buf.length, now)) > 0; ) got.write(buf, 0, n);
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        }
    }

    private Sink listen(Stack s, IpAddress at, int port, boolean v6Only) throws ErrnoException {
        Sink sink = new Sink();
        SocketOptions o = new SocketOptions(CFG);
        o.v6Only = v6Only;
        s.listen(at, port, 16, o, (l, now) -> {
            for (Connection c; (c = l.accept((conn, t) -> sink)) != null; ) sink.accepted.add(c);
        });
        return sink;
    }

    @Test
    void theWholeLifecycleRunsOverIpv6TimeWaitIncluded() throws ErrnoException {
        Sink server = listen(link.b, IpAddress.ANY6, 80, false);
        Connection c = link.a.connect(B6, 80, new SocketHandler() {}, link.now);
        link.runFor(10);
        assertThat(c.state()).isEqualTo(State.ESTABLISHED);
        assertThat(c.tuple().localAddr()).isEqualTo(A6);
        // MSS from MTU - 60: 1440 offered, 1428 sent with timestamps.
        assertThat(c.status(link.now).advertisedMss()).isEqualTo(1440);

        byte[] data = "over six".getBytes();
        c.send(data, 0, data.length, link.now);
        c.close(link.now);
        link.runFor(10);
        assertThat(server.got.toByteArray()).isEqualTo(data);
        server.accepted.getFirst().close(link.now);
        link.runFor(10);

        assertThat(link.a.timeWaitCount()).isEqualTo(1);
        String ss = SsView.format(link.a.snapshot(link.now), true, false);
        assertThat(ss).contains("TIME-WAIT").contains("[fd00::1]:" + c.tuple().localPort()).contains("[fd00::2]:80");
        link.runFor(60_001);
        assertThat(link.a.timeWaitCount()).isZero();
        assertThat(link.a.portsInUse()).isZero();
    }

    @Test
    void aDualStackListenerTakesIpv4AndAV6OnlyOneRefusesIt() throws ErrnoException {
        Sink dual = listen(link.b, IpAddress.ANY6, 80, false);
        Sink v6Only = listen(link.b, IpAddress.ANY6, 81, true);
        Connection to80 = link.a.connect(B4, 80, new SocketHandler() {}, link.now);
        Connection to81 = link.a.connect(B4, 81, new SocketHandler() {}, link.now);
        Connection to81v6 = link.a.connect(B6, 81, new SocketHandler() {}, link.now);
        link.runFor(10);
        assertThat(to80.state()).isEqualTo(State.ESTABLISHED);
        assertThat(dual.accepted).singleElement().satisfies(x -> assertThat(x.tuple().remoteAddr()).isEqualTo(A4));
        assertThat(to81.state()).isEqualTo(State.CLOSED);
        assertThat(to81.error()).isEqualTo(Errno.ECONNREFUSED);
        assertThat(to81v6.state()).isEqualTo(State.ESTABLISHED);
        assertThat(v6Only.accepted).hasSize(1);
    }

    @Test
    void aListenerOnOneAddressBeatsTheWildcardAndTakesOnlyItsOwn() throws ErrnoException {
        Sink wildcard = listen(link.b, IpAddress.ANY4, 80, false);
        Sink specific = listen(link.b, B6, 80, false);
        link.a.connect(B4, 80, new SocketHandler() {}, link.now);
        link.a.connect(B6, 80, new SocketHandler() {}, link.now);
        link.runFor(10);
        assertThat(wildcard.accepted).singleElement().satisfies(x -> assertThat(x.tuple().localAddr()).isEqualTo(B4));
        assertThat(specific.accepted).singleElement().satisfies(x -> assertThat(x.tuple().localAddr()).isEqualTo(B6));
    }

    @Test
    void loopbackConnectionsStayInsideTheStackForBothFamilies() throws ErrnoException {
        Sink server = listen(link.a, IpAddress.ANY6, 7, false);
        Connection v4 = link.a.connect(IpAddress.LOOPBACK4, 7, new SocketHandler() {}, link.now);
        Connection v6 = link.a.connect(IpAddress.LOOPBACK6, 7, new SocketHandler() {}, link.now);
        Connection own = link.a.connect(A6, 7, new SocketHandler() {}, link.now);
        link.runFor(10);
        assertThat(List.of(v4.state(), v6.state(), own.state())).containsOnly(State.ESTABLISHED);
        assertThat(v4.tuple().localAddr()).isEqualTo(IpAddress.LOOPBACK4);
        assertThat(own.tuple().localAddr()).isEqualTo(A6);
        assertThat(server.accepted).hasSize(3);
        assertThat(link.crossed).as("nothing reaches the link").isEmpty();
        byte[] hi = "hi".getBytes();
        v6.send(hi, 0, hi.length, link.now);
        link.runFor(1);
        assertThat(server.got.toByteArray()).isEqualTo(hi);
    }

    @Test
    void loopbackAndOwnAddressesArrivingFromTheLinkAreMartians() {
        Segment syn = new Segment();
        syn.srcAddr = IpAddress.LOOPBACK4;
        syn.dstAddr = A4;
        syn.srcPort = 1000;
        syn.dstPort = 80;
        syn.flags = io.jtcp.wire.TcpFlags.SYN;
        byte[] p = new byte[100];
        int n = io.jtcp.wire.PacketCodec.encode(syn, p, 0);
        link.inject(link.a, java.util.Arrays.copyOf(p, n));
        assertThat(link.a.counters().dropsByReason().get(io.jtcp.wire.DropReason.IP_INVALID_SOURCE)).isPositive();
        syn.srcAddr = A4;
        n = io.jtcp.wire.PacketCodec.encode(syn, p, 0);
        link.inject(link.a, java.util.Arrays.copyOf(p, n));
        assertThat(link.a.counters().dropsByReason().get(io.jtcp.wire.DropReason.IP_LOCAL_SOURCE)).isPositive();
    }

    @Test
    void theSubnetsBroadcastIsNeverASourceAndNeverATcpDestination() throws ErrnoException {
        IpAddress broadcast = IpAddress.parse("10.0.0.255");
        link.a.listen(80, (c, now) -> new SocketHandler() {});
        Segment syn = new Segment();
        syn.srcAddr = broadcast;
        syn.dstAddr = A4;
        syn.srcPort = 1000;
        syn.dstPort = 80;
        syn.flags = io.jtcp.wire.TcpFlags.SYN;
        byte[] p = new byte[100];
        int n = io.jtcp.wire.PacketCodec.encode(syn, p, 0);
        link.inject(link.a, java.util.Arrays.copyOf(p, n));
        assertThat(link.a.counters().dropsByReason().get(io.jtcp.wire.DropReason.IP_INVALID_SOURCE)).isEqualTo(1L);
        syn.srcAddr = B4;
        syn.dstAddr = broadcast;
        n = io.jtcp.wire.PacketCodec.encode(syn, p, 0);
        link.inject(link.a, java.util.Arrays.copyOf(p, n));
        link.runFor(1);
        assertThat(link.a.counters().dropsByReason().get(io.jtcp.wire.DropReason.IP_NOT_FOR_US)).isEqualTo(1L);
        assertThat(link.sent).as("no SYN-ACK, no RST to a broadcast").isEmpty();
    }

    @Test
    void aUdpBroadcastReachesTheSocketsOnItsPort() throws ErrnoException {
        UdpSockets ua = link.a.udp(), ub = link.b.udp();
        UdpSock listener = ub.open(false, (sock, now) -> { });
        ub.bind(listener, IpAddress.ANY4, 67);
        UdpSock sender = ua.open(false, (sock, now) -> { });
        ua.setBroadcast(sender, true);
        ua.send(sender, IpAddress.parse("10.0.0.255"), 67, "discover".getBytes(), 0, 8);
        link.runFor(1);
        UdpDatagram got = ub.receive(listener, false);
        assertThat(got).isNotNull();
        assertThat(got.destination()).isEqualTo(IpAddress.parse("10.0.0.255"));
    }

    @Test
    void bindConflictsFollowLinuxWithAddresses() throws ErrnoException {
        SocketOptions plain = new SocketOptions(CFG);
        Stack.Binding specific = link.a.bind(A4, 5000, plain);
        // Another address on the same port does not overlap; the wildcard does.
        Stack.Binding other = link.a.bind(A6, 5000, plain);
        assertThatThrownBy(() -> link.a.bind(IpAddress.ANY4, 5000, plain))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EADDRINUSE));
        // A dual-stack :: overlaps IPv4; a v6-only one does not reach the IPv4 holder, but the IPv6 one.
        assertThatThrownBy(() -> link.a.bind(IpAddress.ANY6, 5000, plain)).isInstanceOf(ErrnoException.class);
        link.a.unbind(other);
        SocketOptions v6Only = new SocketOptions(CFG);
        v6Only.v6Only = true;
        Stack.Binding v6 = link.a.bind(IpAddress.ANY6, 5000, v6Only);
        assertThatThrownBy(() -> link.a.bind(IpAddress.parse("10.9.9.9"), 5001, plain))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EADDRNOTAVAIL));
        link.a.unbind(specific);
        link.a.unbind(v6);
        assertThat(link.a.portsInUse()).isZero();
    }

    @Test
    void bindToPortZeroTakesAFreeEphemeralPortAtOnce() throws ErrnoException {
        Stack.Binding b = link.a.bind(IpAddress.ANY4, 0, new SocketOptions(CFG));
        assertThat(b.port()).isBetween(CFG.ipLocalPortRangeLow(), CFG.ipLocalPortRangeHigh());
        assertThat(link.a.portsInUse()).isEqualTo(1);
    }
}
