package io.jtcp.tun;

import io.jtcp.wire.IpAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TunHost pairs jtcp's prefixes with the kernel's addresses and configures both families on the device. */
class TunHostTest {
    @Test
    void eachPrefixGetsItsFirstHostForTheKernelUnlessOneIsGiven() {
        List<TunHost.Address> plan = TunHost.plan(List.of("10.77.0.2/24", "fd77::2/64", "fd78::9/120"), List.of("fd78::7"));
        assertThat(plan).extracting(a -> a.kernel().toString()).containsExactly("10.77.0.1", "fd77::1", "fd78::7");
        assertThat(plan).extracting(TunHost.Address::jtcpCidr).containsExactly("10.77.0.2/24", "fd77::2/64", "fd78::9/120");
        assertThat(TunHost.firstHost(IpAddress.parse("10.1.2.3"), 8)).isEqualTo(IpAddress.parse("10.0.0.1"));
        assertThat(TunHost.firstHost(IpAddress.parse("fd00:1:2:3:4::5"), 48)).isEqualTo(IpAddress.parse("fd00:1:2::1"));
    }

    @Test
    void mistakesAreRefusedBeforeAnyDeviceIsMade() {
        assertThatThrownBy(() -> TunHost.plan(List.of("10.77.0.2"), List.of())).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> TunHost.plan(List.of("fd77::2/127"), List.of())).hasMessageContaining("1 to 126");
        assertThatThrownBy(() -> TunHost.plan(List.of("10.77.0.2/24"), List.of("10.78.0.1"))).hasMessageContaining("none of jtcp's prefixes");
        assertThatThrownBy(() -> TunHost.plan(List.of("10.77.0.1/24"), List.of())).hasMessageContaining("must differ");
        assertThatThrownBy(() -> TunHost.plan(List.of("10.77.0.2/24", "10.77.0.3/16"), List.of())).hasMessageContaining("overlaps");
        assertThatThrownBy(() -> TunHost.open("jt0", List.of("fd77::2/64"), List.of(), 1200, null)).hasMessageContaining("1280");
    }

    @Test
    void bothFamiliesAreOnTheDeviceUsableAtOnceAndTheKernelHasNoLinkLocalOfItsOwn() throws Exception {
        KernelPeer.assumeKernel();
        try (NetNs ns = NetNs.create("jtcp-t");
             TunHost h = TunHost.open("jt0", List.of("10.77.0.2/24", "fd77::2/64"), List.of(), 1500, ns)) {
            String v4 = ns.exec("ip", "-4", "addr", "show", "dev", "jt0");
            String v6 = ns.exec("ip", "-6", "addr", "show", "dev", "jt0");
            assertThat(v4).contains("inet 10.77.0.1/24").contains("mtu 1500").contains(",UP");
            assertThat(v6).contains("inet6 fd77::1/64").doesNotContain("tentative").doesNotContain("fe80:");
            assertThat(ns.exec("ip", "-6", "route", "get", "fd77::2")).contains("dev jt0");
            assertThat(h.addresses()).extracting(a -> a.jtcp().toString()).containsExactly("10.77.0.2", "fd77::2");
        }
        assertThat(NetNs.live()).isEmpty();
    }
}
