package io.jtcp.wire;

import org.junit.jupiter.api.Test;

import static io.jtcp.wire.Ip6Header.DESTINATION_OPTIONS;
import static io.jtcp.wire.Ip6Header.HOP_BY_HOP;
import static io.jtcp.wire.Ip6Packets.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Hop-by-hop and destination options, as Linux's ip6_parse_tlv and its option handlers treat them. */
class Ip6OptionsTest {
    private final IpPacket p = new IpPacket();

    @Test
    void paddingAndRouterAlertAreSkippedToTheUpperLayer() {
        // Two Pad1 and a router alert (value 0): eight bytes with the header's two.
        byte[] b = packet(HOP_BY_HOP, options(TCP, 0, 0, 5, 2, 0, 0), bytes(20));
        assertThat(decode(b)).isNull();
        assertThat(p.protocol).isEqualTo(TCP);
        assertThat(p.payloadOffset).isEqualTo(48);
        assertThat(p.payloadLength).isEqualTo(20);
        assertThat(p.nextHeaderPointer).isEqualTo(40);
    }

    @Test
    void sevenBytesOfPaddingInARowAreTheMost() {
        assertThat(decode(packet(HOP_BY_HOP, options(TCP, 1, 4, 0, 0, 0, 0), bytes(20)))).isNull(); // PadN of 6
        // PadN of 6 and a Pad1 make 7; the next Pad1 is the eighth byte in a row, however an option follows.
        byte[] eight = options(TCP, 1, 4, 0, 0, 0, 0, 0, 0, 0x1e, 4, 0, 0, 0, 0);
        assertThat(decode(packet(HOP_BY_HOP, eight, bytes(20)))).isEqualTo(DropReason.IP6_BAD_OPTION);
        // An option in between starts a new run.
        byte[] split = options(TCP, 1, 4, 0, 0, 0, 0, 0x1e, 0, 1, 4, 0, 0, 0, 0);
        assertThat(decode(packet(HOP_BY_HOP, split, bytes(20)))).isNull();
    }

    @Test
    void padNMustCarryZeros() {
        assertThat(decode(packet(HOP_BY_HOP, options(TCP, 1, 4, 0, 0, 9, 0), bytes(20)))).isEqualTo(DropReason.IP6_BAD_OPTION);
    }

    @Test
    void anOptionRunningPastItsHeaderIsMalformed() {
        assertThat(decode(packet(HOP_BY_HOP, options(TCP, 0x1e, 5, 0, 0, 0, 0), bytes(20)))).isEqualTo(DropReason.IP6_BAD_OPTION);
        // Two bytes left and the last one a type with no length byte after it.
        assertThat(decode(packet(HOP_BY_HOP, options(TCP, 1, 3, 0, 0, 0, 0x1e), bytes(20)))).isEqualTo(DropReason.IP6_BAD_OPTION);
    }

    @Test
    void anUnknownOptionsTopBitsSayWhatToDo() {
        assertThat(decode(unknownOption(HOP_BY_HOP, 0x1e, DST))).isNull();
        assertThat(decode(unknownOption(HOP_BY_HOP, 0x5e, DST))).isEqualTo(DropReason.IP6_UNKNOWN_OPTION);
        assertThat(p.hasProblem()).isFalse();
        assertThat(decode(unknownOption(HOP_BY_HOP, 0x9e, DST))).isEqualTo(DropReason.IP6_UNKNOWN_OPTION);
        assertProblem(Ip6Header.UNRECOGNIZED_OPTION, 42);
        assertThat(decode(unknownOption(HOP_BY_HOP, 0xde, DST))).isEqualTo(DropReason.IP6_UNKNOWN_OPTION);
        assertProblem(Ip6Header.UNRECOGNIZED_OPTION, 42);
    }

    @Test
    void toAMulticastDestinationOnlyTypeTenAsksForAProblemReport() {
        IpAddress group = IpAddress.parse("ff02::1");
        assertThat(decode(unknownOption(HOP_BY_HOP, 0xde, group))).isEqualTo(DropReason.IP6_UNKNOWN_OPTION);
        assertThat(p.hasProblem()).isFalse();
        assertThat(decode(unknownOption(HOP_BY_HOP, 0x9e, group))).isEqualTo(DropReason.IP6_UNKNOWN_OPTION);
        assertProblem(Ip6Header.UNRECOGNIZED_OPTION, 42);
    }

    @Test
    void destinationOptionsFollowTheSameRulesWithPointersIntoTheirHeader() {
        byte[] b = packet(HOP_BY_HOP, options(DESTINATION_OPTIONS, 1, 4, 0, 0, 0, 0),
                options(TCP, 1, 2, 0, 0, 0x9e, 0), bytes(20));
        assertThat(decode(b)).isEqualTo(DropReason.IP6_UNKNOWN_OPTION);
        assertProblem(Ip6Header.UNRECOGNIZED_OPTION, 54);
        assertThat(decode(unknownOption(DESTINATION_OPTIONS, 0x1e, DST))).isNull();
        assertThat(p.nextHeaderPointer).isEqualTo(40);
        // Mobile IPv6's home address option needs a binding this host never has.
        assertThat(decode(unknownOption(DESTINATION_OPTIONS, 0xc9, DST))).isEqualTo(DropReason.IP6_BAD_OPTION);
    }

