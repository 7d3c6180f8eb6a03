package io.jtcp.ip;

import io.jtcp.config.IpSysctl;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.IpPacket;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

import static io.jtcp.ip.Datagrams.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever mix of overlaps, duplicates, bad ends, completions and refusals a stream of
 * fragments brings, the charge never passes the threshold and returns to zero once every
 * queue has gone: no path forgets to give back what it took.
 */
class ReassemblyAccountingTest {
    private static final long SECOND = 1_000_000_000L;

    @Property(tries = 200)
    void chargeStaysUnderTheThresholdAndReturnsToZero(@ForAll long seed, @ForAll @IntRange(min = 600, max = 20_000) int highThresh) {
        Sysctls sysctls = Sysctls.linux().withIp(IpSysctl.IPFRAG_HIGH_THRESH, highThresh).withIp(IpSysctl.IP6FRAG_HIGH_THRESH, highThresh);
        Reassembly reassembly = new Reassembly(() -> sysctls);
        IpPacket whole = new IpPacket();
        Random random = new Random(seed);
        long now = SECOND;
        for (int i = 0; i < 300; i++, now += SECOND / 10) {
            int version = random.nextBoolean() ? 4 : 6;
            int offset = 8 * random.nextInt(12);
            int length = version == 6 || random.nextBoolean() ? 8 * (1 + random.nextInt(4)) : 1 + random.nextInt(40);
            boolean more = random.nextInt(3) > 0;
            byte[] bytes = payload(length, i);
            IpPacket f = version == 6 ? fragment6(random.nextInt(4), offset, more, bytes) : fragment4(random.nextInt(4), offset, more, bytes);
            reassembly.add(f, now, whole);
            assertThat(reassembly.memory(version)).isLessThanOrEqualTo(highThresh);
            if (random.nextInt(50) == 0) reassembly.expire(now, p -> { });
        }
        reassembly.expire(now + 60 * SECOND, p -> { });
        assertThat(reassembly.memory(4)).isZero();
        assertThat(reassembly.memory(6)).isZero();
        assertThat(reassembly.queues(4) + reassembly.queues(6)).isZero();
        assertThat(reassembly.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }
}
