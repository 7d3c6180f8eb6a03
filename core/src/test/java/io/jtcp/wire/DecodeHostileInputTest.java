package io.jtcp.wire;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every byte from the network is hostile: decode answers with a segment or a reason, and never throws. */
class DecodeHostileInputTest {
    /** The decoders' reasons: IPv4's, IPv6's (which walks extension headers too) and TCP's; none of the host's. */
    private static final List<DropReason> DECODING_REASONS = java.util.stream.Stream.concat(
            java.util.Arrays.stream(DropReason.values()).filter(r -> r.name().startsWith("IP6_")),
            java.util.stream.Stream.of(
                    DropReason.IP_TRUNCATED, DropReason.IP_BAD_VERSION, DropReason.IP_BAD_HEADER_LENGTH,
                    DropReason.IP_BAD_CHECKSUM, DropReason.IP_BAD_OPTION, DropReason.IP_SOURCE_ROUTE,
                    DropReason.IP_FRAGMENT, DropReason.IP_NOT_TCP,
                    DropReason.TCP_TRUNCATED, DropReason.TCP_BAD_DATA_OFFSET, DropReason.TCP_BAD_CHECKSUM)).toList();

    @Provide
    Arbitrary<Segment> segments() { return SegmentArbitraries.segments(); }

    @Property(tries = 2000)
    void randomBytesNeverThrow(@ForAll @Size(max = 120) byte[] bytes,
                               @ForAll @IntRange(min = -4, max = 130) int off, @ForAll @IntRange(min = -4, max = 130) int len) {
        decodesOrNamesAReason(bytes, 0, bytes.length);
        decodesOrNamesAReason(bytes, off, len);
    }

    @Property(tries = 2000)
    void randomBytesThatLookLikeIpv4WithValidChecksumsNeverThrow(@ForAll @Size(min = 20, max = 120) byte[] bytes,
                                                                 @ForAll @IntRange(min = 5, max = 15) int ihl) {
        bytes[0] = (byte) (0x40 | ihl);
        bytes[9] = 6;
        bytes[6] &= 0x40; // no fragment bits
        bytes[7] = 0;
        Packets.fixChecksums(bytes);
        decodesOrNamesAReason(bytes, 0, bytes.length);
    }

    @Property(tries = 1000)
    void mutatedValidPacketsNeverThrow(@ForAll("segments") Segment s,
                                       @ForAll @Size(max = 6) List<@IntRange(max = 2000) Integer> positions,
                                       @ForAll byte value,
                                       @ForAll boolean refixChecksums) {
        byte[] p = Seg.encode(s);
        for (int pos : positions) p[pos % p.length] ^= (byte) (value | 1);
        // With checksums repaired, the damage reaches the TCP header and option parsing.
        if (refixChecksums) Packets.fixChecksums(p);
        decodesOrNamesAReason(p, 0, p.length);
    }

    @Property(tries = 1000)
    void truncatedValidPacketsAreRefusedNotThrown(@ForAll("segments") Segment s, @ForAll @IntRange(max = 2000) int cut) {
        byte[] p = Seg.encode(s);
        int len = cut % p.length; // strictly shorter than the packet
        assertThat(PacketCodec.decode(p, 0, len, new Segment())).isNotNull();
        assertThat(PacketCodec.decode(Arrays.copyOf(p, len), 0, len, new Segment())).isNotNull();
    }

    @Property(tries = 500)
    void garbageOptionBytesWithCorrectChecksumsNeverThrow(@ForAll("segments") Segment s,
                                                          @ForAll @Size(max = 40) byte[] options) {
        byte[] raw = Arrays.copyOf(options, options.length / 4 * 4);
        decodesOrNamesAReason(Packets.withRawTcpOptions(s, raw), 0, 40 + raw.length + s.payloadLength);
    }

    private static void decodesOrNamesAReason(byte[] p, int off, int len) {
        Segment into = new Segment();
        DropReason reason = PacketCodec.decode(p, off, len, into); // must not throw
        if (reason == null) {
            assertThat(into.payloadOffset).isBetween(off, off + len);
            assertThat(into.payloadOffset + into.payloadLength).isLessThanOrEqualTo(off + len);
            assertThat(into.sackCount).isBetween(0, Segment.MAX_SACK_BLOCKS);
            assertThat(into.windowScale).isLessThanOrEqualTo(14);
        } else {
            assertThat(reason).as("a decoding reason").isIn(DECODING_REASONS);
        }
    }
}
