package io.jtcp.wire;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static io.jtcp.wire.Packets.TCP;
import static io.jtcp.wire.Packets.fixChecksums;
import static io.jtcp.wire.Packets.setTotalLength;
import static io.jtcp.wire.Packets.withRawIpOptions;
import static io.jtcp.wire.Packets.withRawTcpOptions;
import static io.jtcp.wire.Seg.seg;
import static org.assertj.core.api.Assertions.assertThat;

/** One broken packet per drop reason: each must be refused with exactly that reason. */
class DecodeDropReasonTest {
    private static final HexFormat HEX = HexFormat.of();

    /** 10.0.0.2.80 > 10.0.0.1.49152: Flags [P.], seq 1:8, ack 1, win 512, options [nop,nop,TS val 5 ecr 4], length 7 */
    private static Segment data() {
        return seg().from("10.0.0.2", 80).to("10.0.0.1", 49152).psh().seq(1).ack(1).win(512).ts(5, 4)
                .payload("GET /\r\n").build();
    }

    private static byte[] packet() { return Seg.encode(data()); }

    private static DropReason decode(byte[] p) {
        return PacketCodec.decode(p, 0, p.length, new Segment());
    }

    @Test
    void theUnbrokenPacketDecodes() {
        assertThat(decode(packet())).isNull();
    }

    @Test
    void ipTruncated() {
        assertThat(decode(new byte[19])).isEqualTo(DropReason.IP_TRUNCATED);
        assertThat(decode(new byte[0])).isEqualTo(DropReason.IP_TRUNCATED);
        byte[] p = packet();
        assertThat(PacketCodec.decode(p, 0, p.length - 1, new Segment())).as("total length past the buffer")
                .isEqualTo(DropReason.IP_TRUNCATED);
        assertThat(PacketCodec.decode(p, 5, p.length, new Segment())).as("slice past the array")
                .isEqualTo(DropReason.IP_TRUNCATED);
        assertThat(PacketCodec.decode(p, -1, 20, new Segment())).isEqualTo(DropReason.IP_TRUNCATED);
        assertThat(PacketCodec.decode(null, 0, 20, new Segment())).isEqualTo(DropReason.IP_TRUNCATED);
    }

    @Test
    void ipBadVersion() {
        byte[] p = packet();
        p[0] = 0x55; // neither IPv4 nor IPv6
        assertThat(decode(p)).isEqualTo(DropReason.IP_BAD_VERSION);
        p[0] = (byte) 0xf5;
        assertThat(decode(p)).isEqualTo(DropReason.IP_BAD_VERSION);
    }

    @Test
    void ipHeaderLengthOf4WordsIsTooShort() {
        byte[] p = packet();
        p[0] = 0x44;
        assertThat(decode(p)).isEqualTo(DropReason.IP_BAD_HEADER_LENGTH);
    }

    @Test
    void ipHeaderLengthPastThePacket() {
        byte[] p = seg().from("10.0.0.1", 1).to("10.0.0.2", 2).seq(1).ack(1).encode(); // 40 bytes
        p[0] = 0x4f; // 60-byte header
        assertThat(decode(p)).isEqualTo(DropReason.IP_BAD_HEADER_LENGTH);
        byte[] q = packet();
        q[0] = 0x4f;
        setTotalLength(q, 40); // header longer than the total length it claims
        assertThat(decode(q)).isEqualTo(DropReason.IP_BAD_HEADER_LENGTH);
    }

    @Test
    void ipBadChecksum() {
        byte[] p = packet();
        p[8]--; // TTL decremented by a router that forgot the checksum
        assertThat(decode(p)).isEqualTo(DropReason.IP_BAD_CHECKSUM);
    }

    @Test
    void ipFragmentWithMoreFragmentsOrAnOffset() {
        byte[] mf = packet();
        mf[6] |= 0x20;
        fixChecksums(mf);
        assertThat(decode(mf)).isEqualTo(DropReason.IP_FRAGMENT);
        byte[] offset = packet();
        offset[7] = 1;
        fixChecksums(offset);
        assertThat(decode(offset)).isEqualTo(DropReason.IP_FRAGMENT);
    }

    @Test
    void ipProtocolUdpIsNotTcp() {
        byte[] p = packet();
        p[9] = 17;
        fixChecksums(p);
        assertThat(decode(p)).isEqualTo(DropReason.IP_NOT_TCP);
    }

