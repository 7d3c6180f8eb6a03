package io.jtcp.link.sim;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.TcpFlags;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.jtcp.link.sim.PacketMatch.ackOnly;
import static io.jtcp.link.sim.PacketMatch.after;
import static io.jtcp.link.sim.PacketMatch.flags;
import static io.jtcp.link.sim.PacketMatch.path;
import static io.jtcp.link.sim.PacketMatch.withPayload;
import static org.assertj.core.api.Assertions.assertThat;

/** Random link faults, fault rules and determinism. */
class SimFaultsTest {
    static final long MS = 1_000_000;
    static final IpAddress A = IpAddress.parse("10.0.0.1"), B = IpAddress.parse("10.0.0.2");

    final SimNetwork net = new SimNetwork(7);
    final ScriptedNode a = new ScriptedNode().attachTo(net, A);
    final ScriptedNode b = new ScriptedNode().attachTo(net, B);
    final Map<Fate, Integer> fates = new EnumMap<>(Fate.class);

    SimFaultsTest() {
        net.addTap((t, p, off, len, from, to, fate) -> fates.merge(fate, 1, Integer::sum));
    }

    /** {@code n} ACK-only packets A -> B, 1 ms apart, numbered 0.. in their sequence field. */
    void sendNumbered(int n) {
        for (int i = 0; i < n; i++) a.sendAt(i * MS, TestPackets.tcp(A, B, 1000, 80, TcpFlags.ACK, 0, i));
    }

    @Test
    void lossRateMatchesTheConfiguredProbability() {
        net.setLink(A, B, LinkParams.DEFAULT.withLoss(0.1));
        sendNumbered(10_000);
        net.runUntilIdle(Long.MAX_VALUE);
        // Binomial(10000, 0.1): sd = 30, so 5 sd either side.
        assertThat(b.received.size()).isBetween(9_000 - 150, 9_000 + 150);
        assertThat(fates.get(Fate.LOST)).isEqualTo(10_000 - b.received.size());
    }

    @Test
    void duplicationDeliversExtraCopies() {
        net.setLink(A, B, LinkParams.DEFAULT.withDuplicate(0.25));
        sendNumbered(4_000);
        net.runUntilIdle(Long.MAX_VALUE);
        int extra = b.received.size() - 4_000;
        assertThat(extra).isEqualTo(fates.get(Fate.DUPLICATED)).isBetween(1_000 - 140, 1_000 + 140);
    }

    @Test
    void reorderingLetsLaterPacketsOvertake() {
        net.setLink(A, B, LinkParams.DEFAULT.withReorder(0.2, Duration.ofMillis(3)));
        sendNumbered(500);
        net.runUntilIdle(Long.MAX_VALUE);
        List<Integer> ids = b.receivedIds();
        assertThat(ids).hasSize(500).isNotEqualTo(ids.stream().sorted().toList());
        int overtaken = 0;
        for (int i = 1; i < ids.size(); i++) if (ids.get(i) < ids.get(i - 1)) overtaken++;
        assertThat(overtaken).isPositive();
        assertThat(fates.get(Fate.DELAYED)).isBetween(100 - 45, 100 + 45);
    }

    @Test
    void corruptionFlipsExactlyOneBit() {
        net.setLink(A, B, LinkParams.DEFAULT.withCorrupt(1.0));
        sendNumbered(300);
        net.runUntilIdle(Long.MAX_VALUE);
        assertThat(b.received).hasSize(300);
        for (int i = 0; i < 300; i++) { // no delay variation, so arrivals keep sending order
            byte[] sent = TestPackets.tcp(A, B, 1000, 80, TcpFlags.ACK, 0, i);
            assertThat(bitsDiffering(sent, b.received.get(i).bytes())).isEqualTo(1);
        }
        assertThat(fates.get(Fate.CORRUPTED)).isEqualTo(300);
    }

    static int bitsDiffering(byte[] x, byte[] y) {
        int n = 0;
        for (int i = 0; i < x.length; i++) n += Integer.bitCount((x[i] ^ y[i]) & 0xff);
        return n;
    }

