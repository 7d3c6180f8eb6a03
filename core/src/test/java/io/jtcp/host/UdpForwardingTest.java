package io.jtcp.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Forwarding mode for UDP: datagrams to any destination open flows that the forwarder accepts or refuses. */
class UdpForwardingTest {
    private static final Sysctls CFG = Sysctls.linux();
    private static final IpAddress FAR4 = IpAddress.parse("198.51.100.7"), FAR6 = IpAddress.parse("2001:db8::7");

    /** a forwards; b is the client. */
    private final PointToPoint link = new PointToPoint(CFG, "10.0.0.1", "10.0.0.2");
    private final List<ForwardedFlow> flows = new ArrayList<>();
    private final UdpSockets client = link.b.udp();

    UdpForwardingTest() {
        link.a.addAddress(IpAddress.parse("fd00::1"), 64);
        link.b.addAddress(IpAddress.parse("fd00::2"), 64);
        link.a.setUdpForwarder(flows::add);
    }

    private UdpSock clientTo(IpAddress far, int port) throws ErrnoException {
        UdpSock s = client.open(!far.isV4(), (sock, now) -> { });
        client.connect(s, far, port);
        return s;
    }

    private void send(UdpSock s, String text) throws ErrnoException {
        byte[] b = text.getBytes();
        client.send(s, null, 0, b, 0, b.length);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anAcceptedFlowGetsTheHeldDatagramAndItsRepliesComeFromTheOriginalDestination(boolean v6) throws ErrnoException {
        IpAddress far = v6 ? FAR6 : FAR4;
        UdpSock c = clientTo(far, 53);
        send(c, "query");
        link.runFor(1);
        ForwardedFlow flow = flows.getFirst();
        assertThat(flow.tuple().localAddr()).isEqualTo(far);
        assertThat(flow.tuple().localPort()).isEqualTo(53);
        assertThat(flow.tuple().remoteAddr()).isEqualTo(c.localAddress());
        assertThat(flow.tuple().remotePort()).isEqualTo(c.localPort());

        List<UdpSock> heard = new ArrayList<>();
        UdpSock forwarded = flow.accept((sock, now) -> heard.add(sock));
        assertThat(forwarded.localAddress()).isEqualTo(far);
        assertThat(forwarded.transparent()).isTrue();
        UdpDatagram first = link.a.udp().receive(forwarded, false);
        assertThat(first.data()).isEqualTo("query".getBytes());
        assertThat(first.destination()).isEqualTo(far);

        link.a.udp().send(forwarded, null, 0, "answer".getBytes(), 0, 6);
        link.runFor(1);
        UdpDatagram reply = client.receive(c, false);
        assertThat(reply.data()).isEqualTo("answer".getBytes());
        assertThat(reply.source()).as("the reply comes from the original destination").isEqualTo(far);
        assertThat(reply.sourcePort()).isEqualTo(53);

        send(c, "again");
        link.runFor(1);
        assertThat(flows).as("the flow's later datagrams go to its socket, no new flow").hasSize(1);
        assertThat(heard).containsExactly(forwarded);
        assertThat(link.a.udp().receive(forwarded, false).data()).isEqualTo("again".getBytes());
    }

    @Test
    void twoClientsOfOneDestinationAreTwoFlowsWithSocketsOfTheirOwn() throws ErrnoException {
        UdpSock c1 = clientTo(FAR4, 53), c2 = clientTo(FAR4, 53);
        send(c1, "one");
        send(c2, "two");
        link.runFor(1);
        assertThat(flows).hasSize(2);
        UdpSock s1 = flows.get(0).accept((sock, now) -> { }), s2 = flows.get(1).accept((sock, now) -> { });
        link.a.udp().send(s2, null, 0, "to two".getBytes(), 0, 6);
        link.runFor(1);
        assertThat(client.receive(c1, false)).isNull();
        assertThat(client.receive(c2, false).data()).isEqualTo("to two".getBytes());
        assertThat(link.a.udp().receive(s1, false).data()).isEqualTo("one".getBytes());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRefusedFlowIsAClosedPortToTheClient(boolean v6) throws ErrnoException {
        UdpSock c = clientTo(v6 ? FAR6 : FAR4, 9);
        send(c, "anyone?");
        link.runFor(1);
        flows.getFirst().refuse();
        link.runFor(1);
        assertThat(client.takeError(c)).isEqualTo(Errno.ECONNREFUSED);
        assertThat(link.a.udp().size()).isZero();
        assertThatThrownBy(() -> flows.getFirst().accept((sock, now) -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUndecidedFlowHoldsAFewDatagramsAndCountsTheRestDropped() throws ErrnoException {
        UdpSock c = clientTo(FAR4, 443);
        int extra = 3;
        for (int i = 0; i < ForwardedFlow.HELD + extra; i++) send(c, "initial " + i);
        link.runFor(1);
        ForwardedFlow flow = flows.getFirst();
        assertThat(flows).hasSize(1);
        assertThat(flow.held()).isEqualTo(ForwardedFlow.HELD);
        assertThat(flow.dropped()).isEqualTo(extra);
        assertThat(link.a.counters().dropsByReason().get(DropReason.UDP_FORWARD_HELD_FULL)).isEqualTo((long) extra);
        UdpSock s = flow.accept((sock, now) -> { });
        for (int i = 0; i < ForwardedFlow.HELD; i++) {
            assertThat(link.a.udp().receive(s, false).data()).isEqualTo(("initial " + i).getBytes());
        }
        assertThat(link.a.udp().receive(s, false)).isNull();
        assertThat(link.a.snapshot(link.now).counters()).containsEntry("UdpNoPorts", 0L);
    }

    @Test
    void theHostsOwnClosedPortsStayClosedInForwardingMode() throws ErrnoException {
        UdpSock c = clientTo(IpAddress.parse("10.0.0.1"), 9);
        send(c, "x");
        link.runFor(1);
        assertThat(flows).isEmpty();
        assertThat(client.takeError(c)).isEqualTo(Errno.ECONNREFUSED);
    }

    @Test
    void onlyATransparentSocketBindsAnAddressNotTheHosts() throws ErrnoException {
        UdpSockets udp = link.a.udp();
        UdpSock plain = udp.open(false, (sock, now) -> { });
        assertThatThrownBy(() -> udp.bind(plain, FAR4, 53)).isInstanceOfSatisfying(ErrnoException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EADDRNOTAVAIL));
        UdpSock transparent = udp.open(false, (sock, now) -> { });
        udp.setTransparent(transparent, true);
        udp.bind(transparent, FAR4, 53);
        assertThat(transparent.localAddress()).isEqualTo(FAR4);
    }
}
