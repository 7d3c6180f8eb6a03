package io.jtcp.link.sim;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bottleneck's queue: CE marks past the ECN threshold (ECT packets only, headers still
 * valid), tail drops at the queue limit (whatever the packet's ECN field).
 */
class EcnMarkingTest {
    static final IpAddress A = IpAddress.parse("10.0.0.1"), B = IpAddress.parse("10.0.0.2");
    static final IpAddress A6 = IpAddress.parse("fd00::1"), B6 = IpAddress.parse("fd00::2");
    /** 1 Mbit/s: a 1040-byte packet takes 8.32 ms, so packets sent together queue up. */
    static final LinkParams SLOW = LinkParams.DEFAULT.withBandwidth(1_000_000);

    final SimNetwork net = new SimNetwork(7);
    final List<String> fates = new ArrayList<>();

    EcnMarkingTest() {
        net.addTap((t, p, off, len, from, to, fate) -> {
            if (fate != Fate.SENT && fate != Fate.DELIVERED) fates.add(fate + " " + id(p));
        });
    }

    @Test
    void ectPacketsAboveTheThresholdAreMarkedAndStillVerify() {
        ScriptedNode a = new ScriptedNode().attachTo(net, A), b = new ScriptedNode().attachTo(net, B);
        net.setLink(A, B, SLOW.withEcnMarking(2));
        // Sent together: packet i finds i - 1 waiting (packet 0 goes straight onto the wire),
        // so from packet 3 on the queue is at the threshold.
        int[] ecn = {Segment.ECT0, Segment.ECT0, Segment.ECT0, Segment.ECT0, Segment.NOT_ECT, Segment.ECT1, Segment.CE, Segment.NOT_ECT};
        for (int i = 0; i < ecn.length; i++) a.sendAt(0, packet(A, B, i, ecn[i]));
        net.runUntilIdle(Long.MAX_VALUE);

        assertThat(fates).containsExactly("CE_MARKED 3", "CE_MARKED 5");
        List<Integer> arrived = new ArrayList<>();
        for (ScriptedNode.Arrival arrival : b.received) {
            Segment s = new Segment();
            assertThat(PacketCodec.decode(arrival.bytes(), 0, arrival.bytes().length, s))
                    .as("IPv4 header and TCP checksums of arrival %d", arrived.size()).isNull();
            arrived.add(s.ecn);
        }
        assertThat(arrived).containsExactly(Segment.ECT0, Segment.ECT0, Segment.ECT0, Segment.CE,
                Segment.NOT_ECT, Segment.CE, Segment.CE, Segment.NOT_ECT);
    }

    @Test
    void ipv6PacketsAreMarkedInTheTrafficClass() {
        ScriptedNode a = new ScriptedNode().attachTo(net, A6), b = new ScriptedNode().attachTo(net, B6);
        net.setLink(A6, B6, SLOW.withEcnMarking(0));
        a.sendAt(0, packet(A6, B6, 0, Segment.ECT1));
        a.sendAt(0, packet(A6, B6, 1, Segment.NOT_ECT));
        net.runUntilIdle(Long.MAX_VALUE);

        assertThat(fates).containsExactly("CE_MARKED 0");
        Segment first = new Segment(), second = new Segment();
        assertThat(PacketCodec.decode(b.received.get(0).bytes(), 0, b.received.get(0).bytes().length, first)).isNull();
        assertThat(PacketCodec.decode(b.received.get(1).bytes(), 0, b.received.get(1).bytes().length, second)).isNull();
        assertThat(first.ecn).isEqualTo(Segment.CE);
        assertThat(second.ecn).isEqualTo(Segment.NOT_ECT);
        assertThat(b.received.get(0).bytes()[0]).as("DSCP untouched").isEqualTo((byte) 0x60);
    }

    @Test
    void aFullQueueDropsEctAndNotEctAlike() {
        ScriptedNode a = new ScriptedNode().attachTo(net, A), b = new ScriptedNode().attachTo(net, B);
        net.setLink(A, B, SLOW.withQueueLimit(2).withEcnMarking(1));
        for (int i = 0; i < 5; i++) a.sendAt(0, packet(A, B, i, i % 2 == 0 ? Segment.ECT0 : Segment.NOT_ECT));
        // Once the first has left the queue there is room again.
        a.sendAt(9_000_000, packet(A, B, 5, Segment.NOT_ECT));
        net.runUntilIdle(Long.MAX_VALUE);

        assertThat(fates).containsExactly("CE_MARKED 2", "QUEUE_OVERFLOW 3", "QUEUE_OVERFLOW 4");
        assertThat(b.received).extracting(r -> id(r.bytes())).containsExactly(0, 1, 2, 5);
    }

    @Test
    void withoutALimitNothingIsDropped() {
        ScriptedNode a = new ScriptedNode().attachTo(net, A), b = new ScriptedNode().attachTo(net, B);
        net.setLink(A, B, SLOW);
        for (int i = 0; i < 50; i++) a.sendAt(0, packet(A, B, i, Segment.ECT0));
        net.runUntilIdle(Long.MAX_VALUE);
        assertThat(fates).isEmpty();
        assertThat(b.received).hasSize(50);
    }

    @Test
    void thresholdsMustMakeSense() {
        assertThatThrownBy(() -> SLOW.withEcnMarking(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SLOW.withQueueLimit(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(LinkParams.DEFAULT.ecnMarkThreshold()).isEqualTo(LinkParams.NO_ECN_MARKING);
    }

    /** A valid packet (both checksums set) with 1000 bytes of data and {@code id} as its sequence number. */
    static byte[] packet(IpAddress src, IpAddress dst, int id, int ecn) {
        Segment s = new Segment();
        s.srcAddr = src;
        s.dstAddr = dst;
        s.srcPort = 1000;
        s.dstPort = 80;
        s.seq = id;
        s.flags = TcpFlags.ACK;
        s.window = 65535;
        s.ecn = ecn;
        s.payload(new byte[1000], 0, 1000);
        byte[] out = new byte[PacketCodec.encodedLength(s)];
        PacketCodec.encode(s, out, 0);
        return out;
    }

    static int id(byte[] p) {
        Segment s = new Segment();
        return PacketCodec.decode(p, 0, p.length, s, false) == null ? s.seq : -1;
    }
}
