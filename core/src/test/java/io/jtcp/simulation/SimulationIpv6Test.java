package io.jtcp.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.config.Sysctls;
import io.jtcp.link.sim.LinkParams;
import io.jtcp.observe.TextTracePrinter;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Programs in virtual time over IPv6 and over loopback, as deterministic as over IPv4. */
class SimulationIpv6Test {
    private static final int PORT = 7;

    private static String echoOverIpv6(long seed) throws Exception {
        Simulation sim = new Simulation(seed);
        StackLoop server = sim.addHost("server", "10.0.0.1", Sysctls.linux(), "fd00::1/64");
        StackLoop client = sim.addHost("client", "10.0.0.2", Sysctls.linux(), "fd00::2/64");
        sim.network().setDefaultLink(LinkParams.DEFAULT.withDelay(Duration.ofMillis(10)).withLoss(0.05));
        StringBuilder trace = new StringBuilder();
        sim.setTrace(new TextTracePrinter(trace));
        byte[] payload = new byte[100_000];
        new Random(seed).nextBytes(payload);
        CompletableFuture<Void> listening = new CompletableFuture<>();
        sim.spawn(server, "echo", () -> {
            try (TcpServerSocket ss = TcpServerSocket.open(server)) {
                ss.bind(new InetSocketAddress("::", PORT));
                ss.listen(16);
                listening.complete(null);
                try (TcpSocket s = ss.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                }
            }
        });
        byte[] echoed = sim.call(client, () -> {
            listening.join();
            try (TcpSocket s = TcpSocket.open(client)) {
                s.connect("fd00::1", PORT);
                s.getOutputStream().write(payload);
                s.shutdownOutput();
                return s.getInputStream().readAllBytes();
            }
        });
        assertThat(echoed).isEqualTo(payload);
        return trace.toString();
    }

    @Test
    void anEchoOverALossyIpv6LinkIsDeterministic() throws Exception {
        String first = echoOverIpv6(7), again = echoOverIpv6(7);
        assertThat(first).contains("fd00::2.").contains("fd00::1.7").isEqualTo(again);
    }

    @Test
    void loopbackWorksInsideOneSimulatedHostForBothFamilies() throws Exception {
        Simulation sim = new Simulation(3);
        StackLoop host = sim.addHost("h", "10.0.0.1", Sysctls.linux(), "fd00::1/64");
        CompletableFuture<Void> listening = new CompletableFuture<>();
        sim.spawn(host, "server", () -> {
            try (TcpServerSocket ss = TcpServerSocket.open(host)) {
                ss.bind(new InetSocketAddress("::", PORT));
                ss.listen(16);
                listening.complete(null);
                for (int i = 0; i < 2; i++) {
                    try (TcpSocket s = ss.accept()) {
                        s.getOutputStream().write(s.remoteAddress().getAddress().getHostAddress().getBytes());
                    }
                }
            }
        });
        String[] seen = sim.call(host, () -> {
            listening.join();
            String[] out = new String[2];
            int i = 0;
            for (String to : new String[] {"127.0.0.1", "::1"}) {
                try (TcpSocket s = TcpSocket.open(host)) {
                    s.connect(to, PORT);
                    InputStream in = s.getInputStream();
                    out[i++] = new String(in.readAllBytes());
                }
            }
            return out;
        });
        assertThat(seen[0]).isEqualTo("127.0.0.1");
        assertThat(seen[1]).isEqualTo("0:0:0:0:0:0:0:1");
    }
}
