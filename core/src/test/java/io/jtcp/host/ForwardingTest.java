package io.jtcp.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.State;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Unreachable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Forwarding mode: a stack takes connections to any destination and its forwarder decides each. */
class ForwardingTest {
    private static final Sysctls CFG = Sysctls.linux();
    private static final IpAddress FAR4 = IpAddress.parse("198.51.100.7"), FAR6 = IpAddress.parse("2001:db8::7");

    private final PointToPoint link = new PointToPoint(CFG, "10.0.0.1", "10.0.0.2");
    private final List<ForwardedSyn> requests = new ArrayList<>();

    ForwardingTest() {
        link.a.addAddress(IpAddress.parse("fd00::1"), 64);
        link.b.addAddress(IpAddress.parse("fd00::2"), 64);
        link.a.setForwarder(requests::add);
    }

    /** Takes the forwarded connection and keeps it. */
    private static final class Taker implements ForwardedSyn.Acceptor {
        Connection conn;
        boolean failed;

        @Override
        public SocketHandler accepted(Connection c, long now) {
            conn = c;
            return new SocketHandler() {};
        }

        @Override
        public void handshakeFailed() {
            failed = true;
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anAcceptedConnectionIsOrdinaryAndItsLocalEndIsTheOriginalDestination(boolean v6) throws ErrnoException {
        IpAddress far = v6 ? FAR6 : FAR4;
        Connection client = link.b.connect(far, 443, new SocketHandler() {}, link.now);
        link.runFor(1);
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.tuple().localAddr()).isEqualTo(far);
            assertThat(r.tuple().localPort()).isEqualTo(443);
            assertThat(r.tuple().remoteAddr()).isEqualTo(client.tuple().localAddr());
        });
        Taker taker = new Taker();
        requests.getFirst().accept(taker);
        link.runFor(5);
        assertThat(client.state()).isEqualTo(State.ESTABLISHED);
        assertThat(taker.conn.tuple().localAddr()).isEqualTo(far);
        byte[] hello = "hello, far side".getBytes();
        client.send(hello, 0, hello.length, link.now);
        link.runFor(5);
        byte[] got = new byte[64];
        assertThat(taker.conn.receive(got, 0, got.length, link.now)).isEqualTo(hello.length);
    }

    @Test
    void retransmittedSynsWaitForTheDecisionAndARefusalIsAReset() throws ErrnoException {
        Connection client = link.b.connect(FAR4, 443, new SocketHandler() {}, link.now);
        link.runFor(3_500);  // the SYN goes again at 1, 2 and 3 s (tcp_syn_linear_timeouts)
        assertThat(requests).hasSize(1);
        assertThat(link.a.counters().dropsByReason().get(DropReason.FORWARD_PENDING)).isEqualTo(3L);
        requests.getFirst().refuse();
        link.runFor(1);
        assertThat(client.state()).isEqualTo(State.CLOSED);
        assertThat(client.error()).isEqualTo(Errno.ECONNREFUSED);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anUnreachableDestinationFailsTheConnectWithTheErrnoOfItsCode(boolean v6) throws ErrnoException {
        Connection client = link.b.connect(v6 ? FAR6 : FAR4, 443, new SocketHandler() {}, link.now);
        link.runFor(1);
        requests.getFirst().unreachable(Unreachable.HOST);
        link.runFor(1);
        assertThat(client.state()).isEqualTo(State.CLOSED);
        assertThat(client.error()).isEqualTo(Errno.EHOSTUNREACH);
    }

    @Test
    void aClientThatGoesAwayBeforeTheHandshakeEndsIsReportedToTheAcceptor() throws ErrnoException {
        Connection client = link.b.connect(FAR4, 443, new SocketHandler() {}, link.now);
        link.runFor(1);
        link.path = (from, p) -> from == link.a ? List.of() : List.of(p);  // the SYN-ACKs never arrive
        Taker taker = new Taker();
        requests.getFirst().accept(taker);
        client.abort(link.now);
        link.runFor(120_000);
        assertThat(taker.failed).isTrue();
        assertThat(taker.conn).isNull();
        assertThat(link.a.connectionCount()).isZero();
    }

    @Test
    void undecidedSynsAreBoundedAsAListenersQueueIs() {
        io.jtcp.wire.Segment syn = new io.jtcp.wire.Segment();
        syn.srcAddr = IpAddress.parse("10.0.0.2");
        syn.dstAddr = FAR4;
        syn.dstPort = 443;
        syn.flags = io.jtcp.wire.TcpFlags.SYN;
        byte[] p = new byte[64];
        for (int i = 0; i <= Forwarder.MAX_UNDECIDED; i++) {
            syn.srcPort = 1024 + i;
            syn.seq = i;
            int n = io.jtcp.wire.PacketCodec.encode(syn, p, 0);
            link.inject(link.a, java.util.Arrays.copyOf(p, n));
        }
        assertThat(requests).hasSize(Forwarder.MAX_UNDECIDED);
        assertThat(link.a.counters().dropsByReason().get(DropReason.FORWARD_BACKLOG)).isEqualTo(1L);
    }

    @Test
    void withoutAForwarderOtherAddressesAreNotOurs() throws ErrnoException {
        link.a.setForwarder(null);
        link.b.connect(FAR4, 443, new SocketHandler() {}, link.now);
        link.runFor(1);
        assertThat(requests).isEmpty();
        assertThat(link.a.counters().dropsByReason().get(DropReason.IP_NOT_FOR_US)).isPositive();
    }
}
