package io.jtcp.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RunnerTest {
    private static final Path RESOURCES = Path.of("src/test/resources");

    @ParameterizedTest
    @ValueSource(strings = {"passive-open-data.pkt", "active-open-refused.pkt", "blocking-read.pkt"})
    void scriptsThatMatchJtcpPass(String name) {
        Outcome o = Packetdrill.run(RESOURCES.resolve("scripts").resolve(name), new RunnerOptions());
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.PASS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "wrong-ack.pkt|5|error handling packet: live packet field tcp_ack_seq: expected: 2 (0x2) vs actual: 1 (0x1)",
        "late-ack.pkt|9|timing error: expected outbound packet at 0.300000 sec but happened at 0.100000 sec; tolerance 0.004000 sec",
        "unexpected-packet.pkt|10|unexpected outbound packet at 0.100000 sec",
        "wrong-errno.pkt|6|connect: expected result 0 but got -1 with errno 111 (Connection refused)",
    })
    void scriptsThatDisagreeFailAtTheLine(String name, int line, String reason) {
        Outcome o = Packetdrill.run(RESOURCES.resolve("failing").resolve(name), new RunnerOptions());
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.FAIL);
        assertThat(o.line()).isEqualTo(line);
        assertThat(o.reason()).startsWith(reason);
    }

    @org.junit.jupiter.api.Test
    void missingFeaturesAreUnsupportedAndNamed() {
        String socket = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
        assertUnsupported(socket + "+0 setsockopt(3, IPPROTO_TCP, TCP_CORK, [1], 4) = 0\n", "TCP_CORK");
        assertUnsupported(socket + "+0 frobnicate(3) = 0\n", "system call frobnicate");
        assertUnsupported("0 `sysctl -q net.ipv4.tcp_no_such_thing=1`\n", "sysctl net.ipv4.tcp_no_such_thing");
        assertUnsupported("0 `ip link set dev tun0 mtu 1280`\n", "command `ip link set dev tun0 mtu 1280`");
        assertUnsupported("--ip_version=ipv6\n" + socket, "ipv6");
    }

    private static void assertUnsupported(String script, String feature) {
        Outcome o = Packetdrill.run("inline.pkt", script, RESOURCES, new RunnerOptions());
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.UNSUPPORTED);
        assertThat(o.feature()).isEqualTo(feature);
    }

    @org.junit.jupiter.api.Test
    void theSameScriptGivesTheSameOutcome() {
        Path p = RESOURCES.resolve("failing/unexpected-packet.pkt");
        assertThat(Packetdrill.run(p, new RunnerOptions())).isEqualTo(Packetdrill.run(p, new RunnerOptions()));
    }

    @org.junit.jupiter.api.Test
    void reportLinesAreJson() {
        Outcome o = new Outcome("a.pkt", Outcome.Result.FAIL, 3, "bad \"x\"", null);
        assertThat(o.toJson()).isEqualTo("{\"script\":\"a.pkt\",\"result\":\"fail\",\"line\":3,\"reason\":\"bad \\\"x\\\"\",\"feature\":null}");
    }
}
