package io.jtcp.wire;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class ChecksumTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc1071NumericExampleSumsToDdf2() {
        // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 have one's complement sum ddf2.
        byte[] b = HEX.parseHex("0001f203f4f5f6f7");
        assertThat(Checksum.partial(b, 0, b.length, 0)).isEqualTo(0xddf2);
        assertThat(Checksum.finish(0xddf2)).isEqualTo(0x220d);
    }

    @Test
    void classicIpv4HeaderChecksumsToB861() {
        // 192.168.0.1 -> 192.168.0.199, UDP, total length 0x73: the field should read b861.
        byte[] header = HEX.parseHex("450000730000400040110000c0a80001c0a800c7");
        assertThat(Checksum.ipv4Header(header, 0, 20)).isEqualTo(0xb861);
    }

    @Test
    void aHeaderThatIncludesItsCorrectChecksumSumsToAllOnes() {
        byte[] header = HEX.parseHex("45000073000040004011b861c0a80001c0a800c7");
        assertThat(Checksum.partial(header, 0, 20, 0)).isEqualTo(0xffff);
        assertThat(Checksum.ipv4Header(header, 0, 20)).isZero();
    }

    @Test
    void anOddLengthIsPaddedWithAZeroByte() {
        byte[] b = {0x12, 0x34, 0x56};
        assertThat(Checksum.partial(b, 0, 3, 0)).isEqualTo(0x1234 + 0x5600);
    }

    @Test
    void tcpChecksumOfAnEncodedSegmentVerifiesWhenResummedWithThePseudoHeader() {
        byte[] p = Seg.seg().from("10.0.0.1", 49152).to("10.0.0.2", 80).seq(1).ack(1).win(512).payload("hello").encode();
        int tcpLen = p.length - 20;
        IpAddress src = IpAddress.parse("10.0.0.1");
        IpAddress dst = IpAddress.parse("10.0.0.2");
        assertThat(Checksum.partial(p, 20, tcpLen, Checksum.pseudoHeader(src, dst, Checksum.PROTO_TCP, tcpLen))).isEqualTo(0xffff);
        assertThat(Checksum.finish(Checksum.partial(p, 20, tcpLen, Checksum.pseudoHeader(src, dst, Checksum.PROTO_TCP, tcpLen)))).isZero();
    }

    @Property
    void wordAtATimeSumAgreesWithTheTextbook16BitLoop(
            @ForAll @Size(max = 200) byte[] data, @ForAll @IntRange(max = 7) int skip) {
        int off = Math.min(skip, data.length);
        int len = data.length - off;
        assertThat(Checksum.partial(data, off, len, 0)).isEqualTo(textbook(data, off, len));
    }

    /** RFC 1071 §4.1, one 16-bit word per step. */
    private static int textbook(byte[] b, int off, int len) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) sum += (b[off + i] & 0xff) << 8 | (b[off + i + 1] & 0xff);
        if (i < len) sum += (b[off + i] & 0xff) << 8;
        while (sum >>> 16 != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) sum;
    }
}
