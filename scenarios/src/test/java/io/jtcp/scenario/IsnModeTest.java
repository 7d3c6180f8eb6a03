package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.host.Stack;
import io.jtcp.link.sim.SimHost;
import io.jtcp.link.sim.SimNetwork;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.wire.IpAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** tcp_isn_mode, the teaching switch: RFC 6528 by default, the clockless hash when fixed. */
class IsnModeTest {
    @Test
    void parsesAndPrints() {
        assertThat(Sysctls.linux().tcpIsnMode()).isEqualTo(Sysctls.IsnMode.RFC6528);
        Sysctls fixed = Sysctls.linux().set("net.ipv4.tcp_isn_mode", "fixed");
        assertThat(fixed.tcpIsnMode()).isEqualTo(Sysctls.IsnMode.FIXED);
        assertThat(fixed.asMap()).containsEntry("tcp_isn_mode", "fixed");
        assertThatThrownBy(() -> Sysctls.linux().set("tcp_isn_mode", "random")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fixedGivesEveryIncarnationOfATupleTheSameIssAndRfc6528DoesNot() throws Exception {
        assertThat(issTwice(Sysctls.linux().set("tcp_isn_mode", "fixed"))).containsOnly(issTwice(Sysctls.linux().set("tcp_isn_mode", "fixed"))[0]);
        int[] rfc = issTwice(Sysctls.linux());
        assertThat(rfc[1]).isNotEqualTo(rfc[0]);
    }

    /** The ISS of two connects on one 4-tuple, a second apart (the first aborted). */
    private static int[] issTwice(Sysctls cfg) throws Exception {
        SimNetwork net = new SimNetwork(1);
        Stack s = SimHost.create(net, "client", "10.0.0.1", cfg, 1).stack();
        SocketOptions o = new SocketOptions(cfg);
        o.reuseAddr = true;
        Connection a = s.connect(40000, IpAddress.parse("10.0.0.2"), 80, o, new App(net), 0);
        int first = a.iss();
        a.abort(0);
        net.runUntil(1_000_000_000L);
        Connection b = s.connect(40000, IpAddress.parse("10.0.0.2"), 80, o, new App(net), net.now());
        return new int[] {first, b.iss()};
    }
}
