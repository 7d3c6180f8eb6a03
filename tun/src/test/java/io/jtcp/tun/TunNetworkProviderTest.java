package io.jtcp.tun;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.net.JtcpNetwork;
import org.junit.jupiter.api.Test;

/** {@code -Djtcp.network=tun} finds jtcp-tun's provider once the artifact is on the class path. */
class TunNetworkProviderTest {
    @Test
    void theTunNetworkIsFoundByName() {
        assertThat(JtcpNetwork.provider("tun")).isInstanceOf(TunNetworkProvider.class);
        assertThat(JtcpNetwork.provider("memory").name()).isEqualTo("memory");
    }
}
