package io.jtcp.ip;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpPacket;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.jtcp.ip.Datagrams.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the order and however many duplicates, the fragments Fragmenter makes reassemble into the datagram sent. */
class FragmentRoundTripTest {
    @Property(tries = 300)
    void fragmentsReassembleInAnyOrderWithDuplicates(@ForAll @IntRange(min = 1, max = 9000) int length,
                                                     @ForAll @IntRange(min = 68, max = 1500) int mtu,
                                                     @ForAll boolean v6, @ForAll boolean hopByHop, @ForAll long seed) {
        byte[] datagram = v6 ? v6(17, 0, hopByHop, payload(length, seed)) : v4((int) seed & 0xffff, payload(length, seed));
        List<byte[]> pieces = fragments(datagram, mtu, (int) seed);
        Assume.that(pieces.size() > 1);

        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            order.add(i);
            if (random.nextInt(3) == 0) order.add(i);
        }
        Collections.shuffle(order, random);

        Reassembly reassembly = new Reassembly(Sysctls::linux);
        IpPacket whole = new IpPacket();
        Set<Integer> seen = new HashSet<>();
        long now = 1;
        for (int i : order) {
            boolean fresh = seen.add(i);
            Reassembly.Result result = reassembly.add(decode(pieces.get(i)), now++, whole);
            if (seen.size() == pieces.size() && fresh) {
                assertThat(result).isEqualTo(Reassembly.Result.COMPLETE);
                break;
            }
            if (fresh) {
                assertThat(result).isEqualTo(Reassembly.Result.HELD);
            } else {
                assertThat(result).isEqualTo(Reassembly.Result.DROPPED);
                assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_DUPLICATE);
            }
        }
        assertThat(whole.buf).isEqualTo(datagram);
        assertThat(reassembly.queues(v6 ? 6 : 4)).isZero();
        assertThat(reassembly.memory(v6 ? 6 : 4)).isZero();
    }
}
