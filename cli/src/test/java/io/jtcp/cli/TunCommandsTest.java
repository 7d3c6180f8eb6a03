package io.jtcp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** serve's and connect's options: several --addr of both families, and connect's IPv6 target. */
class TunCommandsTest {
    private static <T> T parse(String... args) {
        CommandLine.ParseResult result = Main.commandLine().parseArgs(args);
        return result.subcommand().commandSpec().commandLine().getCommand();
    }

    @Test
    void addrAndKernelAddrRepeatForBothFamilies() {
        ConnectCommand c = parse("connect", "--addr", "10.77.0.2/24", "--addr", "fd77::2/64", "--kernel-addr", "fd77::9", "[fd77::9]:80");
        assertThat(c.tun.addrs).containsExactly("10.77.0.2/24", "fd77::2/64");
        assertThat(c.tun.kernelAddrs).containsExactly("fd77::9");
        assertThat(c.target).isEqualTo("[fd77::9]:80");
        ServeCommand s = parse("serve", "--addr", "fd77::2/64", "--addr", "10.77.0.2/24");
        assertThat(s.tun.addrs).containsExactly("fd77::2/64", "10.77.0.2/24");
        assertThat(s.tun.kernelAddrs).isEmpty();
    }

    @Test
    void anUnbracketedIpv6TargetIsRefusedWithTheBracketedSpelling() {
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true));
        int code = cmd.execute("connect", "--addr", "10.77.0.2/24", "--addr", "fd77::2/64", "fd77::1:80");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("[fd77::1]:80");
    }
}
