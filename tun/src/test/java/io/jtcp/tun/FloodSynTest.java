package io.jtcp.tun;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.wire.Checksum;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import org.junit.jupiter.api.Test;

/** The flood's packet is a SYN any stack takes: it decodes with jtcp's checksum checks on, each rewrite included. */
class FloodSynTest {
    private static final IpAddress FROM = IpAddress.parse("10.66.0.1"), TO = IpAddress.parse("10.77.0.2");

    @Test
    void everyRewriteIsAValidSynWithRightChecksums() {
        FloodSyn syn = new FloodSyn(FROM, TO, 8080);
        int[][] cases = {{1024, 0, 0}, {65535, -1, 0xffff}, {40000, 0x80000000, 7}, {3333, 0x12345678, 0xbeef}};
        for (int[] c : cases) {
            syn.next(c[0], c[1], c[2]);
            assertThat(Checksum.ipv4Header(syn.packet, 0, FloodSyn.IP_LENGTH)).as("IPv4 header checksum").isZero();
            Segment s = new Segment();
            assertThat(PacketCodec.decode(syn.packet, 0, FloodSyn.LENGTH, s, true)).as("decodes, TCP checksum verified").isNull();
            assertThat(s.srcAddr).isEqualTo(FROM);
            assertThat(s.dstAddr).isEqualTo(TO);
            assertThat(s.srcPort).isEqualTo(c[0]);
            assertThat(s.dstPort).isEqualTo(8080);
            assertThat(s.seq).isEqualTo(c[1]);
            assertThat(s.syn()).isTrue();
            assertThat(s.ackFlag() || s.rst() || s.fin()).isFalse();
            assertThat(s.mss).isEqualTo(FloodSyn.MSS);
            assertThat(s.payloadLength).isZero();
            assertThat(((syn.packet[4] & 0xff) << 8) | (syn.packet[5] & 0xff)).as("IP id").isEqualTo(c[2]);
        }
    }

    @Test
    void aCorruptedByteFailsTheChecksum() {
        FloodSyn syn = new FloodSyn(FROM, TO, 8080);
        syn.next(5000, 42, 1);
        syn.packet[FloodSyn.IP_LENGTH + 5] ^= 1;
        assertThat(PacketCodec.decode(syn.packet, 0, FloodSyn.LENGTH, new Segment(), true)).isNotNull();
    }
}
