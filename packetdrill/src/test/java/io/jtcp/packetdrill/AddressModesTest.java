package io.jtcp.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** packetdrill's ipv6 and ipv4-mapped-ipv6 modes: packets, addresses and socket families as upstream's config.c sets them. */
class AddressModesTest {
    private static final String ACTIVE_OPEN = """
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
            +0 connect(3, %s, ...) = -1 EINPROGRESS (Operation now in progress)
            +0 > S 0:0(0) <mss %d,sackOK,TS val 100 ecr 0,nop,wscale 10>
            +.1 < S. 0:0(0) ack 1 win 65535 <mss 1460,nop,nop,TS val 1000 ecr 100,nop,wscale 7>
            +0 > . 1:1(0) ack 1 <nop,nop,TS val 200 ecr 1000>
            """;

    private static Outcome run(String script, RunnerOptions opts) {
        return Packetdrill.run("inline.pkt", script, Path.of("."), opts);
    }

    private static RunnerOptions mode(String ipVersion) {
        RunnerOptions o = new RunnerOptions();
        o.parse(java.util.List.of("--ip_version=" + ipVersion));
        return o;
    }

    @Test
    void ipv6SynAnnouncesTheMtuLessIpv6AndTcpHeaders() {
        // Upstream's own default device MTU (1500) gives 1440 in IPv6; run_all.py's --mtu=1520 gives the scripts' 1460.
        assertThat(run(ACTIVE_OPEN.formatted("...", 1440), mode("ipv6")).result()).isEqualTo(Outcome.Result.PASS);
        Outcome v6 = run(ACTIVE_OPEN.formatted("...", 1460), mode("ipv6"));
        assertThat(v6.result()).isEqualTo(Outcome.Result.FAIL);
        assertThat(v6.reason()).contains("expected: mss 1460 actual: mss 1440");
        assertThat(run(ACTIVE_OPEN.formatted("...", 1460), RunnerOptions.runAll("ipv6")).result()).isEqualTo(Outcome.Result.PASS);
        // ipv4-mapped-ipv6 sends IPv4: 1460 at 1500.
        assertThat(run(ACTIVE_OPEN.formatted("...", 1460), mode("ipv4-mapped-ipv6")).result()).isEqualTo(Outcome.Result.PASS);
    }

    @Test
    void sockaddrsOfEitherFamilyAsTheGrammarSpellsThem() {
        String v6 = "{sa_family=AF_INET6, sin_port=htons(8080), sin_addr=inet_addr(\"2001:db8::1\")}";
        assertThat(run(ACTIVE_OPEN.formatted(v6, 1440), mode("ipv6")).result()).isEqualTo(Outcome.Result.PASS);
        String mapped = "{sa_family=AF_INET6, sin_port=htons(8080), sin_addr=inet_addr(\"::ffff:192.0.2.1\")}";
        assertThat(run(ACTIVE_OPEN.formatted(mapped, 1460), mode("ipv4-mapped-ipv6")).result()).isEqualTo(Outcome.Result.PASS);
        // Another destination than the scripted peer: the SYN goes elsewhere, so none reaches the script.
        String other = "{sa_family=AF_INET6, sin_port=htons(8080), sin_addr=inet_addr(\"2001:db8::2\")}";
        assertThat(run(ACTIVE_OPEN.formatted(other, 1440), mode("ipv6")).result()).isEqualTo(Outcome.Result.FAIL);
    }

