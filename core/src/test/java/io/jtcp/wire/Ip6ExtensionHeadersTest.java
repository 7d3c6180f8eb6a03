package io.jtcp.wire;

import org.junit.jupiter.api.Test;

import static io.jtcp.wire.Ip6Header.*;
import static io.jtcp.wire.Ip6Packets.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Routing and fragment headers, the order of the chain, and the walk after reassembly. */
class Ip6ExtensionHeadersTest {
    private final IpPacket p = new IpPacket();

    @Test
    void hopByHopAnywhereButFirstIsAnUnrecognizedNextHeader() {
        byte[] b = packet(DESTINATION_OPTIONS, options(HOP_BY_HOP, 1, 4, 0, 0, 0, 0), options(TCP, 1, 4, 0, 0, 0, 0), bytes(20));
        assertThat(decode(b)).isEqualTo(DropReason.IP6_HOP_BY_HOP_NOT_FIRST);
        assertProblem(UNRECOGNIZED_NEXT_HEADER, 40);
    }

    @Test
    void aHeaderRunningPastThePacketIsMalformed() {
        byte[] b = packet(DESTINATION_OPTIONS, options(TCP, 1, 4, 0, 0, 0, 0));
        b[41] = 1; // claims 16 bytes where 8 are
        assertThat(decode(b)).isEqualTo(DropReason.IP6_BAD_EXTENSION_HEADER);
        assertThat(decode(packet(ROUTING, new byte[6]))).isEqualTo(DropReason.IP6_BAD_EXTENSION_HEADER);
        assertThat(decode(packet(HOP_BY_HOP, new byte[4]))).isEqualTo(DropReason.IP6_BAD_EXTENSION_HEADER);
        assertThat(p.hasProblem()).isFalse();
    }

    @Test
    void aRoutingHeaderWithNoSegmentsLeftIsPassedOver() {
        byte[] b = packet(ROUTING, routing(UDP, 0, 0), bytes(8));
        assertThat(decode(b)).isNull();
        assertThat(p.protocol).isEqualTo(UDP);
        assertThat(p.payloadOffset).isEqualTo(64);
        assertThat(p.nextHeaderPointer).isEqualTo(40);
    }

    @Test
    void aHostForwardsNothingSoSegmentsLeftAreAProblemAtTheType() {
        for (int type : new int[] {0, 1, 5, 253}) {
            assertThat(decode(packet(ROUTING, routing(TCP, type, 1), bytes(20)))).isEqualTo(DropReason.IP6_SOURCE_ROUTE);
            assertProblem(ERRONEOUS_FIELD, 42);
        }
        // After a destination options header, the pointer still names the routing type.
        assertThat(decode(packet(DESTINATION_OPTIONS, options(ROUTING, 1, 4, 0, 0, 0, 0), routing(TCP, 0, 1), bytes(20))))
                .isEqualTo(DropReason.IP6_SOURCE_ROUTE);
        assertProblem(ERRONEOUS_FIELD, 50);
    }

    @Test
    void routingTypesLinuxKeepsForOthersAreDroppedSilently() {
        assertThat(decode(packet(ROUTING, routing(TCP, 4, 0), bytes(20)))).isEqualTo(DropReason.IP6_SEGMENT_ROUTING_DISABLED);
        assertThat(decode(packet(ROUTING, routing(TCP, 3, 1), bytes(20)))).isEqualTo(DropReason.IP6_SEGMENT_ROUTING_DISABLED);
        assertThat(decode(packet(ROUTING, routing(TCP, 2, 0), bytes(20)))).isEqualTo(DropReason.IP6_MOBILITY_ROUTING);
        assertThat(decode(packet(ROUTING, routing(TCP, 2, 1), bytes(20)))).isEqualTo(DropReason.IP6_MOBILITY_ROUTING);
        assertThat(decode(packet(ROUTING, routing(TCP, 2, 2), bytes(20)))).isEqualTo(DropReason.IP6_BAD_EXTENSION_HEADER);
        assertThat(decode(packet(ROUTING, SRC, IpAddress.parse("ff02::1"), routing(TCP, 0, 0), bytes(20))))
                .isEqualTo(DropReason.IP6_ROUTING_TO_MULTICAST);
        assertThat(p.hasProblem()).isFalse();
    }

    @Test
    void aFragmentCarriesItsPlaceAndTheBytesAfterItsHeader() {
        byte[] b = packet(FRAGMENT, fragment(UDP, 1448, true, 0xcafe_f00d), bytes(24));
        assertThat(decode(b)).isNull();
        assertThat(p.fragment).isTrue();
        assertThat(p.fragmentId).isEqualTo(0xcafe_f00d);
        assertThat(p.fragmentOffset).isEqualTo(1448);
        assertThat(p.moreFragments).isTrue();
        assertThat(p.protocol).isEqualTo(UDP);
        assertThat(p.nextHeaderPointer).isEqualTo(40);
        assertThat(p.payloadOffset).isEqualTo(48);
        assertThat(p.payloadLength).isEqualTo(24);

        assertThat(decode(packet(FRAGMENT, fragment(TCP, 0, true, 1), bytes(24)))).isNull();
        assertThat(p.fragmentOffset).isZero();
        assertThat(decode(packet(FRAGMENT, fragment(TCP, 64, false, 1), bytes(5)))).isNull();
        assertThat(p.moreFragments).isFalse();
    }

    @Test
    void theFragmentAfterAnotherDecodeIsClearedOfTheOldOne() {
        decode(packet(FRAGMENT, fragment(UDP, 8, true, 7), bytes(8)));
        assertThat(decode(packet(UDP, bytes(8)))).isNull();
        assertThat(p.fragment).isFalse();
        assertThat(p.fragmentId).isZero();
    }

