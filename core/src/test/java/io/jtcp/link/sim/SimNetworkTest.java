package io.jtcp.link.sim;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.TcpFlags;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routing, timing and the event loop, on a fault-free network. */
class SimNetworkTest {
    static final long MS = 1_000_000;
    static final IpAddress A = IpAddress.parse("10.0.0.1"), B = IpAddress.parse("10.0.0.2"), NOWHERE = IpAddress.parse("10.9.9.9");

    final SimNetwork net = new SimNetwork(1);
    final List<String> log = new ArrayList<>();
    final ScriptedNode a = new ScriptedNode().attachTo(net, A);
    final ScriptedNode b = new ScriptedNode().attachTo(net, B);

    SimNetworkTest() {
        net.addTap((t, p, off, len, from, to, fate) ->
                log.add(t / MS + "ms " + from + ">" + to + " " + fate));
    }

    @Test
    void deliversAfterTheDefaultDelayAtTheScriptedTime() {
        a.sendAt(3 * MS, TestPackets.tcp(A, B, TcpFlags.SYN, 0));
        assertThat(net.runUntilIdle(Long.MAX_VALUE)).isTrue();
        assertThat(a.advancedAt).containsExactly(3 * MS);
        assertThat(b.received).singleElement().extracting(ScriptedNode.Arrival::time).isEqualTo(8 * MS);
        assertThat(log).containsExactly("3ms 10.0.0.1>10.0.0.2 SENT", "8ms 10.0.0.1>10.0.0.2 DELIVERED");
    }

    @Test
    void eachDirectionHasItsOwnDelay() {
        net.setLink(A, B, LinkParams.DEFAULT.withDelay(Duration.ofMillis(40)));
        net.setDefaultLink(LinkParams.DEFAULT.withDelay(Duration.ofMillis(2)));
        a.sendAt(0, TestPackets.tcp(A, B, TcpFlags.SYN, 0));
        b.sendAt(0, TestPackets.tcp(B, A, TcpFlags.SYN, 0));
        net.runUntilIdle(Long.MAX_VALUE);
        assertThat(b.received.getFirst().time()).isEqualTo(40 * MS);
        assertThat(a.received.getFirst().time()).isEqualTo(2 * MS);
    }

