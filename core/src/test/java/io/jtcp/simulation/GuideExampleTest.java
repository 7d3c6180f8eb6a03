package io.jtcp.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtcp.api.StackLoop;
import io.jtcp.link.sim.LinkParams;
import io.jtcp.net.JtcpServerSocket;
import io.jtcp.net.JtcpSocket;
import io.jtcp.observe.SsView;
import io.jtcp.observe.TextTracePrinter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The complete example of docs/simulation.md (a test checks that the two stay the same). */
class GuideExampleTest {

    /** An upper-casing line server and its client, plain java.net code, on a lossy simulated network. */
    static String run(long seed) throws Exception {
        Simulation sim = new Simulation(seed);
        StackLoop server = sim.addHost("server", "10.0.0.1");
        StackLoop client = sim.addHost("client", "10.0.0.2");
        sim.network().setDefaultLink(LinkParams.DEFAULT.withDelay(Duration.ofMillis(20)).withLoss(0.05));
        StringBuilder trace = new StringBuilder();
        sim.setTrace(new TextTracePrinter(trace));

        CompletableFuture<Void> listening = new CompletableFuture<>();
        sim.spawn(server, "upper-server", () -> {
            try (ServerSocket listener = new JtcpServerSocket()) { // on this thread's host
                listener.bind(new InetSocketAddress(7000));
                listening.complete(null);
                try (Socket s = listener.accept();
                     var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                     var out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
                    for (String line; (line = in.readLine()) != null; ) out.println(line.toUpperCase());
                }
            }
        });

        String reply = sim.call(client, () -> {
            listening.join();
            try (Socket s = new JtcpSocket()) {
                s.connect(new InetSocketAddress("10.0.0.1", 7000));
                var out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
                var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                out.println("hello, simulated world");
                Simulation.sleep(Duration.ofSeconds(5)); // virtual: the run does not wait
                String first = in.readLine();
                sim.partition(client, server, Duration.ofSeconds(30)); // TCP retransmits until it heals
                out.println("still there?");
                return first + " / " + in.readLine();
            }
        });
        assertEquals("HELLO, SIMULATED WORLD / STILL THERE?", reply);

        sim.runFor(Duration.ofSeconds(1)); // the close finishes; the client, which closed first, keeps TIME_WAIT
        String ss = SsView.format(sim.snapshot(client), true, false); // what `ss -tano` shows, at this virtual time
        assertTrue(ss.contains("TIME-WAIT"), ss);
        return trace.toString();
    }

    @Test
    void theSameSeedGivesTheSameTrace() throws Exception {
        String trace = run(42);
        assertEquals(trace, run(42));
        assertNotEquals(trace, run(43));
    }

    @Test
    void theGuideShowsThisFile() throws Exception {
        String guide = Files.readString(Path.of("../docs/simulation.md"));
        String me = Files.readString(Path.of("src/test/java/io/jtcp/simulation/GuideExampleTest.java"));
        assertTrue(guide.contains("```java\n" + me + "```"), "docs/simulation.md must show GuideExampleTest.java verbatim");
    }
}
