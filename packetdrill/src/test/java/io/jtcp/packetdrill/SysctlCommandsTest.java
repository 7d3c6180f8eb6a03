package io.jtcp.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtcp.config.BufferSizes;
import io.jtcp.config.Sysctls;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlCommandsTest {
    @TempDir
    Path dir;

    @Test
    void evaluatesShellArithmeticInAShellScriptsValues() throws Exception {
        Files.writeString(dir.resolve("defaults.sh"), """
                ip tcp_metrics flush all > /dev/null 2>&1
                sysctl -q net.ipv4.tcp_wmem="4096 $((256*1024)) 4194304"
                sysctl -q net.ipv4.tcp_early_retrans=4 net.ipv4.tcp_sack=0
                """);
        Sysctls s = SysctlCommands.apply("./defaults.sh", dir, Sysctls.linux());
        assertThat(s.tcpWmem()).isEqualTo(new BufferSizes(4096, 262_144, 4_194_304));
        assertThat(s.tcpSack()).isFalse();
    }

    @Test
    void setSysctlsPyArgumentsAreProcPathsWithValues() throws Exception {
        Sysctls s = SysctlCommands.apply("../common/set_sysctls.py /proc/sys/net/ipv4/tcp_timestamps=0 \\\n"
                + "    /proc/sys/net/ipv4/tcp_sack=0", dir, Sysctls.linux());
        assertThat(s.tcpTimestamps()).isFalse();
        assertThat(s.tcpSack()).isFalse();
    }

    @Test
    void aShellCommentEndsTheCommand() throws Exception {
        Sysctls s = SysctlCommands.apply("sysctl -q net.ipv4.tcp_sack=0    # no SACK, so=1 is not read", dir, Sysctls.linux());
        assertThat(s.tcpSack()).isFalse();
    }

    @Test
    void restoreScriptsOffloadsAndMetricsFlushChangeNothing() throws Exception {
        Sysctls before = Sysctls.linux();
        Sysctls after = SysctlCommands.apply("/tmp/sysctl_restore_${PPID}.sh\nethtool -K tun0 tso off gso off\n"
                + "ip tcp_metrics flush all > /dev/null 2>&1\nnstat > /dev/null\nnstat -n", dir, before);
        assertThat(after).isEqualTo(before);
    }

    @Test
    void nstatThatReadsCountersIsUnsupported() {
        // A pipe into grep checks a counter: that is a check jtcp's runner cannot make, not a no-op.
        assertThatThrownBy(() -> SysctlCommands.apply("nstat | grep TcpExtTCPFastOpenActive", dir, Sysctls.linux()))
                .isInstanceOf(UnsupportedFeature.class).hasMessageContaining("nstat");
    }

    @Test
    void otherCommandsAreUnsupportedByName() {
        assertThatThrownBy(() -> SysctlCommands.apply("tc qdisc replace dev tun0 root fq", dir, Sysctls.linux()))
                .isInstanceOf(UnsupportedFeature.class).hasMessageContaining("tc qdisc");
        assertThatThrownBy(() -> SysctlCommands.apply("ethtool -G tun0 rx 4", dir, Sysctls.linux()))
                .isInstanceOf(UnsupportedFeature.class);
    }

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

    @Test
    void severalQuotedPairsInOneCommandAndModelledListenerSysctls() throws Exception {
        Sysctls s = SysctlCommands.apply("sysctl -q net.ipv4.tcp_abort_on_overflow=1 net.ipv4.tcp_app_win=0 "
                + "net.ipv4.ip_local_port_range=\"40000 40010\"", dir, Sysctls.linux());
        assertThat(s.tcpAbortOnOverflow()).isTrue();
        assertThat(s.tcpAppWin()).isZero();
        assertThat(s.ipLocalPortRangeLow()).isEqualTo(40_000);
        assertThat(s.ipLocalPortRangeHigh()).isEqualTo(40_010);
    }
}
