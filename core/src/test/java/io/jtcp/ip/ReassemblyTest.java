package io.jtcp.ip;

import io.jtcp.config.IpSysctl;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.Bytes;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpPacket;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.jtcp.ip.Datagrams.*;
import static io.jtcp.ip.Reassembly.Result.COMPLETE;
import static io.jtcp.ip.Reassembly.Result.DROPPED;
import static io.jtcp.ip.Reassembly.Result.HELD;
import static org.assertj.core.api.Assertions.assertThat;

class ReassemblyTest {
    private static final long T0 = 5_000_000_000L, SECOND = 1_000_000_000L;

    private Sysctls sysctls = Sysctls.linux();
    private final Reassembly reassembly = new Reassembly(() -> sysctls);
    private final IpPacket whole = new IpPacket();

    private Reassembly.Result add(IpPacket fragment) { return reassembly.add(fragment, T0, whole); }

    @Test
    void ipv4InOrderGivesTheDatagramWithAWholeHeader() {
        byte[] payload = payload(3000, 1);
        byte[] datagram = v4(0x1234, Checksum.PROTO_UDP, 0, false, new byte[0], payload);
        List<byte[]> pieces = fragments(datagram, 1500, 0);
        assertThat(pieces).hasSize(3);

        assertThat(add(decode(pieces.get(0)))).isEqualTo(HELD);
        assertThat(add(decode(pieces.get(1)))).isEqualTo(HELD);
        assertThat(add(decode(pieces.get(2)))).isEqualTo(COMPLETE);

        assertThat(upperBytes(whole)).isEqualTo(payload);
        assertThat(whole.buf).isEqualTo(datagram); // the header made whole is the one sent
        assertThat(whole.fragment).isFalse();
        assertThat(whole.packetLength()).isEqualTo(datagram.length);
        assertThat(Checksum.ipv4Header(whole.buf, whole.headerOffset, 20)).isZero();
        assertThat(whole.src).isEqualTo(SRC4);
        assertThat(whole.protocol).isEqualTo(Checksum.PROTO_UDP);
        assertThat(reassembly.queues(4)).isZero();
        assertThat(reassembly.memory(4)).isZero();
        assertThat(reassembly.counters()).containsEntry("IpReasmReqds", 3L).containsEntry("IpReasmOKs", 1L)
                .containsEntry("IpReasmFails", 0L);
    }

    @Test
    void ipv6WithAHopByHopHeaderComesBackWithoutItsFragmentHeader() {
        byte[] payload = payload(4000, 2);
        byte[] packet = v6(Checksum.PROTO_TCP, 0, true, payload);
        List<byte[]> pieces = fragments(packet, 1280, 77);
        for (int i = pieces.size() - 1; i > 0; i--) assertThat(add(decode(pieces.get(i)))).isEqualTo(HELD);
        assertThat(add(decode(pieces.get(0)))).isEqualTo(COMPLETE);

        assertThat(whole.buf).isEqualTo(packet);
        assertThat(whole.payloadOffset).isEqualTo(48);
        assertThat(whole.protocol).isEqualTo(Checksum.PROTO_TCP);
        assertThat(reassembly.counters()).containsEntry("Ip6ReasmOKs", 1L).containsEntry("Ip6ReasmReqds", (long) pieces.size());
    }

