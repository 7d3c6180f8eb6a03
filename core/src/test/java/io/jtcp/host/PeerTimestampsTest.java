package io.jtcp.host;

import io.jtcp.wire.IpAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** tcp_tw_recycle's per-host timestamp memory: Linux 4.11's tcp_remember_stamp and tcp_peer_is_proven. */
class PeerTimestampsTest {
    private static final long S = 1_000_000_000L;
    private static final IpAddress PEER = IpAddress.v4(0x0A000001), OTHER = IpAddress.v4(0x0A000002);

    @Test
    void aSynFromARememberedHostIsRejectedOnlyWhenItsClockIsBehindByMoreThanTheWindow() {
        PeerTimestamps p = new PeerTimestamps(8);
        p.remember(PEER, 1000, 10 * S, 10 * S);
        assertThat(p.rejects(PEER, true, 998, 11 * S)).as("two ticks behind").isTrue();
        assertThat(p.rejects(PEER, true, 999, 11 * S)).as("one tick behind: TCP_PAWS_WINDOW").isFalse();
        assertThat(p.rejects(PEER, true, 5000, 11 * S)).as("ahead").isFalse();
        assertThat(p.rejects(PEER, false, 0, 11 * S)).as("no timestamp at all").isTrue();
        assertThat(p.rejects(OTHER, true, 0, 11 * S)).as("a host never remembered").isFalse();
    }

    @Test
    void theStampIsTrustedForSixtySecondsCountedInWholeSeconds() {
        PeerTimestamps p = new PeerTimestamps(8);
        p.remember(PEER, 1000, 10 * S + S / 2, 11 * S);
        assertThat(p.rejects(PEER, true, 0, 69 * S + S - 1)).as("69.999 s - 10 s = 59 whole seconds").isTrue();
        assertThat(p.rejects(PEER, true, 0, 70 * S)).isFalse();
    }

    @Test
    void comparisonsWrapAroundThe32BitClock() {
        PeerTimestamps p = new PeerTimestamps(8);
        p.remember(PEER, 0x7FFF_FFF0, 0, 0);
        assertThat(p.rejects(PEER, true, 0x8000_0010, S)).as("just past the wrap is ahead").isFalse();
        assertThat(p.rejects(PEER, true, 0x7FFF_0000, S)).isTrue();
    }

    @Test
    void anOlderStampReplacesTheRememberedOneOnlyOnceThatIsPastSixtySeconds() {
        PeerTimestamps p = new PeerTimestamps(8);
        p.remember(PEER, 1000, 0, 0);
        p.remember(PEER, 500, 30 * S, 30 * S);
        assertThat(p.stamp(PEER).tsVal()).as("fresh and newer: kept").isEqualTo(1000);
        p.remember(PEER, 2000, 40 * S, 40 * S);
        assertThat(p.stamp(PEER)).isEqualTo(new PeerTimestamps.Stamp(2000, 40));
        p.remember(PEER, 500, 101 * S, 101 * S);
        assertThat(p.stamp(PEER)).as("61 s old: an older clock may take over").isEqualTo(new PeerTimestamps.Stamp(500, 101));
    }

    @Test
    void pastItsCapacityTheHostUpdatedLeastRecentlyIsForgotten() {
        PeerTimestamps p = new PeerTimestamps(2);
        p.remember(IpAddress.v4(1), 10, 0, 0);
        p.remember(IpAddress.v4(2), 10, 0, 0);
        p.remember(IpAddress.v4(1), 20, S, S);
        p.remember(IpAddress.v4(3), 10, 2 * S, 2 * S);
        assertThat(p.size()).isEqualTo(2);
        assertThat(p.stamp(IpAddress.v4(2))).isNull();
        assertThat(p.stamp(IpAddress.v4(1))).isNotNull();
        assertThat(p.stamp(IpAddress.v4(3))).isNotNull();
    }
}
