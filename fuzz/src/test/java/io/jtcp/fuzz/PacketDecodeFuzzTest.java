package io.jtcp.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jtcp.wire.Bytes;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.Icmp;
import io.jtcp.wire.IcmpMessage;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpHeaders;
import io.jtcp.wire.IpPacket;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import io.jtcp.wire.Udp;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoders a link's packet meets on its way in, in the order Stack's receive path calls
 * them (PacketCodec.decodeIp, then by protocol PacketCodec.decode, Icmp.parse or Udp.decode).
 * They promise never to throw and to name a DropReason for what they refuse; a TCP segment
 * they accept re-encodes to a packet that decodes to the same segment, and encoding that one
 * again gives the same bytes (a fixed point after one round: options jtcp does not send, and
 * SACK blocks beyond what its layout fits, are the only things the first encode may lose).
 */
class PacketDecodeFuzzTest {
    private static final IpAddress V4_A = IpAddress.parse("10.0.0.1"), V4_B = IpAddress.parse("10.0.0.2");
    private static final IpAddress V6_A = IpAddress.parse("2001:db8::1"), V6_B = IpAddress.parse("2001:db8::2");

    /** Whatever a link hands over: raw bytes, checksums both checked and trusted. */
    @FuzzTest
    void linkInput(byte[] packet) {
        decodeAsTheStackDoes(packet, packet.length, true);
        decodeAsTheStackDoes(packet, packet.length, false);
    }

    /**
     * A transport header and payload behind a well-formed IPv4 or IPv6 header, checksums made
     * right, so that the fuzzer spends its time in TCP options, ICMP quotes and UDP lengths
     * rather than in IP's checks.
     */
    @FuzzTest
    void transportOverValidIp(FuzzedDataProvider data) {
        boolean v6 = data.consumeBoolean();
        int protocol = data.pickValue(v6
                ? new int[] {Checksum.PROTO_TCP, Checksum.PROTO_UDP, Checksum.PROTO_ICMPV6}
                : new int[] {Checksum.PROTO_TCP, Checksum.PROTO_UDP, Checksum.PROTO_ICMP});
        int tos = data.consumeInt(0, 255);
        byte[] body = data.consumeRemainingAsBytes();
        IpAddress src = v6 ? V6_A : V4_A, dst = v6 ? V6_B : V4_B;
        int header = IpHeaders.headerLength(src);
        if (body.length + (v6 ? 0 : header) > 0xffff) return;
        byte[] packet = new byte[header + body.length];
        IpHeaders.write(packet, 0, src, dst, protocol, body.length, 64, tos, true, 0);
        System.arraycopy(body, 0, packet, header, body.length);
        fixChecksum(packet, header, body.length, protocol, src, dst);
        decodeAsTheStackDoes(packet, packet.length, true);
    }

    private static void fixChecksum(byte[] packet, int at, int length, int protocol, IpAddress src, IpAddress dst) {
        int field = protocol == Checksum.PROTO_TCP ? 16 : protocol == Checksum.PROTO_UDP ? 6 : 2;
        if (length < field + 2) return;
        Bytes.put16(packet, at + field, 0);
        int seed = protocol == Checksum.PROTO_ICMP ? 0 : Checksum.pseudoHeader(src, dst, protocol, length);
        Bytes.put16(packet, at + field, Checksum.finish(Checksum.partial(packet, at, length, seed)));
    }

    private static void decodeAsTheStackDoes(byte[] packet, int length, boolean verifyChecksums) {
        IpPacket ip = new IpPacket();
        DropReason bad = PacketCodec.decodeIp(packet, 0, length, ip);
        if (bad != null || ip.fragment) return;
        assertThat(ip.payloadOffset + ip.payloadLength).as("payload inside the buffer").isLessThanOrEqualTo(length);
        assertThat(ip.payloadLength).isNotNegative();
        switch (ip.protocol) {
            case Checksum.PROTO_TCP -> {
                Segment s = new Segment();
                if (PacketCodec.decode(ip, s, verifyChecksums) == null) reencodesConsistently(s);
            }
            case Checksum.PROTO_UDP -> {
                Udp udp = new Udp();
                if (udp.decode(ip, verifyChecksums) == null) {
                    assertThat(udp.dataOffset + udp.dataLength).isLessThanOrEqualTo(ip.payloadOffset + ip.payloadLength);
                    assertThat(udp.dataLength).isNotNegative();
                }
            }
            case Checksum.PROTO_ICMP, Checksum.PROTO_ICMPV6 -> {
                // The stack hands each family its own ICMP only (Stack.deliver); Icmp.parse refuses the other by contract.
                if ((ip.protocol == Checksum.PROTO_ICMPV6) != ip.isV6()) return;
                IcmpMessage m = new IcmpMessage();
                if (Icmp.parse(ip, m) == null && m.kind == IcmpMessage.Kind.ERROR) {
                    // An error that parsed quotes enough of a transport header to name its ports.
                    assertThat(m.quotedTransportOffset + 4).isLessThanOrEqualTo(ip.payloadOffset + ip.payloadLength);
                    m.quotedSrcPort();
                    m.quotedDstPort();
                }
            }
            default -> { }
        }
    }

    private static void reencodesConsistently(Segment first) {
        byte[] once = encode(first);
        Segment second = new Segment();
        assertThat(PacketCodec.decode(once, 0, once.length, second, true)).as("re-encoded segment decodes").isNull();
        assertThat(second.srcAddr).isEqualTo(first.srcAddr);
        assertThat(second.dstAddr).isEqualTo(first.dstAddr);
        assertThat(new int[] {second.srcPort, second.dstPort, second.seq, second.ack, second.flags, second.window,
                second.urgent, second.ecn, second.mss, second.windowScale, second.tsVal, second.tsEcr, second.fastOpenLength})
                .isEqualTo(new int[] {first.srcPort, first.dstPort, first.seq, first.ack, first.flags, first.window,
                        first.urgent, first.ecn, first.mss, first.windowScale,
                        first.hasTimestamps ? first.tsVal : second.tsVal, first.hasTimestamps ? first.tsEcr : second.tsEcr,
                        first.fastOpenLength});
        assertThat(second.sackPermitted).isEqualTo(first.sackPermitted);
        assertThat(second.hasTimestamps).isEqualTo(first.hasTimestamps);
        assertThat(second.sackCount).isLessThanOrEqualTo(first.sackCount);
        for (int i = 0; i < second.sackCount; i++) {
            assertThat(second.sackLeft(i)).isEqualTo(first.sackLeft(i));
            assertThat(second.sackRight(i)).isEqualTo(first.sackRight(i));
        }
        assertThat(Arrays.copyOfRange(second.payload, second.payloadOffset, second.payloadOffset + second.payloadLength))
                .isEqualTo(Arrays.copyOfRange(first.payload, first.payloadOffset, first.payloadOffset + first.payloadLength));
        assertThat(encode(second)).as("a second encode changes nothing").isEqualTo(once);
    }

    private static byte[] encode(Segment s) {
        byte[] out = new byte[PacketCodec.encodedLength(s)];
        assertThat(PacketCodec.encode(s, out, 0)).isEqualTo(out.length);
        return out;
    }
}