    @Test
    void anAtomicFragmentIsTheWholeDatagram() {
        byte[] b = packet(FRAGMENT, fragment(DESTINATION_OPTIONS, 0, false, 9), options(TCP, 1, 4, 0, 0, 0, 0), bytes(20));
        assertThat(decode(b)).isNull();
        assertThat(p.fragment).isFalse();
        assertThat(p.protocol).isEqualTo(TCP);
        assertThat(p.payloadOffset).isEqualTo(56);
        assertThat(p.nextHeaderPointer).isEqualTo(48);
        // A second fragment header after it is malformed, the pointer naming that header.
        b = packet(FRAGMENT, fragment(FRAGMENT, 0, false, 9), fragment(TCP, 8, true, 9), bytes(16));
        assertThat(decode(b)).isEqualTo(DropReason.IP6_BAD_FRAGMENT);
        assertProblem(ERRONEOUS_FIELD, 48);
    }

    @Test
    void aFirstFragmentMustHoldTheWholeHeaderChain() {
        assertThat(decode(packet(FRAGMENT, fragment(TCP, 0, true, 1), bytes(16)))).isEqualTo(DropReason.IP6_INCOMPLETE_HEADER_CHAIN);
        assertProblem(INCOMPLETE_CHAIN, 0);
        assertThat(decode(packet(FRAGMENT, fragment(DESTINATION_OPTIONS, 0, true, 1), options(UDP, 1, 4, 0, 0, 0, 0), bytes(0))))
                .isEqualTo(DropReason.IP6_INCOMPLETE_HEADER_CHAIN);
        // UDP needs 8 bytes; an unknown protocol needs one; a later fragment is not judged.
        assertThat(decode(packet(FRAGMENT, fragment(UDP, 0, true, 1), bytes(8)))).isNull();
        assertThat(decode(packet(FRAGMENT, fragment(253, 0, true, 1), bytes(8)))).isNull();
        assertThat(decode(packet(FRAGMENT, fragment(TCP, 8, true, 1), bytes(8)))).isNull();
    }

    @Test
    void fragmentsPastTheLargestDatagramOrNotInEightsAreProblems() {
        assertThat(decode(packet(FRAGMENT, fragment(UDP, 65528, false, 1), bytes(16)))).isEqualTo(DropReason.IP6_BAD_FRAGMENT);
        assertProblem(ERRONEOUS_FIELD, 42);
        assertThat(decode(packet(FRAGMENT, fragment(UDP, 8, true, 1), bytes(12)))).isEqualTo(DropReason.IP6_BAD_FRAGMENT);
        assertProblem(ERRONEOUS_FIELD, 4);
        assertThat(decode(packet(FRAGMENT, fragment(UDP, 8, false, 1), bytes(12)))).isNull();
    }

    @Test
    void aFragmentHeaderCutShortOrInAJumbogramIsAProblemAtTheHeader() {
        assertThat(decode(packet(FRAGMENT, new byte[6]))).isEqualTo(DropReason.IP6_BAD_FRAGMENT);
        assertProblem(ERRONEOUS_FIELD, 40);
        int jumbo = 70_000;
        byte[] b = packet(HOP_BY_HOP, options(FRAGMENT, 0xc2, 4, 0, 0, 0, 0), fragment(UDP, 8, true, 1), new byte[jumbo - 16]);
        Bytes.put16(b, 4, 0);
        Bytes.put32(b, 44, jumbo);
        assertThat(decode(b)).isEqualTo(DropReason.IP6_BAD_FRAGMENT);
        assertProblem(ERRONEOUS_FIELD, 48);
    }

    @Test
    void theWalkContinuesInAReassembledDatagram() {
        // The reassembled datagram: the IPv6 header, then what followed the fragment header.
        byte[] b = packet(DESTINATION_OPTIONS, options(TCP, 1, 4, 0, 0, 0, 0), bytes(20));
        assertThat(decode(b)).isNull();
        assertThat(Ip6Header.walk(DESTINATION_OPTIONS, 6, b, 40, 28, p, Ip6OptionLimits.LINUX)).isNull();
        assertThat(p.protocol).isEqualTo(TCP);
        assertThat(p.payloadOffset).isEqualTo(48);
        assertThat(p.payloadLength).isEqualTo(20);
        assertThat(p.nextHeaderPointer).isEqualTo(40);

        byte[] nested = packet(FRAGMENT, fragment(TCP, 0, false, 1), bytes(20));
        assertThat(Ip6Header.walk(FRAGMENT, 6, nested, 40, 28, p, Ip6OptionLimits.LINUX)).isEqualTo(DropReason.IP6_BAD_FRAGMENT);
        assertProblem(ERRONEOUS_FIELD, 40);
        assertThat(Ip6Header.walk(HOP_BY_HOP, 6, nested, 40, 28, p, Ip6OptionLimits.LINUX)).isEqualTo(DropReason.IP6_HOP_BY_HOP_NOT_FIRST);
        assertProblem(UNRECOGNIZED_NEXT_HEADER, 6);
    }

    @Test
    void aDropKeepsTheWholePacketForTheErrorToQuote() {
        byte[] b = packet(ROUTING, routing(TCP, 0, 1), bytes(20));
        byte[] padded = java.util.Arrays.copyOf(b, b.length + 4);
        assertThat(Ip6Header.decode(padded, 0, padded.length, p)).isEqualTo(DropReason.IP6_SOURCE_ROUTE);
        assertThat(p.packetLength()).isEqualTo(b.length);
    }

    private DropReason decode(byte[] b) { return Ip6Header.decode(b, 0, b.length, p); }

    private void assertProblem(int code, int pointer) {
        assertThat(p.problemCode).isEqualTo(code);
        assertThat(p.problemPointer).isEqualTo(pointer);
    }
}
