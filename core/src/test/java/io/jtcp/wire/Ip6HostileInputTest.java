package io.jtcp.wire;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every byte from the network is hostile: the IPv6 decoder answers with a packet or a reason, never an exception. */
class Ip6HostileInputTest {
    private final IpPacket p = new IpPacket();

    @Property(tries = 3000)
    void randomBytesNeverThrow(@ForAll @Size(max = 200) byte[] bytes,
                               @ForAll @IntRange(min = -4, max = 210) int off, @ForAll @IntRange(min = -4, max = 210) int len) {
        decodesWithinTheBuffer(bytes, 0, bytes.length);
        decodesWithinTheBuffer(bytes, off, len);
    }

    /** Bytes shaped like an IPv6 packet whose chain starts with an extension header, so the walk goes deep. */
    @Property(tries = 5000)
    void randomExtensionChainsNeverThrow(@ForAll @Size(min = 40, max = 300) byte[] bytes,
                                         @ForAll("chainStarts") int nextHeader, @ForAll boolean exactLength,
                                         @ForAll("chainStarts") int second, @ForAll @IntRange(max = 3) int secondLength) {
        bytes[0] = (byte) (0x60 | bytes[0] & 0x0f);
        bytes[6] = (byte) nextHeader;
        bytes[8] = bytes[24] = (byte) 0xfd; // unicast addresses, so the walk is reached
        if (exactLength) Bytes.put16(bytes, 4, bytes.length - 40);
        if (bytes.length > 41) {
            bytes[40] = (byte) second;
            bytes[41] = (byte) secondLength;
        }
        decodesWithinTheBuffer(bytes, 0, bytes.length);
    }

    @Property(tries = 2000)
    void theWalkAfterReassemblyNeverThrows(@ForAll @Size(min = 40, max = 200) byte[] bytes,
                                           @ForAll("chainStarts") int nextHeader, @ForAll @IntRange(min = 40, max = 200) int off) {
        Assume.that(off <= bytes.length);
        p.headerOffset = 0;
        p.src = Ip6Packets.SRC;
        p.dst = Ip6Packets.DST;
        DropReason r = Ip6Header.walk(nextHeader, 6, bytes, off, bytes.length - off, p, Ip6OptionLimits.LINUX);
        assertThat(r == null || r.name().startsWith("IP6_")).isTrue();
        if (r == null) assertThat(p.payloadOffset + p.payloadLength).isLessThanOrEqualTo(bytes.length);
    }

    @Property(tries = 2000)
    void aWrittenHeaderDecodesBack(@ForAll("unicast") IpAddress src, @ForAll("unicast") IpAddress dst,
                                   @ForAll @IntRange(max = 255) int trafficClass, @ForAll int flowLabel,
                                   @ForAll @IntRange(max = 300) int payloadLength, @ForAll @IntRange(max = 20) int linkPadding,
                                   @ForAll("upperLayers") int protocol, @ForAll @IntRange(max = 255) int hopLimit,
                                   @ForAll @IntRange(max = 9) int off) {
        byte[] b = new byte[off + 40 + payloadLength + linkPadding];
        Ip6Header.write(b, off, trafficClass, flowLabel, payloadLength, protocol, hopLimit, src, dst);
        assertThat(Ip6Header.decode(b, off, b.length - off, p)).isNull();
        assertThat(p.src).isEqualTo(src);
        assertThat(p.dst).isEqualTo(dst);
        assertThat(p.tos).isEqualTo(trafficClass);
        assertThat(p.ttl).isEqualTo(hopLimit);
        assertThat(p.protocol).isEqualTo(protocol);
        assertThat(p.payloadOffset).isEqualTo(off + 40);
        assertThat(p.payloadLength).isEqualTo(payloadLength);
        assertThat(Bytes.i32(b, off) & 0xfffff).isEqualTo(flowLabel & 0xfffff);
    }

    @Provide
    Arbitrary<Integer> chainStarts() {
        return Arbitraries.oneOf(Arbitraries.of(List.of(0, 43, 44, 59, 60, 6, 17, 58, 51)), Arbitraries.integers().between(0, 255));
    }

    @Provide
    Arbitrary<Integer> upperLayers() {
        return Arbitraries.integers().between(0, 255).filter(n -> n != 0 && n != 43 && n != 44 && n != 59 && n != 60);
    }

    @Provide
    Arbitrary<IpAddress> unicast() {
        return Arbitraries.longs().tuple2().map(t -> IpAddress.v6(t.get1(), t.get2()))
                .filter(a -> a.hi() >>> 56 != 0xff && !a.isV4() && !a.isAny());
    }

    private void decodesWithinTheBuffer(byte[] bytes, int off, int len) {
        DropReason r = Ip6Header.decode(bytes, off, len, p);
        assertThat(r == null || r.name().startsWith("IP6_")).as("reason %s", r).isTrue();
        if (r == null) {
            assertThat(p.payloadOffset).isBetween(off + 40, off + len);
            assertThat(p.payloadOffset + p.payloadLength).isLessThanOrEqualTo(off + len);
        }
        // A pointer may name the byte just past the end: a fragment header that should be there and is not (ipv6_frag_rcv).
        if (p.hasProblem()) assertThat(p.problemPointer).isBetween(0, len);
    }
}
