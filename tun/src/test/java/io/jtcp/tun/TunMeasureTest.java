package io.jtcp.tun;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A short pass through every measurement behind {@code jtcp bench tun}; the figures themselves are not checked. */
class TunMeasureTest {
    @ParameterizedTest(name = "{0} shards")
    @ValueSource(ints = {1, 2})
    void everyMeasurementRunsAndTheNamespaceGoes(int shards) throws Exception {
        KernelPeer.assumeKernel();
        assertThat(TunMeasure.largestMtu()).isGreaterThanOrEqualTo(1500);
        String ns;
        try (TunMeasure m = TunMeasure.open(1500, shards)) {
            ns = m.namespace();
            assertThat(m.shards()).isEqualTo(shards);
            assertThat(NetNs.live()).contains(ns);
            long bytes = 4L << 20;
            assertThat(m.kernelToJtcp(bytes)).isPositive();
            assertThat(m.jtcpToKernel(bytes)).isPositive();
            assertThat(m.loopback(bytes)).isPositive();
            assertThat(m.connectionsToJtcp(200_000_000L)).isPositive();
            assertThat(m.connectionsOnLoopback(200_000_000L)).isPositive();
            assertThat(m.kernelToJtcp(bytes)).as("a second transfer on the same world").isPositive();
            assertThat(m.failures()).isEmpty();
        }
        assertThat(NetNs.live()).doesNotContain(ns);
        assertThat(Ip.run("ip", "netns", "list")).doesNotContain(ns);
    }
}
