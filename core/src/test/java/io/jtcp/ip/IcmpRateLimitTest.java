package io.jtcp.ip;

import io.jtcp.config.IpSysctl;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.Icmp;
import io.jtcp.wire.IpAddress;
import org.junit.jupiter.api.Test;

import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/** Linux's global and per-destination ICMP limits, in virtual time. */
class IcmpRateLimitTest {
    private static final long MS = 1_000_000L, SECOND = 1000 * MS;
    private static final Sysctls LINUX = Sysctls.linux();
    /** Plenty of global credit, so only the per-destination bucket decides. */
    private static final Sysctls GLOBAL_UNLIMITED = LINUX.withIp(IpSysctl.ICMP_MSGS_BURST, 1_000_000)
            .withIp(IpSysctl.ICMP_MSGS_PER_SEC, 1_000_000);
    private static final int UNREACH = Icmp.V4_DEST_UNREACHABLE, PORT = Icmp.V4_PORT_UNREACHABLE;

    /** icmp_global_consume's random draw fixed at {@code cost}. */
    private static RandomGenerator cost(int cost) {
        return new RandomGenerator() {
            @Override public long nextLong() { throw new AssertionError("only nextInt(3) is used"); }
            @Override public int nextInt(int bound) {
                assertThat(bound).isEqualTo(3);
                return cost;
            }
        };
    }

    private static IpAddress host(int i) { return IpAddress.v4(0x0a000000 | i); }

    private static IpAddress host6(int i) { return IpAddress.v6(0xfd00L << 48, i); }

    private static int allowedToDistinctHosts(IcmpRateLimit limit, int tries, long now, Sysctls s) {
        int allowed = 0;
        for (int i = 0; i < tries; i++) if (limit.allow(host(i), UNREACH, PORT, 32, false, now, s)) allowed++;
        return allowed;
    }

    @Test
    void globalBurstThenRefillNoSoonerThan20ms() {
        IcmpRateLimit limit = new IcmpRateLimit(cost(1), 100_000);
        assertThat(allowedToDistinctHosts(limit, 80, 0, LINUX)).isEqualTo(50);
        assertThat(limit.counters().get("IcmpOutRateLimitGlobal")).isEqualTo(30L);
        // 19 ms later the bucket may not refill yet; at 20 ms it gets 1000/s * 20 ms = 20 credits.
        assertThat(allowedToDistinctHosts(limit, 5, 19 * MS, LINUX)).isZero();
        assertThat(allowedToDistinctHosts(limit, 40, 20 * MS, LINUX)).isEqualTo(20);
        // A long pause refills only up to the burst.
        assertThat(allowedToDistinctHosts(limit, 200, 10 * SECOND, LINUX)).isEqualTo(50);
    }

    @Test
    void globalCostIsDrawnPerMessage() {
        assertThat(allowedToDistinctHosts(new IcmpRateLimit(cost(2), 100_000), 80, 0, LINUX)).isEqualTo(25);
        // A draw of 0 costs nothing: the burst never runs out.
        assertThat(allowedToDistinctHosts(new IcmpRateLimit(cost(0), 100_000), 500, 0, LINUX)).isEqualTo(500);
    }

    @Test
    void globalBucketIsSharedByBothFamilies() {
        IcmpRateLimit limit = new IcmpRateLimit(cost(1), 100_000);
        int allowed = 0;
        for (int i = 0; i < 30; i++) if (limit.allow(host(i), UNREACH, PORT, 32, false, 0, LINUX)) allowed++;
        for (int i = 0; i < 30; i++) if (limit.allow(host6(i), Icmp.V6_DEST_UNREACHABLE, 4, 128, false, 0, LINUX)) allowed++;
        assertThat(allowed).isEqualTo(50);
        // icmpv6_global_allow counts in the ICMP MIB's counter.
        assertThat(limit.counters().get("IcmpOutRateLimitGlobal")).isEqualTo(10L);
    }

    @Test
    void echoRepliesAndFragmentationNeededAreNeverLimitedNorConsumeCredit() {
        IcmpRateLimit limit = new IcmpRateLimit(cost(1), 100_000);
        IpAddress one = host(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(limit.allow(one, Icmp.V4_ECHO_REPLY, 0, 32, false, 0, LINUX)).isTrue();
            assertThat(limit.allow(one, UNREACH, Icmp.V4_FRAGMENTATION_NEEDED, 32, false, 0, LINUX)).isTrue();
            assertThat(limit.allow(host6(1), Icmp.V6_ECHO_REPLY, 0, 128, false, 0, LINUX)).isTrue();
            assertThat(limit.allow(host6(1), Icmp.V6_PACKET_TOO_BIG, 0, 128, false, 0, LINUX)).isTrue();
        }
        assertThat(limit.peerCount()).isZero();
        assertThat(allowedToDistinctHosts(limit, 80, 0, LINUX)).isEqualTo(50);
    }

