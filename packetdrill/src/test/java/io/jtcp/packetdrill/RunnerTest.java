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
        "late-ack.pkt|9|timing error: expected outbound packet at 0.300000 sec but happened at 0.100000 sec; tolerance 0.025000 sec",
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
        assertUnsupported(socket + "+0 setsockopt(3, SOL_SOCKET, SO_REUSEPORT, [1], 4) = 0\n", "SO_REUSEPORT");
        assertUnsupported(socket + "+0 frobnicate(3) = 0\n", "system call frobnicate");
        assertUnsupported("0 `sysctl -q net.ipv4.tcp_no_such_thing=1`\n", "sysctl net.ipv4.tcp_no_such_thing");
        assertUnsupported("0 `ip link set dev tun0 mtu 1280`\n", "command `ip link set dev tun0 mtu 1280`");
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

    @org.junit.jupiter.api.Test
    void aRelativeBlockingCallsEndTakesTheOffsetBeforeItsStart() {
        // +.01...0.011: the call starts at 0.010 and must return by 0.011 (offset 0), not 0.021.
        String script = """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +.01...0.011 connect(3, ..., ...) = 0
                +0 > S 0:0(0) <...>
                +.001 < S. 0:0(0) ack 1 win 32768 <mss 1000,nop,wscale 6,nop,nop,sackOK>
                +0 > . 1:1(0) ack 1
                """;
        assertPasses(script);
    }

    @org.junit.jupiter.api.Test
    void theScriptsFdNamesTheSocketAsPacketdrillMapsScriptFdsToLiveOnes() {
        String script = """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4
                +0 fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0
                +0 connect(4, ..., ...) = -1 EINPROGRESS (Operation now in progress)
                +0 > S 0:0(0) <...>
                +0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4
                """;
        Outcome o = Packetdrill.run("inline.pkt", script, RESOURCES, new RunnerOptions());
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.FAIL);
        assertThat(o.line()).isEqualTo(5);
        assertThat(o.reason()).isEqualTo("socket: duplicate fd 4 in script");
    }

    @org.junit.jupiter.api.Test
    void aSysctlWrittenAfterTheFirstSocketCallTakesEffectForTheNextConnection() {
        // The socket exists before the write; its SYN still follows the new tcp_timestamps,
        // as Linux's tcp_connect reads the sysctl when it builds the SYN.
        String script = """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 `sysctl -q net.ipv4.tcp_timestamps=0`
                +0...0.1 connect(3, ..., ...) = 0
                +0 > S 0:0(0) <mss 1460,nop,nop,sackOK,nop,wscale 10>
                +.1 < S. 0:0(0) ack 1 win 32768 <mss 1000,nop,nop,sackOK,nop,wscale 6>
                +0 > . 1:1(0) ack 1
                """;
        assertPasses(script);
    }

    @org.junit.jupiter.api.Test
    void acceptMayReuseAScriptFdThatStillNamesAnOpenSocket() {
        // run_syscall_accept takes the script's number without check_duplicate_fd: fd 4 names the newer child.
        String listen = """
                +0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
                +0 bind(3, ..., ...) = 0
                +0 listen(3, 1) = 0
                +0 < S 0:0(0) win 65535 <mss 1000>
                +0 > S. 0:0(0) ack 1 <...>
                +.1 < . 1:1(0) ack 1 win 65535
                +0 accept(3, ..., ...) = 4
                +0 close(3) = 0
                """;
        String script = "0" + listen.substring(2) + """
                +0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
                +0 bind(3, ..., ...) = 0
                +0 listen(3, 1) = 0
                +0 < S 0:0(0) win 65535 <mss 1000>
                +0 > S. 0:0(0) ack 1 <...>
                +.1 < . 1:1(0) ack 1 win 65535
                +0 accept(3, ..., ...) = 4
                +0 write(4, ..., 10) = 10
                +0 > P. 1:11(10) ack 1
                """;
        assertPasses(script);
    }

    @org.junit.jupiter.api.Test
    void aSuperSegmentsPshComesFromItsLastWireSegmentOnly() {
        // The wire: P. 1:101, then . 101:1101 and P. 1101:2101. Scripted as one super-segment
        // 1:1101 its last wire segment has no PSH, so the script's "." matches.
        String script = ACCEPTED_WITH_SNDBUF_20000 + """
                +0 write(4, ..., 100) = 100
                +0 write(4, ..., 2000) = 2000
                +0 > . 1:1101(1100) ack 1
                +0 > P. 1101:2101(1000) ack 1
                """;
        assertPasses(script);
    }

    @org.junit.jupiter.api.Test
    void codeBlocksSeeDeliveredBusyTimeAndRwndLimited() {
        String script = ACCEPTED_WITH_SNDBUF_20000 + """
                +0 %{ assert tcpi_delivered == 1, tcpi_delivered }%
                +0 < . 1:1(0) ack 1 win 0
                +0 write(4, ..., 1000) = 1000
                +.1 < . 1:1(0) ack 1 win 65535
                +0 > P. 1:1001(1000) ack 1
                +.05 < . 1:1(0) ack 1001 win 65535
                +0 %{ assert tcpi_delivered == 2, tcpi_delivered }%
                +0 %{ assert tcpi_rwnd_limited == 100000, tcpi_rwnd_limited }%
                +0 %{ assert tcpi_busy_time == 150000, tcpi_busy_time }%
                """;
        assertPasses(script);
    }

    @org.junit.jupiter.api.Test
    void tcpSyncntBoundsTheSynRetriesOfThatSocketOnly() {
        // TCP_SYNCNT 1: the SYN is resent at 1 and 2 s (the flat RTO of the linear timeouts) and
        // given up at 3 s, what one exponential backoff from 1 s would take (retransmits_timed_out).
        String script = """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 setsockopt(3, IPPROTO_TCP, TCP_SYNCNT, [0], 4) = -1 EINVAL (Invalid argument)
                +0 setsockopt(3, IPPROTO_TCP, TCP_SYNCNT, [128], 4) = -1 EINVAL (Invalid argument)
                +0 getsockopt(3, IPPROTO_TCP, TCP_SYNCNT, [6], [4]) = 0
                +0 setsockopt(3, IPPROTO_TCP, TCP_SYNCNT, [1], 4) = 0
                +0 getsockopt(3, IPPROTO_TCP, TCP_SYNCNT, [1], [4]) = 0
                +0...3 connect(3, ..., ...) = -1 ETIMEDOUT (Connection timed out)
                +0 > S 0:0(0) <...>
                +1 > S 0:0(0) <...>
                +1 > S 0:0(0) <...>
                """;
        assertPasses(script);
    }

    @org.junit.jupiter.api.Test
    void icmpPacketsAreUnsupportedNotSyntaxErrors() {
        String socket = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
        assertUnsupported(socket + "+0 < icmp unreachable frag_needed mtu 840 [0:1000(1000)]\n", "ICMP packets");
    }

    private static final String ACCEPTED_WITH_SNDBUF_20000 = """
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0 setsockopt(3, SOL_SOCKET, SO_SNDBUF, [10000], 4) = 0
            +0 bind(3, ..., ...) = 0
            +0 listen(3, 1) = 0
            +0 < S 0:0(0) win 65535 <mss 1000>
            +0 > S. 0:0(0) ack 1 <...>
            +.1 < . 1:1(0) ack 1 win 65535
            +0 accept(3, ..., ...) = 4
            """;

    @org.junit.jupiter.api.Test
    void aBlockingWriteReturnsWhenAllIsQueuedAfterAWakeupAtHalfFree() {
        // 20000 bytes fit at once; the ACK of 5000 leaves 5000 free for 15000 queued (not
        // writeable: no wakeup); the ACK of 10000 wakes it and the last 10000 fit.
        String script = ACCEPTED_WITH_SNDBUF_20000 + """
                +0...0.200 write(4, ..., 30000) = 30000
                +.1 < . 1:1(0) ack 5001 win 65535
                +.1 < . 1:1(0) ack 10001 win 65535
                """;
        assertPasses(script);
    }

    @org.junit.jupiter.api.Test
    void sendmsgSendsItsIovecAndANullBufferFaults() {
        String script = ACCEPTED_WITH_SNDBUF_20000 + """
                +0 sendmsg(4, {msg_name(...)=..., msg_iov(2)=[{..., 30}, {..., 10}], msg_flags=0}, 0) = 40
                +0 > P. 1:41(40) ack 1
                +0 write(4, NULL, 1000) = -1 EFAULT (Bad address)
                +0 < P. 1:11(10) ack 41 win 65535
                +0 read(4, NULL, 10) = -1 EFAULT (Bad address)
                +0 read(4, ..., 10) = 10
                """;
        assertPasses(script);
    }

    @org.junit.jupiter.api.Test
    void anInboundPacketComesBeforeATimerDueAtTheSameInstant() {
        // RTT 100 ms gives an RTO of 300 ms: the zero-window probe is due at 0.5 s, just when
        // the window opens. A kernel timer fires late, never early, so the ACK wins the tie.
        String script = """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 bind(3, ..., ...) = 0
                +0 listen(3, 1) = 0
                +0 < S 0:0(0) win 65535 <mss 1460,nop,wscale 7>
                +0 > S. 0:0(0) ack 1 <...>
                +.1 < . 1:1(0) ack 1 win 0
                +0 accept(3, ..., ...) = 4
                +.1 write(4, ..., 100) = 100
                +.3 < . 1:1(0) ack 1 win 512
                +0 > P. 1:101(100) ack 1
                """;
        assertPasses(script);
    }

    private static void assertPasses(String script) {
        Outcome o = Packetdrill.run("inline.pkt", script, RESOURCES, new RunnerOptions());
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.PASS);
    }
}