    @Test
    void moreOptionsThanTheLimitAreDropped() {
        // Nine skippable options of two bytes each, padded to 24 bytes with PadN of 4.
        int[] nine = new int[22];
        for (int i = 0; i < 9; i++) nine[2 * i] = 0x1e;
        nine[18] = 1;
        nine[19] = 2;
        byte[] b = packet(HOP_BY_HOP, options(TCP, nine), bytes(20));
        assertThat(decode(b)).isEqualTo(DropReason.IP6_BAD_OPTION);
        Ip6OptionLimits nineAllowed = new Ip6OptionLimits(9, Integer.MAX_VALUE, 8, Integer.MAX_VALUE);
        assertThat(Ip6Header.decode(b, 0, b.length, p, nineAllowed)).isNull();
        Ip6OptionLimits shortHeaders = new Ip6OptionLimits(9, 16, 8, Integer.MAX_VALUE);
        assertThat(Ip6Header.decode(b, 0, b.length, p, shortHeaders)).isEqualTo(DropReason.IP6_BAD_OPTION);
    }

    @Test
    void aNegativeLimitDropsUnknownOptionsWithoutAProblemReport() {
        Ip6OptionLimits strict = new Ip6OptionLimits(-8, Integer.MAX_VALUE, -8, Integer.MAX_VALUE);
        byte[] b = unknownOption(HOP_BY_HOP, 0x1e, DST);
        assertThat(Ip6Header.decode(b, 0, b.length, p, strict)).isEqualTo(DropReason.IP6_UNKNOWN_OPTION);
        b = unknownOption(DESTINATION_OPTIONS, 0x9e, DST);
        assertThat(Ip6Header.decode(b, 0, b.length, p, strict)).isEqualTo(DropReason.IP6_UNKNOWN_OPTION);
        assertThat(p.hasProblem()).isFalse();
    }

    @Test
    void malformedKnownHopByHopOptionsAreDropped() {
        assertThat(decode(packet(HOP_BY_HOP, options(TCP, 5, 3, 0, 0, 0, 0), bytes(20)))).isEqualTo(DropReason.IP6_BAD_OPTION);
        // CALIPSO is refused with no DOI configured; IOAM must sit at 4n and is otherwise skipped.
        assertThat(decode(packet(HOP_BY_HOP, options(TCP, 7, 4, 0, 0, 0, 0), bytes(20)))).isEqualTo(DropReason.IP6_BAD_OPTION);
        assertThat(decode(packet(HOP_BY_HOP, options(TCP, 0, 0, 0x31, 2, 0, 0), bytes(20)))).isNull();
        assertThat(decode(packet(HOP_BY_HOP, options(TCP, 0x31, 2, 0, 0, 1, 0), bytes(20)))).isEqualTo(DropReason.IP6_BAD_OPTION);
    }

    @Test
    void aJumbogramIsTakenWhenItsOptionIsValid() {
        int jumbo = 70_000;
        byte[] b = packet(HOP_BY_HOP, options(TCP, 0xc2, 4, 0, 0, 0, 0), new byte[jumbo - 8 + 5]);
        Bytes.put16(b, 4, 0);
        Bytes.put32(b, 44, jumbo);
        assertThat(decode(b)).isNull();
        assertThat(p.payloadOffset).isEqualTo(48);
        assertThat(p.payloadLength).isEqualTo(jumbo - 8); // the 5 bytes past the jumbo length are link padding

        Bytes.put32(b, 44, b.length - 40 + 1);
        assertThat(decode(b)).isEqualTo(DropReason.IP6_BAD_OPTION);
    }

    @Test
    void aJumboOptionThatCannotBeOneAsksForAProblemReport() {
        byte[] b = packet(HOP_BY_HOP, options(TCP, 0xc2, 4, 0, 0, 0, 0), bytes(20));
        Bytes.put32(b, 44, 65535);
        assertThat(decode(b)).isEqualTo(DropReason.IP6_BAD_OPTION);
        assertProblem(Ip6Header.ERRONEOUS_FIELD, 44);
        Bytes.put32(b, 44, 70_000); // but the header's own payload length is not zero
        assertThat(decode(b)).isEqualTo(DropReason.IP6_BAD_OPTION);
        assertProblem(Ip6Header.ERRONEOUS_FIELD, 42);
        byte[] misaligned = packet(HOP_BY_HOP, options(TCP, 0, 0xc2, 4, 0, 1, 0x11, 0x70, 0, 0, 0, 1, 2, 0, 0), bytes(20));
        Bytes.put16(misaligned, 4, 0);
        assertThat(decode(misaligned)).isEqualTo(DropReason.IP6_BAD_OPTION);
        assertThat(p.hasProblem()).isFalse();
    }

    @Test
    void aZeroPayloadLengthWithHopByHopButNoJumboOptionKeepsWhatArrived() {
        // ip6_rcv_core trims nothing when the length is 0 and hop-by-hop follows; with no jumbo option it stays so.
        byte[] b = packet(HOP_BY_HOP, options(UDP, 1, 4, 0, 0, 0, 0), bytes(12));
        Bytes.put16(b, 4, 0);
        assertThat(decode(b)).isNull();
        assertThat(p.payloadLength).isEqualTo(12);
    }

    /** A packet whose options header ({@code header}: hop-by-hop or destination) carries one option of {@code type} at byte 42. */
    private static byte[] unknownOption(int header, int type, IpAddress dst) {
        return packet(header, SRC, dst, options(TCP, type, 4, 0, 0, 0, 0), bytes(20));
    }

    private DropReason decode(byte[] b) { return Ip6Header.decode(b, 0, b.length, p); }

    private void assertProblem(int code, int pointer) {
        assertThat(p.problemCode).isEqualTo(code);
        assertThat(p.problemPointer).isEqualTo(pointer);
    }
}