    @Test
    void anAfInetSocketTakesNoIpv6Sockaddr() {
        String script = """
                0 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3
                +0 bind(3, ..., ...) = -1 EAFNOSUPPORT (Address family not supported by protocol)
                +0 connect(3, ..., ...) = -1 EAFNOSUPPORT (Address family not supported by protocol)
                """;
        Outcome o = run(script, mode("ipv6"));
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.PASS);
        assertThat(run(script, mode("ipv4")).result()).isEqualTo(Outcome.Result.FAIL);
        String inet6InIpv4 = """
                0 socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP) = 3
                +0 bind(3, ..., ...) = -1 EINVAL (Invalid argument)
                +0 connect(3, ..., ...) = -1 EINVAL (Invalid argument)
                """;
        Outcome v4 = run(inet6InIpv4, mode("ipv4"));
        assertThat(v4.result()).as(v4.describe()).isEqualTo(Outcome.Result.PASS);
    }

    @Test
    void ipv6OnlyIsAnAfInet6OptionSetBeforeBind() {
        String script = """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 getsockopt(3, IPPROTO_IPV6, IPV6_V6ONLY, [0], [4]) = 0
                +0 setsockopt(3, IPPROTO_IPV6, IPV6_V6ONLY, [1], 4) = 0
                +0 getsockopt(3, IPPROTO_IPV6, IPV6_V6ONLY, [1], [4]) = 0
                +0 bind(3, ..., ...) = 0
                +0 setsockopt(3, IPPROTO_IPV6, IPV6_V6ONLY, [0], 4) = -1 EINVAL (Invalid argument)
                """;
        Outcome o = run(script, mode("ipv6"));
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.PASS);
        // An AF_INET socket has no IPv6 level.
        Outcome v4 = run(script, mode("ipv4"));
        assertThat(v4.reason()).contains("errno 92");
    }

    @Test
    void aV6OnlySocketCannotBindTheV4MappedAddress() {
        // ipv4-mapped-ipv6 binds live_bind_ip, ::ffff:192.168.0.1: inet6_bind's EINVAL under IPV6_V6ONLY.
        String script = """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 setsockopt(3, IPPROTO_IPV6, IPV6_V6ONLY, [1], 4) = 0
                +0 bind(3, ..., ...) = -1 EINVAL (Invalid argument)
                """;
        Outcome o = run(script, mode("ipv4-mapped-ipv6"));
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.PASS);
        assertThat(run(script, mode("ipv6")).result()).isEqualTo(Outcome.Result.FAIL);
    }

    @Test
    void bindTakesTheStacksAddressOrTheScriptsOwn() {
        String script = """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 bind(3, %s, ...) = %s
                """;
        String elsewhere = "{sa_family=AF_INET6, sin_port=htons(8080), sin_addr=inet_addr(\"2001:db8::9\")}";
        Outcome o = run(script.formatted(elsewhere, "-1 EADDRNOTAVAIL (Cannot assign requested address)"), mode("ipv6"));
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.PASS);
        String own = "{sa_family=AF_INET6, sin_port=htons(8080), sin_addr=inet_addr(\"fd3d:fa7b:d17d::1\")}";
        assertThat(run(script.formatted(own, "0"), mode("ipv6")).result()).isEqualTo(Outcome.Result.PASS);
    }

    @Test
    void addressesMustFitTheMode() {
        String socket = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
        Outcome o = run("--local_ip=fd3d::1\n" + socket, new RunnerOptions());
        assertThat(o.result()).isEqualTo(Outcome.Result.FAIL);
        assertThat(o.reason()).contains("do not fit --ip_version=ipv4");
        assertThat(run("--ip_version=ipv5\n" + socket, new RunnerOptions()).reason()).contains("bad --ip_version");
        RunnerOptions v6 = mode("ipv6");
        assertThat(v6.localIp()).isEqualTo(IpAddress.parse("fd3d:fa7b:d17d::1"));
        assertThat(v6.remoteIp()).isEqualTo(IpAddress.parse("2001:db8::1"));
        v6.parse(java.util.List.of("--remote_ip=2001:db8::7/32"));
        assertThat(v6.remoteIp()).isEqualTo(IpAddress.parse("2001:db8::7"));
    }

    @Test
    void inboundIpv6PacketsCarryAValidPseudoHeaderChecksum() {
        IpAddress src = IpAddress.parse("2001:db8::1"), dst = IpAddress.parse("fd3d:fa7b:d17d::1");
        byte[] b = WireFormat.packet(src, dst, 40000, 8080, 7, 0, WireFormat.flagBits("S"), 65535, 0,
                new byte[] {2, 4, 5, (byte) 0xb4}, 10, 0);
        Segment seg = new Segment();
        assertThat(PacketCodec.decode(b, 0, b.length, seg)).isNull();
        assertThat(seg.srcAddr).isEqualTo(src);
        assertThat(seg.dstAddr).isEqualTo(dst);
        WireFormat.Captured c = WireFormat.read(b, 0);
        assertThat(c.ipv6()).isTrue();
        assertThat(c.ipLength()).isEqualTo(20 + 4 + 10);
        assertThat(c.payloadLength()).isEqualTo(10);
        assertThat(c.options()).hasSize(1);
        b[b.length - 1] ^= 1;
        assertThat(PacketCodec.decode(b, 0, b.length, seg)).isNotNull();
    }
}
