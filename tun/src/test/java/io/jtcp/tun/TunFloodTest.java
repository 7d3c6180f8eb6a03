package io.jtcp.tun;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.wire.IpAddress;
import org.junit.jupiter.api.Test;

/** One short pass of every phase behind {@code jtcp bench flood}; the rates themselves are not checked. */
class TunFloodTest {
    @Test
    void everyPhaseGetsConnectionsAndTheNamespaceGoes() throws Exception {
        KernelPeer.assumeKernel();
        String ns;
        long nanos = 300_000_000L;
        try (TunFlood f = TunFlood.open()) {
            ns = f.namespace();
            assertThat(NetNs.live()).contains(ns);
            assertThat(f.kernelSettings().get("somaxconn")).as("the namespace's own somaxconn, read in full")
                    .isEqualTo(Integer.parseInt(Ip.exec(ns, "sysctl", "-n", "net.core.somaxconn").strip()));
            assertThat(f.kernelSettings().get("tcp_max_syn_backlog"))
                    .isEqualTo(Integer.parseInt(Ip.exec(ns, "sysctl", "-n", "net.ipv4.tcp_max_syn_backlog").strip()));
            // The same paced flood for both listeners. Unpaced, on a loaded machine, the client can
            // lose a connect's SYN and all its retries (jt0's queue, or the loopback backlog once
            // ksoftirqd takes the attacker's softirq work), and a phase then takes 15 s or more.
            // The rate is low enough for any machine, checked loosely (the generator is one thread
            // among others on shared cores) and from above (it is paced), and still more SYNs in the
            // phase than either SYN queue holds (2048 requests for jtcp, the listen backlog of 4096
            // for the kernel), so both listeners go to cookies.
            double paced = 25_000;
            for (TunFlood.Target t : TunFlood.Target.values()) {
                TunFlood.Phase calm = f.phase(t, TunFlood.NO_FLOOD, nanos);
                assertThat(calm.connections()).as(t + " without flood").isPositive();
                assertThat(calm.synsSent()).isZero();
                TunFlood.Phase flooded = f.phase(t, paced, nanos);
                assertThat(flooded.connections()).as(t + " under flood").isPositive();
                assertThat(flooded.synsSent()).as(t + ": the flood sent SYNs").isPositive();
                assertThat(flooded.synRate()).as(t + ": the paced flood's rate").isGreaterThan(paced * 0.5).isLessThan(paced * 1.5);
            }
            assertThat(f.jtcpCounters().get("TcpExtSyncookiesSent")).as("the flood drove jtcp's listener to cookies").isPositive();
            assertThat(f.kernelCounters().get("TcpExtSyncookiesSent")).as("and the kernel's").isPositive();
        }
        assertThat(NetNs.live()).doesNotContain(ns);
        assertThat(Ip.run("ip", "netns", "list")).doesNotContain(ns);
    }

    @Test
    void aFloodEndsByItselfAtItsLimit() throws Exception {
        KernelPeer.assumeKernel();
        try (NetNs ns = NetNs.create("jtcp-f")) {
            // To the namespace's own loopback, where nothing listens: the kernel's RSTs to the
            // spoofed source find no route and go nowhere.
            SynFlood f = SynFlood.start(ns, IpAddress.parse(TunFlood.SPOOFED), IpAddress.parse("127.0.0.1"), 9, SynFlood.UNPACED,
                    50_000_000L, 1);
            while (f.running()) Thread.onSpinWait();  // never stopped: it must end by itself
            assertThat(f.failure()).isNull();
            assertThat(f.sent()).isPositive();
        }
    }
}
