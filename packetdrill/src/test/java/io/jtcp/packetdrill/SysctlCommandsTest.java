package io.jtcp.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.config.BufferSizes;
import io.jtcp.config.Sysctls;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SysctlCommandsTest {
    @Test
    void bufferTriplesKeepAllThreeNumbersWithTheShellsArithmetic() throws Exception {
        Sysctls s = SysctlCommands.apply("sysctl -q net.ipv4.tcp_rmem=\"4096 540000 $((15*1024*1024))\"",
                Path.of("."), Sysctls.linux());
        assertThat(s.tcpRmem()).isEqualTo(new BufferSizes(4096, 540_000, 15 * 1024 * 1024));
        s = SysctlCommands.apply("sysctl -q net.ipv4.tcp_wmem=\"4096 $((256*1024)) 4194304\"", Path.of("."), s);
        assertThat(s.tcpWmem()).isEqualTo(new BufferSizes(4096, 262_144, 4_194_304));
    }

    @Test
    void coreBufferLimitsAndAutotuningAreModelled() throws Exception {
        Sysctls s = SysctlCommands.apply("sysctl -q net.core.rmem_max=1000000; sysctl -q net.ipv4.tcp_moderate_rcvbuf=0",
                Path.of("."), Sysctls.linux());
        assertThat(s.rmemMax()).isEqualTo(1_000_000);
        assertThat(s.tcpModerateRcvbuf()).isFalse();
    }
}