    @Test
    void tcpTruncatedBelowTheFixedHeader() {
        byte[] p = packet();
        setTotalLength(p, 20 + 19);
        fixChecksums(p);
        assertThat(decode(p)).isEqualTo(DropReason.TCP_TRUNCATED);
    }

    @Test
    void tcpDataOffsetOf4() {
        byte[] p = packet();
        p[TCP + 12] = 0x40;
        fixChecksums(p);
        assertThat(decode(p)).isEqualTo(DropReason.TCP_BAD_DATA_OFFSET);
    }

    @Test
    void tcpDataOffsetPastTheSegment() {
        byte[] p = seg().from("10.0.0.1", 1).to("10.0.0.2", 2).seq(1).ack(1).encode(); // 20-byte segment
        p[TCP + 12] = 0x60;
        fixChecksums(p);
        assertThat(decode(p)).isEqualTo(DropReason.TCP_BAD_DATA_OFFSET);
    }

    @Test
    void tcpBadChecksum() {
        byte[] p = packet();
        p[p.length - 1] ^= 0x01; // one bit flipped in the payload
        assertThat(decode(p)).isEqualTo(DropReason.TCP_BAD_CHECKSUM);
    }

    // What is accepted, though unusual.

    @Test
    void synWithRstOrFinDecodesForTheStateToJudge() {
        Segment s = new Segment();
        byte[] synRst = seg().from("10.0.0.1", 1).to("10.0.0.2", 2).syn().rst().seq(1).encode();
        assertThat(PacketCodec.decode(synRst, 0, synRst.length, s)).isNull();
        assertThat(s.flags).isEqualTo(TcpFlags.SYN | TcpFlags.RST);
        byte[] synFin = seg().from("10.0.0.1", 1).to("10.0.0.2", 2).syn().fin().seq(1).encode();
        assertThat(PacketCodec.decode(synFin, 0, synFin.length, s)).isNull();
        assertThat(s.flags).isEqualTo(TcpFlags.SYN | TcpFlags.FIN);
    }

    @Test
    void bytesPastTheIpTotalLengthAreLinkPaddingAndIgnored() {
        byte[] p = Arrays.copyOf(packet(), packet().length + 6);
        Segment s = new Segment();
        assertThat(PacketCodec.decode(p, 0, p.length, s)).isNull();
        assertThat(s.payloadLength).isEqualTo(7);
    }

    @Test
    void ipOptionsAreSkipped() {
        byte[] p = withRawIpOptions(packet(), HEX.parseHex("01010100"));
        Segment s = new Segment();
        assertThat(PacketCodec.decode(p, 0, p.length, s)).isNull();
        SegmentAssert.assertSameSegment(s, data());
    }

    @Test
    void aPacketInTheMiddleOfABufferDecodesInPlace() {
        byte[] p = packet();
        byte[] buf = new byte[p.length + 100];
        System.arraycopy(p, 0, buf, 37, p.length);
        Segment s = new Segment();
        assertThat(PacketCodec.decode(buf, 37, p.length, s)).isNull();
        assertThat(s.payload).isSameAs(buf);
        assertThat(s.payloadOffset).isEqualTo(37 + p.length - 7);
        SegmentAssert.assertSameSegment(s, data());
    }

    @Test
    void unknownOptionsAreSkippedAndEolEndsTheList() {
        Segment s = new Segment();
        // unknown kind 30 (len 4), MSS 1460, EOL, then garbage that must not be read
        byte[] p = withRawTcpOptions(data(), HEX.parseHex("1e04abcd" + "020405b4" + "00" + "ff0102"));
        assertThat(PacketCodec.decode(p, 0, p.length, s)).isNull();
        assertThat(s.mss).isEqualTo(1460);
        assertThat(s.hasTimestamps).isFalse();
    }

    @Test
    void optionsOfAPreviousDecodeDoNotLeakIntoTheNext() {
        Segment s = new Segment();
        byte[] syn = Seg.encode(GoldenHandshakeTest.syn());
        byte[] bare = seg().from("10.0.0.1", 1).to("10.0.0.2", 2).seq(1).ack(1).encode();
        assertThat(PacketCodec.decode(syn, 0, syn.length, s)).isNull();
        assertThat(PacketCodec.decode(bare, 0, bare.length, s)).isNull();
        assertThat(s.mss).isEqualTo(-1);
        assertThat(s.windowScale).isEqualTo(-1);
        assertThat(s.sackPermitted).isFalse();
        assertThat(s.hasTimestamps).isFalse();
    }
}
