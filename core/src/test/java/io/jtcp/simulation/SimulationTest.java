package io.jtcp.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.link.sim.LinkParams;
import io.jtcp.observe.TextTracePrinter;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SimulationTest {
    private static final int PORT = 7;

    /** Runs an echo of {@code bytes} over a lossy link with {@code seed}; returns the text trace. */
    private static String echoRun(long seed, int bytes) throws Exception {
        Simulation sim = new Simulation(seed);
        StackLoop server = sim.addHost("server", "10.0.0.1");
        StackLoop client = sim.addHost("client", "10.0.0.2");
        sim.network().setDefaultLink(LinkParams.DEFAULT.withDelay(Duration.ofMillis(10)).withLoss(0.05).withReorder(0.05, Duration.ofMillis(3)));
        StringBuilder trace = new StringBuilder();
        sim.setTrace(new TextTracePrinter(trace));
        byte[] payload = new byte[bytes];
        new Random(seed).nextBytes(payload);

        CompletableFuture<TcpServerSocket> listening = new CompletableFuture<>();
        sim.spawn(server, "echo-server", () -> {
            try (TcpServerSocket ss = TcpServerSocket.listen(server, PORT, 16)) {
                listening.complete(ss);
                try (TcpSocket s = ss.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buf = new byte[4096];
                    for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
                }
            }
        });
        byte[] echoed = sim.call(client, () -> {
            listening.join();
            try (TcpSocket s = TcpSocket.open(client)) {
                s.connect("10.0.0.1", PORT);
                s.getOutputStream().write(payload);
                s.shutdownOutput();
                return s.getInputStream().readAllBytes();
            }
        });
        assertThat(echoed).isEqualTo(payload);
        return trace.toString();
    }

    @Test
    void sameSeedSameTraceOtherSeedOtherTrace() throws Exception {
        String first = echoRun(42, 200_000);
        String again = echoRun(42, 200_000);
        String other = echoRun(43, 200_000);
        assertThat(first).contains("10.0.0.2").isEqualTo(again);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void sleepAndTimedWaitsAdvanceVirtualTime() throws Exception {
        Simulation sim = new Simulation(1);
        StackLoop host = sim.addHost("h", "10.0.0.1");
        long[] seen = new long[2];
        sim.call(host, () -> {
            seen[0] = sim.nanoTime();
            Simulation.sleep(Duration.ofHours(2));
            seen[1] = sim.nanoTime();
            return null;
        });
        assertThat(seen[1] - seen[0]).isEqualTo(Duration.ofHours(2).toNanos());
        assertThat(sim.clock().instant()).isEqualTo(Instant2026.plus(Duration.ofHours(2)));
    }

    private static final java.time.Instant Instant2026 = java.time.Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aThreadBlockedForEverIsReportedNotHung() {
        Simulation sim = new Simulation(1);
        StackLoop host = sim.addHost("h", "10.0.0.1");
        CompletableFuture<Void> never = new CompletableFuture<>();
        Thread t = sim.spawn(host, "stuck", never::join);
        assertThatThrownBy(() -> sim.join(t))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("nothing is left to happen")
                .hasMessageContaining("stuck");
    }

    @Test
    void anApplicationFailureStopsTheRun() {
        Simulation sim = new Simulation(1);
        StackLoop host = sim.addHost("h", "10.0.0.1");
        Thread t = sim.spawn(host, "thrower", () -> {
            throw new IllegalStateException("boom");
        });
        assertThatThrownBy(() -> sim.join(t)).isInstanceOf(SimulationException.class).hasMessageContaining("boom");
    }

    /** The server runs on a platform thread the simulation did not start (as the JDK's HTTP server's dispatcher is). */
    private static String echoFromForeignThread(long seed) throws Exception {
        Simulation sim = new Simulation(seed);
        StackLoop server = sim.addHost("server", "10.0.0.1");
        StackLoop client = sim.addHost("client", "10.0.0.2");
        sim.network().setDefaultLink(LinkParams.DEFAULT.withDelay(Duration.ofMillis(10)).withLoss(0.05));
        StringBuilder trace = new StringBuilder();
        sim.setTrace(new TextTracePrinter(trace));
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread foreign = Thread.ofPlatform().name("foreign-server").start(() -> {
            try (TcpServerSocket ss = TcpServerSocket.listen(server, PORT, 16)) {
                listening.complete(null);
                for (int i = 0; i < 3; i++) {
                    try (TcpSocket s = ss.accept()) {
                        s.getOutputStream().write(s.getInputStream().readAllBytes());
                    }
                }
            } catch (Exception e) {
                listening.completeExceptionally(e);
            }
        });
        // The simulation only moves inside its run methods: run it until the server listens.
        sim.runUntil(listening::isDone, Duration.ofSeconds(1));
        listening.join();
        for (int i = 0; i < 3; i++) {
            byte[] msg = ("message " + i).getBytes();
            byte[] back = sim.call(client, () -> {
                try (TcpSocket s = TcpSocket.open(client)) {
                    s.connect("10.0.0.1", PORT);
                    s.getOutputStream().write(msg);
                    s.shutdownOutput();
                    return s.getInputStream().readAllBytes();
                }
            });
            assertThat(back).isEqualTo(msg);
        }
        sim.runUntil(() -> !foreign.isAlive(), Duration.ofMinutes(5));
        foreign.join();
        return trace.toString();
    }

    @Test
    void aForeignThreadThatBlocksOnlyInJtcpKeepsTheRunDeterministic() throws Exception {
        assertThat(echoFromForeignThread(7)).isEqualTo(echoFromForeignThread(7));
    }
}