    @Test
    void aRuleDropsExactlyTheNthMatch() {
        FaultRule third = FaultRule.drop(path(A, B)).nth(3);
        net.addRule(third);
        sendNumbered(6);
        net.runUntilIdle(Long.MAX_VALUE);
        assertThat(b.receivedIds()).containsExactly(0, 1, 3, 4, 5);
        assertThat(third.matched()).isEqualTo(6);
        assertThat(third.applied()).isOne();
        assertThat(fates.get(Fate.DROPPED_BY_RULE)).isOne();
    }

    @Test
    void aRuleDropsTheFirstFinAckOnly() {
        net.addRule(FaultRule.drop(path(B, A).and(flags(TcpFlags.FIN | TcpFlags.ACK))).first(1));
        b.sendAt(0, TestPackets.tcp(B, A, 80, 1000, TcpFlags.ACK, 10, 1));
        b.sendAt(1 * MS, TestPackets.tcp(B, A, 80, 1000, TcpFlags.FIN | TcpFlags.ACK, 0, 2));
        b.sendAt(2 * MS, TestPackets.tcp(B, A, 80, 1000, TcpFlags.FIN | TcpFlags.ACK, 0, 3)); // the retransmission
        a.sendAt(3 * MS, TestPackets.tcp(A, B, 1000, 80, TcpFlags.FIN | TcpFlags.ACK, 0, 4)); // other direction
        net.runUntilIdle(Long.MAX_VALUE);
        assertThat(a.receivedIds()).containsExactly(1, 3);
        assertThat(b.receivedIds()).containsExactly(4);
    }

    @Test
    void aRuleDropsEveryPureAckAfterATime() {
        net.addRule(FaultRule.drop(path(A, B).and(ackOnly()).and(after(5 * MS))));
        sendNumbered(10);
        a.sendAt(8 * MS, TestPackets.tcp(A, B, 1000, 80, TcpFlags.ACK | TcpFlags.PSH, 100, 99)); // carries data
        net.runUntilIdle(Long.MAX_VALUE);
        assertThat(b.receivedIds()).containsExactly(0, 1, 2, 3, 4, 99);
    }

    @Test
    void aDelayRuleMakesAnOldDuplicateArriveLate() {
        FaultRule hold = FaultRule.delay(path(A, B).and(withPayload()), Duration.ofMillis(100)).nth(1);
        net.addRule(hold);
        a.sendAt(0, TestPackets.tcp(A, B, 1000, 80, TcpFlags.ACK, 50, 1));
        a.sendAt(1 * MS, TestPackets.tcp(A, B, 1000, 80, TcpFlags.ACK, 50, 2));
        net.runUntilIdle(Long.MAX_VALUE);
        assertThat(b.receivedIds()).containsExactly(2, 1);
        assertThat(b.received.get(1).time()).isEqualTo(105 * MS);
        assertThat(fates.get(Fate.DELAYED)).isOne();
    }

    @Test
    void aDuplicateRuleDeliversTwice() {
        net.addRule(FaultRule.duplicate(path(A, B)).first(2));
        sendNumbered(3);
        net.runUntilIdle(Long.MAX_VALUE);
        assertThat(b.receivedIds()).containsExactly(0, 0, 1, 1, 2);
    }

    @Test
    void sameSeedSameRunDifferentSeedDifferentRun() {
        List<String> first = faultyRun(42), second = faultyRun(42), other = faultyRun(43);
        assertThat(first).hasSizeGreaterThan(500).isEqualTo(second);
        assertThat(other).isNotEqualTo(first);
    }

    /** Echo traffic through every kind of random fault; returns the tap log, bytes included. */
    static List<String> faultyRun(long seed) {
        SimNetwork net = new SimNetwork(seed);
        List<String> log = new ArrayList<>();
        net.addTap((t, p, off, len, from, to, fate) ->
                log.add(t + " " + fate + " " + from + ">" + to + " " + HexFormat.of().formatHex(p, off, off + len)));
        net.setDefaultLink(LinkParams.DEFAULT.withJitter(Duration.ofMillis(2)).withLoss(0.05).withDuplicate(0.05)
                .withReorder(0.1, Duration.ofMillis(4)).withCorrupt(0.05));
        ScriptedNode client = new ScriptedNode().attachTo(net, A);
        new EchoNode().attachTo(net, B);
        for (int i = 0; i < 200; i++) client.sendAt(i * MS, TestPackets.tcp(A, B, 1000, 80, TcpFlags.ACK, i % 7, i));
        net.runUntilIdle(Long.MAX_VALUE);
        return log;
    }
}
