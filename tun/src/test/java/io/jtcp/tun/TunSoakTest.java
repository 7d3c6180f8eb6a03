package io.jtcp.tun;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel soak at CI size: a bounded count of connections (300, or -Djtcp.soak.tun.connections),
 * 16 at a time, every byte checked at both ends, and jtcp's tables empty afterwards. The
 * time bound is only a backstop; `./jtcp soak tun --minutes 10` is the long run, and it
 * reports the retained heap, which is not asserted here (it depends on the collector).
 */
@Tag("soak")
class TunSoakTest {
    @Test
    void thousandsOfKernelConnectionsLeaveNothingBehind() throws Exception {
        KernelPeer.assumeKernel();
        long count = Long.getLong("jtcp.soak.tun.connections", 300);
        TunSoak.Result r = TunSoak.run(new TunSoak.Config(16, count, Duration.ofMinutes(5)));
        System.out.println(r.summary());

        assertThat(r.failures()).as(String.join("\n", r.firstFailures())).isZero();
        assertThat(r.connections()).isEqualTo(count);
        assertThat(r.connectionsLeft()).isZero();
        assertThat(r.timeWaitLeft()).isZero();
        assertThat(r.portsLeft()).isZero();
    }
}
