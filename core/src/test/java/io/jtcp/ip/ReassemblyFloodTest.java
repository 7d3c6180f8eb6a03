package io.jtcp.ip;

import io.jtcp.config.IpSysctl;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static io.jtcp.ip.Datagrams.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile flood of fragments that never complete: the charge stays under the high
 * threshold after every fragment, the queues held stay bounded by it, and once the flood
 * has timed out a legitimate datagram reassembles again.
 */
class ReassemblyFloodTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int FLOOD = 100_000;

    @Test
    void ipv4FloodStaysUnderIpfragHighThresh() {
        flood(4, IpSysctl.IPFRAG_HIGH_THRESH, 30);
    }

    @Test
    void ipv6FloodStaysUnderIp6fragHighThresh() {
        flood(6, IpSysctl.IP6FRAG_HIGH_THRESH, 60);
    }

    private static void flood(int version, IpSysctl highThresh, int lifetimeSeconds) {
        Sysctls sysctls = Sysctls.linux();
        Reassembly reassembly = new Reassembly(() -> sysctls);
        long high = sysctls.ip(highThresh);
        long mostQueues = high / (FragmentQueues.QUEUE_COST + FragmentQueues.FRAGMENT_COST + 8);
        Random random = new Random(7);
        byte[] buf = new byte[48 + 1480];
        IpPacket f = new IpPacket();
        IpPacket whole = new IpPacket();
        long now = SECOND;
        int refused = 0, largestQueueCount = 0;
        for (int i = 0; i < FLOOD; i++, now += 1000) {
            f.version = version;
            f.src = version == 6 ? IpAddress.v6(0x20010db8_00000000L, i) : IpAddress.v4(0x0a000000 + i);
            f.dst = version == 6 ? DST6 : DST4;
            f.protocol = Checksum.PROTO_UDP;
            f.buf = buf;
            f.headerOffset = 0;
            f.payloadOffset = version == 6 ? 48 : 20;
            f.payloadLength = 8 * (1 + random.nextInt(185));
            f.fragment = f.moreFragments = true;
            f.fragmentId = random.nextInt();
            f.fragmentOffset = random.nextInt(4) == 0 ? 0 : 8 * random.nextInt(7000);

            Reassembly.Result result = reassembly.add(f, now, whole);
            if (result == Reassembly.Result.DROPPED) {
                assertThat(reassembly.dropReason()).isEqualTo(DropReason.FRAG_MEMORY_LIMIT);
                refused++;
            } else {
                assertThat(result).isEqualTo(Reassembly.Result.HELD);
            }
            assertThat(reassembly.memory(version)).isLessThanOrEqualTo(high);
            largestQueueCount = Math.max(largestQueueCount, reassembly.queues(version));
        }
        assertThat(largestQueueCount).isLessThanOrEqualTo((int) mostQueues).isGreaterThan(0);
        assertThat(refused).as("the flood reached the threshold").isGreaterThan(FLOOD / 2);

        int[] quoted = {0};
        int held = reassembly.queues(version);
        int expired = reassembly.expire(now + lifetimeSeconds * SECOND, p -> quoted[0]++);
        assertThat(expired).isEqualTo(held);
        assertThat(quoted[0]).isPositive().isLessThan(held);
        assertThat(reassembly.memory(version)).isZero();
        assertThat(reassembly.queues(version)).isZero();

        byte[] datagram = version == 6 ? v6(payload(5000, 1)) : v4(99, payload(5000, 1));
        List<byte[]> pieces = fragments(datagram, 1280, 99);
        Reassembly.Result last = null;
        for (byte[] piece : pieces) last = reassembly.add(decode(piece), now + lifetimeSeconds * SECOND, whole);
        assertThat(last).isEqualTo(Reassembly.Result.COMPLETE);
        assertThat(whole.buf).isEqualTo(datagram);
    }
}
