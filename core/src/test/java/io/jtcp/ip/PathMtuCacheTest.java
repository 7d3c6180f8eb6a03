package io.jtcp.ip;

import io.jtcp.config.IpSysctl;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.IpAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Learned path MTUs in virtual time, with Linux's floors, locks, expiry and bound. */
class PathMtuCacheTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Sysctls LINUX = Sysctls.linux();
    private static final int TCP = Checksum.PROTO_TCP, UDP = Checksum.PROTO_UDP, LINK = 1500;
    private static final IpAddress DST = IpAddress.parse("192.0.2.7"), DST6 = IpAddress.parse("2001:db8::7");

    @Test
    void fragmentationNeededOnlyLowers() {
        PathMtuCache cache = new PathMtuCache();
        assertThat(cache.mtu(DST, LINK, 0)).isEqualTo(LINK);
        assertThat(cache.learn(DST, 1400, TCP, LINK, 0, LINUX)).isEqualTo(1400);
        assertThat(cache.learn(DST, 1450, TCP, LINK, 1, LINUX)).isEqualTo(1400);
        assertThat(cache.learn(DST, 9000, TCP, LINK, 2, LINUX)).isEqualTo(1400);
        assertThat(cache.learn(DST, 1300, TCP, LINK, 3, LINUX)).isEqualTo(1300);
        assertThat(cache.dontFragment(DST, 3, LINUX)).isTrue();
        assertThat(cache.mtu(IpAddress.parse("192.0.2.8"), LINK, 3)).isEqualTo(LINK);
    }

    @Test
    void learnedMtuExpiresAfterMtuExpires() {
        PathMtuCache cache = new PathMtuCache();
        cache.learn(DST, 1400, TCP, LINK, 0, LINUX);
        assertThat(cache.mtu(DST, LINK, 600 * SECOND - 1)).isEqualTo(1400);
        assertThat(cache.mtu(DST, LINK, 600 * SECOND)).isEqualTo(LINK);
        assertThat(cache.size()).isZero();
        Sysctls short10 = LINUX.withIp(IpSysctl.MTU_EXPIRES, 10);
        cache.learn(DST, 1400, TCP, LINK, 0, short10);
        assertThat(cache.mtu(DST, LINK, 10 * SECOND)).isEqualTo(LINK);
    }

    @Test
    void theSameMtuRefreshesOnlyPastHalfItsLife() {
        PathMtuCache cache = new PathMtuCache();
        cache.learn(DST, 1400, TCP, LINK, 0, LINUX);
        cache.learn(DST, 1400, TCP, LINK, 299 * SECOND, LINUX); // not refreshed: still expires at 600 s
        assertThat(cache.mtu(DST, LINK, 600 * SECOND)).isEqualTo(LINK);

        cache.learn(DST, 1400, TCP, LINK, 1000 * SECOND, LINUX);
        cache.learn(DST, 1400, TCP, LINK, 1300 * SECOND, LINUX); // half past: expires at 1900 s now
        assertThat(cache.mtu(DST, LINK, 1899 * SECOND)).isEqualTo(1400);
        assertThat(cache.mtu(DST, LINK, 1900 * SECOND)).isEqualTo(LINK);
    }

    @Test
    void belowMinPmtuLocksAtMinPmtuAndDropsDf() {
        PathMtuCache cache = new PathMtuCache();
        assertThat(cache.learn(DST, 296, TCP, LINK, 0, LINUX)).isEqualTo(552);
        assertThat(cache.dontFragment(DST, 0, LINUX)).isFalse();
        // Locked: neither a lower nor another report changes it until it expires.
        assertThat(cache.learn(DST, 100, TCP, LINK, 1, LINUX)).isEqualTo(552);
        assertThat(cache.learn(DST, 1000, TCP, LINK, 1, LINUX)).isEqualTo(552);
        assertThat(cache.mtu(DST, LINK, 600 * SECOND)).isEqualTo(LINK);
        assertThat(cache.dontFragment(DST, 600 * SECOND, LINUX)).isTrue();
    }

    @Test
    void mtuZeroFromAnOldRouterIsBelowTheFloor() {
        PathMtuCache cache = new PathMtuCache();
        assertThat(cache.learn(DST, 0, TCP, LINK, 0, LINUX)).isEqualTo(552);
        assertThat(cache.dontFragment(DST, 0, LINUX)).isFalse();
        // Below the floor the lower of the current MTU and the floor wins.
        PathMtuCache small = new PathMtuCache();
        assertThat(small.learn(DST, 0, TCP, 500, 0, LINUX)).isEqualTo(500);
    }

    @Test
    void ipNoPmtuDiscModes() {
        PathMtuCache cache = new PathMtuCache();
        Sysctls mode1 = LINUX.withIp(IpSysctl.IP_NO_PMTU_DISC, 1);
        assertThat(cache.dontFragment(DST, 0, mode1)).isFalse();
        // Mode 1 passes every report on as MTU 0: the path locks at min_pmtu.
        assertThat(cache.learn(DST, 1400, TCP, LINK, 0, mode1)).isEqualTo(552);

        Sysctls mode2 = LINUX.withIp(IpSysctl.IP_NO_PMTU_DISC, 2);
        PathMtuCache ignoring = new PathMtuCache();
        assertThat(ignoring.learn(DST, 1400, TCP, LINK, 0, mode2)).isEqualTo(LINK);
        assertThat(ignoring.dontFragment(DST, 0, mode2)).isFalse();

        Sysctls mode3 = LINUX.withIp(IpSysctl.IP_NO_PMTU_DISC, 3);
        PathMtuCache hardened = new PathMtuCache();
        assertThat(hardened.learn(DST, 1400, UDP, LINK, 0, mode3)).isEqualTo(LINK);
        assertThat(hardened.learn(DST, 1400, TCP, LINK, 0, mode3)).isEqualTo(1400);
        assertThat(hardened.dontFragment(DST, 0, mode3)).isTrue();
    }

    @Test
    void ipv6IgnoresReportsBelowTheMinimumMtuAndTakesOnlyLowerOnes() {
        PathMtuCache cache = new PathMtuCache();
        assertThat(cache.learn(DST6, 1400, TCP, LINK, 0, LINUX)).isEqualTo(1400);
        assertThat(cache.learn(DST6, 1000, UDP, LINK, 0, LINUX)).isEqualTo(1400);
        assertThat(cache.learn(DST6, 0, TCP, LINK, 0, LINUX)).isEqualTo(1400);
        assertThat(cache.learn(DST6, 1280, UDP, LINK, 0, LINUX)).isEqualTo(1280);
        assertThat(cache.learn(DST6, 1300, UDP, LINK, 0, LINUX)).isEqualTo(1280);
        assertThat(cache.dontFragment(DST6, 0, LINUX)).isTrue();
        // ip_no_pmtu_disc is IPv4's: IPv6 path MTU discovery is not optional.
        PathMtuCache mode2 = new PathMtuCache();
        assertThat(mode2.learn(DST6, 1400, UDP, LINK, 0, LINUX.withIp(IpSysctl.IP_NO_PMTU_DISC, 2))).isEqualTo(1400);
        // An equal report does not refresh the expiry.
        PathMtuCache equal = new PathMtuCache();
        equal.learn(DST6, 1400, TCP, LINK, 0, LINUX);
        equal.learn(DST6, 1400, TCP, LINK, 500 * SECOND, LINUX);
        assertThat(equal.mtu(DST6, LINK, 600 * SECOND)).isEqualTo(LINK);
        Sysctls short20 = LINUX.withIp(IpSysctl.IPV6_MTU_EXPIRES, 20);
        equal.learn(DST6, 1400, TCP, LINK, 1000 * SECOND, short20);
        assertThat(equal.mtu(DST6, LINK, 1019 * SECOND)).isEqualTo(1400);
        assertThat(equal.mtu(DST6, LINK, 1020 * SECOND)).isEqualTo(LINK);
    }

    @Test
    void aSmallerLinkMtuStillWins() {
        PathMtuCache cache = new PathMtuCache();
        cache.learn(DST, 1400, TCP, LINK, 0, LINUX);
        assertThat(cache.mtu(DST, 1280, 0)).isEqualTo(1280);
    }

    @Test
    void spoofedReportsForManyDestinationsCannotGrowTheCacheBeyondItsBound() {
        PathMtuCache cache = new PathMtuCache(16);
        for (int i = 0; i < 100_000; i++) cache.learn(IpAddress.v4(0x0a000000 | i), 1400, TCP, LINK, i, LINUX);
        assertThat(cache.size()).isEqualTo(16);
        // The newest survive, the oldest were evicted.
        assertThat(cache.mtu(IpAddress.v4(0x0a000000 | 99_999), LINK, 100_000)).isEqualTo(1400);
        assertThat(cache.mtu(IpAddress.v4(0x0a000000), LINK, 100_000)).isEqualTo(LINK);
    }
}
