package io.jtcp.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** tcp_congestion_control: cubic by default, as on Linux; reno on request. */
class SysctlsCongestionControlTest {
    @Test
    void linuxDefaultsToCubic() {
        assertThat(Sysctls.linux().tcpCongestionControl()).isEqualTo(CongestionAlgorithm.CUBIC);
        assertThat(Sysctls.linux().asMap()).containsEntry("tcp_congestion_control", "cubic");
    }

    @Test
    void renoAndCubicAreAvailableByTheirLinuxNames() {
        assertThat(CongestionAlgorithm.available()).isEqualTo("reno cubic");
        assertThat(Sysctls.linux().set("net.ipv4.tcp_congestion_control", "reno").tcpCongestionControl())
                .isEqualTo(CongestionAlgorithm.RENO);
        assertThatThrownBy(() -> Sysctls.linux().set("tcp_congestion_control", "bbr"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reno cubic");
    }
}
