package io.jtcp.tun;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** PacketHold and the filters the kernel stories hold with; no kernel needed. */
class PacketHoldTest {
    /** A 40-byte IPv4 + TCP header with these TCP flags; {@code mark} goes in the IP identification field. */
    static byte[] tcp(int flags, int mark) {
        byte[] p = new byte[40];
        p[0] = 0x45;
        p[3] = 40;
        p[5] = (byte) mark;
        p[9] = 6;
        p[20 + 12] = 0x50;
        p[20 + 13] = (byte) flags;
        return p;
    }

    @Test
    void holdsFromTheFirstPickedPacketOnAndReleasesInOrder() {
        List<Integer> onward = new ArrayList<>();
        PacketHold hold = new PacketHold(PacketFilter.tcpWithFlags(0x01), p -> onward.add((int) p[5]));
        assertThat(hold.hold(tcp(0x10, 1), 0, 40)).as("an ACK before any FIN goes on").isFalse();
        assertThat(hold.hold(tcp(0x11, 2), 0, 40)).as("the FIN is held").isTrue();
        assertThat(hold.hold(tcp(0x10, 3), 0, 40)).as("so is what follows it, FIN or not").isTrue();
        assertThat(onward).isEmpty();

        assertThat(hold.release()).isEqualTo(2);
        assertThat(onward).containsExactly(2, 3);
        assertThat(hold.hold(tcp(0x11, 4), 0, 40)).as("a released hold holds nothing more").isFalse();
        assertThat(hold.heldTotal()).isEqualTo(2);
    }

    @Test
    void tcpWithFlagsMatchesSetFlagsWhateverElseAndOnlyTcp() {
        assertThat(PacketFilter.tcpWithFlags(0x01).drop(tcp(0x11, 0), 0, 40)).isTrue();
        assertThat(PacketFilter.tcpWithFlags(0x01).drop(tcp(0x10, 0), 0, 40)).isFalse();
        assertThat(PacketFilter.tcpWithFlags(0x11).drop(tcp(0x01, 0), 0, 40)).isFalse();
        byte[] udp = tcp(0x11, 0);
        udp[9] = 17;
        assertThat(PacketFilter.tcpWithFlags(0x01).drop(udp, 0, 40)).isFalse();
        assertThat(PacketFilter.tcpWithFlags(0x01).drop(tcp(0x11, 0), 0, 39)).as("truncated").isFalse();
    }

    @Test
    void theTcpFiltersReadIpv6Too() {
        assertThat(PacketFilter.tcpWithFlags(0x01).drop(tcp6(0x11, 0), 0, 60)).isTrue();
        assertThat(PacketFilter.tcpWithFlags(0x01).drop(tcp6(0x10, 0), 0, 60)).isFalse();
        assertThat(PacketFilter.bareTcp(0x10).drop(tcp6(0x10, 0), 0, 60)).isTrue();
        assertThat(PacketFilter.bareTcp(0x10).drop(tcp6(0x10, 5), 0, 65)).as("with payload").isFalse();
        byte[] udp = tcp6(0x11, 0);
        udp[6] = 17;
        assertThat(PacketFilter.tcpWithFlags(0x01).drop(udp, 0, 60)).isFalse();
        assertThat(PacketFilter.tcpWithFlags(0x01).drop(tcp6(0x11, 0), 0, 59)).as("truncated").isFalse();
    }

    /** A bare IPv6 packet carrying a TCP header with these flags and {@code payload} bytes after it. */
    private static byte[] tcp6(int flags, int payload) {
        byte[] p = new byte[60 + payload];
        p[0] = 0x60;
        p[4] = (byte) ((20 + payload) >> 8);
        p[5] = (byte) (20 + payload);
        p[6] = 6;
        p[40 + 12] = 0x50;
        p[40 + 13] = (byte) flags;
        return p;
    }
}
