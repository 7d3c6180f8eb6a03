package io.jtcp.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A link that guarantees integrity may skip TCP checksums, as Linux's loopback does; nothing else may. */
class ChecksumOffloadTest {
    private static Segment data() {
        return Seg.seg().from("10.0.0.1", 40000).to("10.0.0.2", 80).ack(1).seq(1000).win(512).payload("hello").build();
    }

    @Test
    void anOffloadedSegmentCarriesNoTcpChecksumAndIsAcceptedOnlyOnTrust() {
        byte[] out = new byte[PacketCodec.encodedLength(data())];
        int n = PacketCodec.encode(data(), out, 0, false, true);
        assertThat(out[20 + 16]).isZero();
        assertThat(out[20 + 17]).isZero();
        Segment in = new Segment();
        assertThat(PacketCodec.decode(out, 0, n, in, false)).isNull();
        assertThat(new String(in.payload, in.payloadOffset, in.payloadLength)).isEqualTo("hello");
        assertThat(PacketCodec.decode(out, 0, n, new Segment())).as("a verifying receiver").isEqualTo(DropReason.TCP_BAD_CHECKSUM);
    }

    @Test
    void theIpHeaderChecksumIsKeptEitherWay() {
        byte[] out = new byte[PacketCodec.encodedLength(data())];
        PacketCodec.encode(data(), out, 0, false, true);
        out[8] ^= 1; // TTL
        assertThat(PacketCodec.decode(out, 0, out.length, new Segment(), false)).isEqualTo(DropReason.IP_BAD_CHECKSUM);
    }
}