    @Test
    void packetsLandingAtTheSameInstantKeepTheirSendingOrder() {
        for (int i = 0; i < 5; i++) a.sendAt(0, TestPackets.tcp(A, B, 1000, 80, TcpFlags.ACK, 0, i));
        net.runUntilIdle(Long.MAX_VALUE);
        assertThat(b.receivedIds()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void repliesSentFromInsideReceiveAreQueuedNotRecursed() {
        net.setDefaultLink(LinkParams.DEFAULT.withDelay(Duration.ZERO));
        EchoNode e1 = new EchoNode().attachTo(net, IpAddress.parse("10.0.1.1"));
        EchoNode e2 = new EchoNode().attachTo(net, IpAddress.parse("10.0.1.2"));
        byte[] ping = TestPackets.tcp(IpAddress.parse("10.0.1.1"), IpAddress.parse("10.0.1.2"), TcpFlags.ACK, 0);
        net.inject(ping, 0); // TTL 64: 64 echoes in all, every one at t = 0
        assertThat(net.runUntilIdle(Long.MAX_VALUE)).isTrue();
        assertThat(e1.echoed + e2.echoed).isEqualTo(64);
        assertThat(net.now()).isZero();
    }

    @Test
    void bandwidthSerializesPacketsOneAfterAnother() {
        net.setLink(A, B, LinkParams.DEFAULT.withBandwidth(1_000_000)); // 1250 bytes take 10 ms
        for (int i = 0; i < 3; i++) a.sendAt(0, TestPackets.tcp(A, B, 1000, 80, TcpFlags.ACK, 1210, i));
        b.sendAt(0, TestPackets.tcp(B, A, TcpFlags.ACK, 1210)); // the other direction is not shared
        net.runUntilIdle(Long.MAX_VALUE);
        assertThat(b.received).extracting(ScriptedNode.Arrival::time).containsExactly(15 * MS, 25 * MS, 35 * MS);
        assertThat(a.received).extracting(ScriptedNode.Arrival::time).containsExactly(5 * MS);
    }

    @Test
    void unknownDestinationsAndRuntPacketsAreReportedNotDelivered() {
        a.sendAt(0, TestPackets.tcp(A, NOWHERE, TcpFlags.SYN, 0));
        a.sendAt(0, new byte[] {0x45, 0, 0});
        net.runUntilIdle(Long.MAX_VALUE);
        assertThat(log).containsExactly(
                "0ms 10.0.0.1>10.9.9.9 SENT", "0ms 10.0.0.1>10.9.9.9 NO_ROUTE",
                "0ms 0.0.0.0>0.0.0.0 SENT", "0ms 0.0.0.0>0.0.0.0 NO_ROUTE");
    }

    @Test
    void injectedPacketsLandExactlyWhenAsked() {
        net.setDefaultLink(LinkParams.DEFAULT.withLoss(1.0)); // injection bypasses the link
        net.inject(TestPackets.tcp(IpAddress.parse("6.6.6.6"), B, TcpFlags.SYN, 0), 70 * MS);
        net.runUntil(100 * MS);
        assertThat(b.received).extracting(ScriptedNode.Arrival::time).containsExactly(70 * MS);
        assertThat(log).containsExactly("70ms 6.6.6.6>10.0.0.2 SENT", "70ms 6.6.6.6>10.0.0.2 DELIVERED");
        assertThat(net.now()).isEqualTo(100 * MS);
        assertThatThrownBy(() -> net.inject(TestPackets.tcp(A, B, 0, 0), 99 * MS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runUntilIdleStopsAtTheLimitWhenWorkRemains() {
        a.sendAt(50 * MS, TestPackets.tcp(A, B, TcpFlags.SYN, 0));
        assertThat(net.runUntilIdle(20 * MS)).isFalse();
        assertThat(net.now()).isEqualTo(20 * MS);
        assertThat(net.runUntilIdle(Long.MAX_VALUE)).isTrue();
        assertThat(net.now()).isEqualTo(55 * MS);
        assertThat(net.packetsInFlight()).isZero();
    }

    @Test
    void runWhileStopsAsSoonAsTheConditionFails() {
        for (int i = 0; i < 10; i++) a.sendAt(i * MS, TestPackets.tcp(A, B, 1000, 80, TcpFlags.ACK, 0, i));
        assertThat(net.runWhile(() -> b.received.size() < 3, Long.MAX_VALUE)).isTrue();
        assertThat(net.now()).isEqualTo(7 * MS);
        assertThat(net.runWhile(() -> b.received.size() < 100, 9 * MS)).isFalse();
        assertThat(net.now()).isEqualTo(9 * MS);
        assertThat(net.runWhile(() -> b.received.size() < 100, Long.MAX_VALUE)).isFalse(); // went idle
        assertThat(b.received).hasSize(10);
    }

    @Test
    void aNodeThatThrowsStopsTheRunSoTheTestSeesIt() {
        net.attach(NOWHERE, new SimNode() {
            public void receive(byte[] p, int o, int l, long now) { throw new IllegalStateException("node bug"); }
            public long nextDeadline() { return Long.MAX_VALUE; }
            public void advance(long now) {}
        });
        a.sendAt(0, TestPackets.tcp(A, NOWHERE, TcpFlags.SYN, 0));
        assertThatThrownBy(() -> net.runUntilIdle(Long.MAX_VALUE)).hasMessage("node bug");
    }

    @Test
    void aZeroDelayLoopWithoutEndIsReportedAsLivelock() {
        SimNetwork quiet = new SimNetwork(1); // no tap: a million log lines would only cost memory
        quiet.setDefaultLink(LinkParams.DEFAULT.withDelay(Duration.ZERO));
        IpAddress x = IpAddress.parse("10.0.1.1"), y = IpAddress.parse("10.0.1.2");
        class Reflector implements SimNode { // echoes without spending TTL
            io.jtcp.link.PacketSink sink;
            public void receive(byte[] p, int o, int l, long now) {
                byte[] r = TestPackets.swapAddresses(p, o, l);
                sink.send(r, 0, r.length);
            }
            public long nextDeadline() { return Long.MAX_VALUE; }
            public void advance(long now) {}
        }
        Reflector rx = new Reflector(), ry = new Reflector();
        rx.sink = quiet.attach(x, rx);
        ry.sink = quiet.attach(y, ry);
        quiet.inject(TestPackets.tcp(x, y, TcpFlags.ACK, 0), 0);
        assertThatThrownBy(() -> quiet.runUntilIdle(Long.MAX_VALUE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no progress");
    }

    @Test
    void addressesCannotBeAttachedTwice() {
        assertThatThrownBy(() -> net.attach(A, new EchoNode())).isInstanceOf(IllegalArgumentException.class);
    }
}
