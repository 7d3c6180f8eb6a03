package io.jtcp.link.sim;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.TcpFlags;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static io.jtcp.link.sim.PacketMatch.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Whatever bytes a node sends, the wire and its rules neither throw nor lose track of them. */
class HostilePacketsTest {
    static final IpAddress A = IpAddress.parse("10.0.0.1"), B = IpAddress.parse("10.0.0.2");

    @Property(tries = 200)
    void garbageIsCarriedOrReportedNeverThrown(@ForAll("packets") List<byte[]> packets) {
        SimNetwork net = new SimNetwork(3);
        int[] sent = new int[1];
        net.addTap((t, p, off, len, from, to, fate) -> { if (fate == Fate.SENT) sent[0]++; });
        net.setDefaultLink(LinkParams.DEFAULT.withCorrupt(0.5).withDuplicate(0.2));
        net.addRule(FaultRule.drop(hasFlags(TcpFlags.SYN).and(ackOnly().negate())).nth(2));
        net.addRule(FaultRule.delay(withPayload().and(srcPort(1000)).and(dstPort(80)), Duration.ofMillis(1)));
        ScriptedNode a = new ScriptedNode().attachTo(net, A);
        new EchoNode().attachTo(net, B);
        for (byte[] p : packets) {
            a.sendAt(0, p);
            net.inject(p, 1);
        }
        assertThat(net.runUntilIdle(Long.MAX_VALUE)).isTrue();
        assertThat(sent[0]).isGreaterThanOrEqualTo(2 * packets.size());
    }

    /** Random bytes, often behind a plausible IPv4+TCP prefix addressed to B so the TCP paths run. */
    @Provide
    Arbitrary<List<byte[]>> packets() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
        Arbitrary<byte[]> plausible = raw.map(tail -> {
            byte[] p = TestPackets.tcp(A, B, TcpFlags.SYN, 0);
            int n = Math.min(tail.length, p.length);
            byte[] out = Arrays.copyOf(p, n);
            // keep version, protocol and addresses; scramble the rest
            for (int i = 0; i < n; i++) if (i != 0 && i != 9 && (i < 12 || i > 19)) out[i] = tail[i];
            return out;
        });
        return Arbitraries.oneOf(raw, plausible).list().ofMaxSize(20);
    }
}