    @Test
    void overlapDiscardsTheWholeDatagramAndLaterFragmentsStartAfresh() {
        for (int version : new int[] {4, 6}) {
            assertThat(add(frag(version, 9, 0, true, 16))).isEqualTo(HELD);
            assertThat(add(frag(version, 9, 8, true, 16))).isEqualTo(DROPPED);
            assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_OVERLAP);
            assertThat(reassembly.queues(version)).isZero();
            assertThat(reassembly.memory(version)).isZero();
            // inet_frag_kill unhashed the queue: the next fragment of that id opens a new one
            assertThat(add(frag(version, 9, 16, false, 8))).isEqualTo(HELD);
            assertThat(reassembly.queues(version)).isEqualTo(1);
        }
        assertThat(reassembly.counters()).containsEntry("IpExtReasmOverlaps", 1L).containsEntry("IpReasmFails", 1L)
                .containsEntry("Ip6ReasmOverlaps", 1L).containsEntry("Ip6ReasmFails", 1L);
    }

    @Test
    void aDuplicateIsDroppedUncountedAndTheDatagramStillCompletes() {
        for (int version : new int[] {4, 6}) {
            IpPacket first = frag(version, 3, 0, true, 16);
            assertThat(add(first)).isEqualTo(HELD);
            long held = reassembly.memory(version);
            assertThat(add(frag(version, 3, 0, true, 16))).isEqualTo(DROPPED);
            assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_DUPLICATE);
            assertThat(reassembly.memory(version)).isEqualTo(held);
            assertThat(add(frag(version, 3, 16, false, 5))).isEqualTo(COMPLETE);
            assertThat(whole.payloadLength).isEqualTo(21);
        }
        assertThat(reassembly.counters()).containsEntry("IpReasmFails", 0L).containsEntry("Ip6ReasmFails", 0L);
    }

    @Test
    void bytesInsideAContiguousStretchAreADuplicateNotAnOverlap() {
        add(frag(4, 1, 0, true, 16));
        add(frag(4, 1, 16, true, 16));
        assertThat(add(frag(4, 1, 8, true, 16))).isEqualTo(DROPPED);
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_DUPLICATE);
        assertThat(reassembly.queues(4)).isEqualTo(1);
    }

    @Test
    void lastFragmentsThatDisagreeAboutTheEndDiscardTheQueue() {
        add(frag(4, 1, 0, true, 16));
        add(frag(4, 1, 32, false, 8));
        assertThat(add(frag(4, 1, 16, false, 8))).isEqualTo(DROPPED);
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_BAD_END);
        assertThat(reassembly.queues(4)).isZero();

        add(frag(4, 2, 16, false, 8));
        assertThat(add(frag(4, 2, 24, true, 8))).as("bytes past the known end").isEqualTo(DROPPED);
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_BAD_END);

        add(frag(6, 3, 32, true, 8));
        assertThat(add(frag(6, 3, 16, false, 8))).as("a last fragment ending before held bytes").isEqualTo(DROPPED);
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_BAD_END);
        assertThat(reassembly.counters()).containsEntry("IpReasmFails", 2L).containsEntry("Ip6ReasmFails", 1L);
    }

    @Test
    void ipv4RoundsANonLastFragmentDownToEightBytesAndRefusesATinyFirstOne() {
        assertThat(add(frag(4, 5, 0, true, 12))).isEqualTo(HELD); // 4 bytes past 8 are let go, as ip_frag_queue does
        assertThat(add(frag(4, 5, 8, false, 4))).isEqualTo(COMPLETE);
        assertThat(whole.payloadLength).isEqualTo(12);

        assertThat(add(frag(4, 6, 0, true, 7))).isEqualTo(DROPPED);
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_TINY_FIRST);
        assertThat(add(frag(4, 6, 8, true, 7))).isEqualTo(DROPPED);
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_EMPTY);
        assertThat(reassembly.queues(4)).isZero();
    }

    @Test
    void ipv4DatagramPast65535BytesIsRefused() {
        assertThat(add(frag(4, 5, 65528, false, 8))).isEqualTo(DROPPED);
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_TOO_LONG);
        assertThat(reassembly.parameterProblem().due()).isFalse();
        assertThat(add(frag(4, 5, 65512, false, 3))).isEqualTo(HELD); // 20 + 65515 = 65535 fits
    }

    @Test
    void ipv6HeaderProblemsAskForAParameterProblemAndLeaveTheQueue() {
        add(frag(6, 4, 8, true, 8));
        long held = reassembly.memory(6);

        assertThat(add(frag(6, 4, 16, true, 12))).isEqualTo(DROPPED);
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_NOT_MULTIPLE_OF_8);
        assertThat(reassembly.parameterProblem().due()).isTrue();
        assertThat(reassembly.parameterProblem().code()).isEqualTo(ParameterProblem.HEADER_FIELD);
        assertThat(reassembly.parameterProblem().pointer()).isEqualTo(4);

        assertThat(add(frag(6, 4, 65528, false, 16))).isEqualTo(DROPPED);
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_TOO_LONG);
        assertThat(reassembly.parameterProblem().pointer()).isEqualTo(42); // the fragment header's offset field

        assertThat(add(fragment6(4, Checksum.PROTO_TCP, 0, true, new byte[16]))).isEqualTo(DROPPED);
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_HEADERS_INCOMPLETE);
        assertThat(reassembly.parameterProblem().code()).isEqualTo(ParameterProblem.HEADER_CHAIN_INCOMPLETE);
        assertThat(reassembly.parameterProblem().pointer()).isZero();

        assertThat(add(fragment6(4, Checksum.PROTO_UDP, 0, true, new byte[8]))).isEqualTo(HELD);
        assertThat(reassembly.parameterProblem().due()).isFalse();
        assertThat(reassembly.memory(6)).isGreaterThan(held);
        assertThat(reassembly.counters()).containsEntry("Ip6ReasmFails", 0L);
    }

    @Test
    void ipv6PerFragmentHeadersCountTowardThe65535ByteLimit() {
        byte[] b = new byte[64];
        b[0] = 0x60;
        Bytes.put16(b, 4, 24);
        b[6] = 0; // hop-by-hop, 8 bytes, then the fragment header
        SRC6.write(b, 8);
        DST6.write(b, 24);
        b[40] = 44;
        b[48] = (byte) Checksum.PROTO_UDP;
        Bytes.put16(b, 50, 65520);
        IpPacket last = decode(b);
        assertThat(last.payloadOffset).isEqualTo(56);

        assertThat(add(last)).isEqualTo(DROPPED); // 8 + 65528 bytes of payload
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_TOO_LONG);
        assertThat(reassembly.parameterProblem().due()).isFalse();
        assertThat(reassembly.counters()).containsEntry("Ip6ReasmFails", 1L);
    }

    @Test
    void theHeaderChainCheckWalksExtensionHeadersInTheFirstFragment() {
        byte[] bytes = new byte[24];
        bytes[0] = (byte) Checksum.PROTO_TCP; // a destination options header of 8 bytes, then 16 of TCP's 20
        assertThat(add(fragment6(8, 60, 0, true, bytes))).isEqualTo(DROPPED);
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_HEADERS_INCOMPLETE);
        assertThat(add(fragment6(8, 60, 0, true, new byte[32]))).isEqualTo(HELD); // 8 + 24 holds the TCP header
    }

    @Test
    void anAtomicFragmentIsADatagramAtOnce() {
        IpPacket atomic = fragment6(11, 0, false, payload(100, 3));
        assertThat(add(atomic)).isEqualTo(COMPLETE);
        assertThat(whole.buf).isSameAs(atomic.buf);
        assertThat(whole.payloadOffset).isEqualTo(48);
        assertThat(whole.payloadLength).isEqualTo(100);
        assertThat(whole.fragment).isFalse();
        assertThat(reassembly.queues(6)).isZero();
        assertThat(reassembly.counters()).containsEntry("Ip6ReasmReqds", 1L).containsEntry("Ip6ReasmOKs", 1L);
    }

    @Test
    void ipv4KeysOnProtocolAndIpv6DoesNot() {
        add(fragment4(1, Checksum.PROTO_UDP, 0, true, new byte[8]));
        assertThat(add(fragment4(1, Checksum.PROTO_TCP, 8, false, new byte[8]))).isEqualTo(HELD);
        assertThat(reassembly.queues(4)).isEqualTo(2);

        add(fragment6(1, Checksum.PROTO_UDP, 0, true, new byte[8]));
        assertThat(add(fragment6(1, Checksum.PROTO_TCP, 8, false, new byte[8]))).isEqualTo(COMPLETE);
        assertThat(whole.protocol).as("the first fragment's").isEqualTo(Checksum.PROTO_UDP);
    }

    @Test
    void queuesExpireOnTheirFamilysTimeAndHandBackTheFirstFragment() {
        IpPacket first4 = frag(4, 21, 0, true, 16);
        add(first4);
        add(frag(4, 22, 8, true, 8)); // no first fragment: expires silently
        IpPacket first6 = frag(6, 23, 0, true, 16);
        add(first6);
        assertThat(reassembly.nextDeadline()).isEqualTo(T0 + 30 * SECOND);

        List<IpPacket> quoted = new ArrayList<>();
        List<byte[]> bytes = new ArrayList<>();
        Reassembly.TimeExceeded sink = p -> {
            quoted.add(p);
            bytes.add(java.util.Arrays.copyOfRange(p.buf, p.headerOffset, p.payloadOffset + p.payloadLength));
        };
        assertThat(reassembly.expire(T0 + 30 * SECOND - 1, sink)).isZero();
        assertThat(reassembly.expire(T0 + 30 * SECOND, sink)).isEqualTo(2);
        assertThat(bytes).hasSize(1);
        assertThat(bytes.get(0)).isEqualTo(first4.buf);
        assertThat(reassembly.queues(4)).isZero();
        assertThat(reassembly.memory(4)).isZero();
        assertThat(reassembly.nextDeadline()).isEqualTo(T0 + 60 * SECOND);

        assertThat(reassembly.expire(T0 + 60 * SECOND, sink)).isEqualTo(1);
        assertThat(bytes.get(1)).as("IPv6 quotes the fragment with its fragment header").isEqualTo(first6.buf);
        assertThat(quoted.get(1).version).isEqualTo(6);
        assertThat(reassembly.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(reassembly.counters()).containsEntry("IpReasmTimeout", 2L).containsEntry("IpReasmFails", 2L)
                .containsEntry("Ip6ReasmTimeout", 1L);
    }

    @Test
    void ecnCodepointsMergeAsRfc3168Says() {
        add(withTos(frag(4, 31, 0, true, 8), 0b10)); // ECT(0)
        assertThat(add(withTos(frag(4, 31, 8, false, 8), 0b11))).isEqualTo(COMPLETE); // CE
        assertThat(whole.tos & 3).isEqualTo(3);
        assertThat(whole.buf[1] & 3).isEqualTo(3);

        add(withTos(frag(6, 32, 0, true, 8), 0b10));
        assertThat(add(withTos(frag(6, 32, 8, false, 8), 0))).isEqualTo(DROPPED); // Not-ECT
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_ECN_MISMATCH);
        assertThat(reassembly.queues(6)).isZero();
    }

    @Test
    void aFragmentThatWouldPassTheHighThresholdIsRefused() {
        sysctls = sysctls.withIp(IpSysctl.IPFRAG_HIGH_THRESH, 1100);
        assertThat(add(frag(4, 1, 0, true, 400))).isEqualTo(HELD); // 384 + 64 + 20 + 400 = 868
        assertThat(reassembly.memory(4)).isEqualTo(868);
        assertThat(add(frag(4, 1, 400, true, 200))).isEqualTo(DROPPED); // +264 would be 1132
        assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_MEMORY_LIMIT);
        assertThat(add(frag(4, 1, 400, false, 168))).isEqualTo(COMPLETE); // +232 is exactly 1100
        assertThat(reassembly.counters()).containsEntry("IpReasmFails", 1L);
        assertThat(add(frag(6, 1, 0, true, 400))).as("IPv6 has its own threshold").isEqualTo(HELD);
    }

    @Test
    void theWholeIpv4HeaderCarriesDfIfAnyFragmentHadIt() {
        IpPacket first = frag(4, 41, 0, true, 8);
        add(first);
        IpPacket last = frag(4, 41, 8, false, 8);
        Bytes.put16(last.buf, 6, Bytes.u16(last.buf, 6) | 0x4000);
        last.dontFragment = true;
        assertThat(add(last)).isEqualTo(COMPLETE);
        assertThat(Bytes.u16(whole.buf, 6)).isEqualTo(0x4000);
        assertThat(whole.dontFragment).isTrue();
        assertThat(Checksum.ipv4Header(whole.buf, 0, 20)).isZero();
    }

    private static IpPacket frag(int version, int id, int offset, boolean more, int length) {
        byte[] bytes = payload(length, offset);
        return version == 6 ? fragment6(id, offset, more, bytes) : fragment4(id, offset, more, bytes);
    }

    private static IpPacket withTos(IpPacket p, int tos) {
        p.tos = tos;
        return p;
    }
}