    @Test
    void ratemaskSelectsTheLimitedTypes() {
        IcmpRateLimit limit = new IcmpRateLimit(cost(1), 100_000);
        Sysctls noMask = LINUX.withIp(IpSysctl.ICMP_RATEMASK, 0);
        assertThat(allowedToDistinctHosts(limit, 500, 0, noMask)).isEqualTo(500);
        // Time exceeded (bit 11) is in the default mask.
        IcmpRateLimit fresh = new IcmpRateLimit(cost(1), 100_000);
        int allowed = 0;
        for (int i = 0; i < 10; i++) if (fresh.allow(host(1), Icmp.V4_TIME_EXCEEDED, 1, 32, false, 0, GLOBAL_UNLIMITED)) allowed++;
        assertThat(allowed).isEqualTo(6);
    }

    @Test
    void perDestinationBurstOfSixThenOneARatelimit() {
        IcmpRateLimit limit = new IcmpRateLimit(cost(1), 100_000);
        IpAddress one = host(1);
        int allowed = 0;
        for (int i = 0; i < 10; i++) if (limit.allow(one, UNREACH, PORT, 32, false, 0, GLOBAL_UNLIMITED)) allowed++;
        assertThat(allowed).isEqualTo(IcmpRateLimit.XRLIM_BURST_FACTOR);
        assertThat(limit.counters().get("IcmpOutRateLimitHost")).isEqualTo(4L);
        // Another destination has its own bucket.
        assertThat(limit.allow(host(2), UNREACH, PORT, 32, false, 0, GLOBAL_UNLIMITED)).isTrue();
        // 999 ms accrue less than one message's worth; 1000 ms one.
        assertThat(limit.allow(one, UNREACH, PORT, 32, false, 999 * MS, GLOBAL_UNLIMITED)).isFalse();
        assertThat(limit.allow(one, UNREACH, PORT, 32, false, 1000 * MS, GLOBAL_UNLIMITED)).isTrue();
        assertThat(limit.allow(one, UNREACH, PORT, 32, false, 1000 * MS, GLOBAL_UNLIMITED)).isFalse();
        // icmp_ratelimit=0 turns the per-destination limit off.
        Sysctls off = GLOBAL_UNLIMITED.withIp(IpSysctl.ICMP_RATELIMIT, 0);
        for (int i = 0; i < 100; i++) assertThat(limit.allow(one, UNREACH, PORT, 32, false, 1000 * MS, off)).isTrue();
    }

    @Test
    void loopbackSkipsThePerDestinationBucketOnly() {
        IcmpRateLimit limit = new IcmpRateLimit(cost(1), 100_000);
        int allowed = 0;
        for (int i = 0; i < 80; i++) if (limit.allow(IpAddress.LOOPBACK4, UNREACH, PORT, 8, true, 0, LINUX)) allowed++;
        assertThat(allowed).isEqualTo(50);
        assertThat(limit.counters().get("IcmpOutRateLimitHost")).isZero();
    }

    @Test
    void ipv6TimeoutShrinksWithTheRoutePrefix() {
        IcmpRateLimit limit = new IcmpRateLimit(cost(1), 100_000);
        IpAddress viaSlash64 = host6(1), viaHostRoute = host6(2);
        int type = Icmp.V6_DEST_UNREACHABLE;
        for (int i = 0; i < 6; i++) {
            assertThat(limit.allow(viaSlash64, type, 4, 64, false, 0, GLOBAL_UNLIMITED)).isTrue();
            assertThat(limit.allow(viaHostRoute, type, 4, 128, false, 0, GLOBAL_UNLIMITED)).isTrue();
        }
        // A /64 route: 1000 ms >> ((128 - 64) >> 5) = 250 ms a message.
        assertThat(limit.allow(viaSlash64, type, 4, 64, false, 249 * MS, GLOBAL_UNLIMITED)).isFalse();
        assertThat(limit.allow(viaSlash64, type, 4, 64, false, 250 * MS, GLOBAL_UNLIMITED)).isTrue();
        assertThat(limit.allow(viaHostRoute, type, 4, 128, false, 250 * MS, GLOBAL_UNLIMITED)).isFalse();
        assertThat(limit.counters().get("Icmp6OutRateLimitHost")).isEqualTo(2L);
        assertThat(limit.counters().get("IcmpOutRateLimitHost")).isZero();
    }

    @Test
    void spoofedDestinationsCannotGrowThePeerTableBeyondItsBound() {
        IcmpRateLimit limit = new IcmpRateLimit(cost(0), 64);
        for (int i = 0; i < 100_000; i++) limit.allow(host(i), UNREACH, PORT, 32, false, i, GLOBAL_UNLIMITED);
        assertThat(limit.peerCount()).isEqualTo(64);
        // An evicted destination returns with a full burst, as one Linux's inet_peer GC freed does.
        int allowed = 0;
        for (int i = 0; i < 10; i++) if (limit.allow(host(0), UNREACH, PORT, 32, false, 100_000, GLOBAL_UNLIMITED)) allowed++;
        assertThat(allowed).isEqualTo(6);
    }

    @Test
    void sentMessagesAreCountedPerFamily() {
        IcmpRateLimit limit = new IcmpRateLimit(cost(1));
        limit.sent(host(1));
        limit.sent(host(2));
        limit.sent(host6(1));
        assertThat(limit.counters()).containsEntry("IcmpOutMsgs", 2L).containsEntry("Icmp6OutMsgs", 1L);
    }
}
