package io.jtcp.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static io.jtcp.wire.IcmpSendRules.mayAnswerWithError;
import static org.assertj.core.api.Assertions.assertThat;

/** Linux's rules (icmp_send, icmp6_send) for packets that get no ICMP error. */
class IcmpSendRulesTest {
    private static final IpAddress US = IpAddress.parse("10.0.0.1"), PEER = IpAddress.parse("10.0.0.2");
    private static final IpAddress US6 = IpAddress.parse("fd00::1"), PEER6 = IpAddress.parse("fd00::2");
    private static final int UNREACH = Icmp.V4_DEST_UNREACHABLE, PORT = Icmp.V4_PORT_UNREACHABLE;
    private static final int UNREACH6 = Icmp.V6_DEST_UNREACHABLE, PORT6 = Icmp.V6_PORT_UNREACHABLE;

    private static byte[] hex(String s) { return HexFormat.of().parseHex(s.replace(" ", "")); }

    private static IpPacket udp(IpAddress src, IpAddress dst) {
        return IpPackets.carrying(src, dst, Checksum.PROTO_UDP, hex("1234 0035 0008 0000"));
    }

    @Test
    void ordinaryUnicastPacketIsAnswered() {
        assertThat(mayAnswerWithError(udp(PEER, US), UNREACH, PORT, 0, false)).isTrue();
        assertThat(mayAnswerWithError(udp(PEER6, US6), UNREACH6, PORT6, 0, false)).isTrue();
    }

    @Test
    void neverAnErrorAboutAnError() {
        IpPacket aboutError = IpPackets.carrying(PEER, US, Checksum.PROTO_ICMP, hex("0303 0000 00000000"));
        assertThat(mayAnswerWithError(aboutError, UNREACH, PORT, 0, false)).isFalse();
        IpPacket unknownType = IpPackets.carrying(PEER, US, Checksum.PROTO_ICMP, hex("2a00 0000 00000000"));
        assertThat(mayAnswerWithError(unknownType, UNREACH, PORT, 0, false)).isFalse();
        IpPacket echo = IpPackets.carrying(PEER, US, Checksum.PROTO_ICMP, hex("0800 0000 00000000"));
        assertThat(mayAnswerWithError(echo, Icmp.V4_PARAMETER_PROBLEM, 0, 0, false)).isTrue();

        IpPacket aboutError6 = IpPackets.carrying(PEER6, US6, Checksum.PROTO_ICMPV6, hex("0200 0000 00000500"));
        assertThat(mayAnswerWithError(aboutError6, Icmp.V6_PARAMETER_PROBLEM, 0, 0, false)).isFalse();
        IpPacket echo6 = IpPackets.carrying(PEER6, US6, Checksum.PROTO_ICMPV6, hex("8000 0000 00000000"));
        assertThat(mayAnswerWithError(echo6, Icmp.V6_PARAMETER_PROBLEM, 0, 0, false)).isTrue();
        IpPacket empty6 = IpPackets.carrying(PEER6, US6, Checksum.PROTO_ICMPV6, new byte[0]);
        assertThat(mayAnswerWithError(empty6, Icmp.V6_PARAMETER_PROBLEM, 0, 0, false)).isFalse();
    }

    @Test
    void ipv4NeverAboutANonFirstFragment() {
        IpPacket p = udp(PEER, US);
        p.fragment = true;
        p.moreFragments = true;
        assertThat(mayAnswerWithError(p, Icmp.V4_TIME_EXCEEDED, 1, 0, false)).isTrue();
        p.fragmentOffset = 1480;
        assertThat(mayAnswerWithError(p, Icmp.V4_TIME_EXCEEDED, 1, 0, false)).isFalse();
    }

    @Test
    void neverToASourceThatIsNoSingleHost() {
        for (String src : new String[] {"0.0.0.0", "224.0.0.1", "255.255.255.255"}) {
            assertThat(mayAnswerWithError(udp(IpAddress.parse(src), US), UNREACH, PORT, 0, false)).as(src).isFalse();
        }
        for (String src : new String[] {"::", "ff02::1"}) {
            assertThat(mayAnswerWithError(udp(IpAddress.parse(src), US6), Icmp.V6_PACKET_TOO_BIG, 0, 0, false)).as(src).isFalse();
        }
    }

    @Test
    void ipv4NeverAboutAPacketToBroadcastOrMulticast() {
        assertThat(mayAnswerWithError(udp(PEER, IpAddress.parse("224.0.0.251")), UNREACH, PORT, 0, false)).isFalse();
        assertThat(mayAnswerWithError(udp(PEER, IpAddress.parse("255.255.255.255")), UNREACH, PORT, 0, false)).isFalse();
        assertThat(mayAnswerWithError(udp(PEER, IpAddress.parse("10.0.0.255")), UNREACH, PORT, 0, true)).isFalse();
        assertThat(mayAnswerWithError(udp(PEER, IpAddress.parse("10.0.0.255")), UNREACH, PORT, 0, false)).isTrue();
    }

    @Test
    void ipv6ToMulticastOnlyPacketTooBigAndUnrecognizedOptionsThatAskForIt() {
        IpPacket p = udp(PEER6, IpAddress.parse("ff02::fb"));
        assertThat(mayAnswerWithError(p, UNREACH6, PORT6, 0, false)).isFalse();
        assertThat(mayAnswerWithError(p, Icmp.V6_PACKET_TOO_BIG, 0, 0, false)).isTrue();
        assertThat(mayAnswerWithError(p, Icmp.V6_PARAMETER_PROBLEM, Icmp.V6_ERRONEOUS_HEADER_FIELD, 4, false)).isFalse();
        // The pointer names the option type octet: 0x80.. asks for an error even to multicast, 0x00.. does not.
        p.buf[41] = (byte) 0x82;
        p.buf[42] = (byte) 0x02;
        assertThat(mayAnswerWithError(p, Icmp.V6_PARAMETER_PROBLEM, Icmp.V6_UNRECOGNIZED_OPTION, 41, false)).isTrue();
        assertThat(mayAnswerWithError(p, Icmp.V6_PARAMETER_PROBLEM, Icmp.V6_UNRECOGNIZED_OPTION, 42, false)).isFalse();
        assertThat(mayAnswerWithError(p, Icmp.V6_PARAMETER_PROBLEM, Icmp.V6_UNRECOGNIZED_OPTION, 4000, false)).isFalse();
        // A link-layer multicast to a unicast address is held to the same rule.
        assertThat(mayAnswerWithError(udp(PEER6, US6), UNREACH6, PORT6, 0, true)).isFalse();
        assertThat(mayAnswerWithError(udp(PEER6, US6), Icmp.V6_PACKET_TOO_BIG, 0, 0, true)).isTrue();
    }
}
