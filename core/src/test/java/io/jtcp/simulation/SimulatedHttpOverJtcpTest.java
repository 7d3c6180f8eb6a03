package io.jtcp.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.jtcp.api.StackLoop;
import io.jtcp.link.sim.LinkParams;
import io.jtcp.nio.JtcpSelectorProvider;
import io.jtcp.observe.TextTracePrinter;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The JDK's own HttpServer and HttpClient, unmodified, on the simulator: 5% loss and 5%
 * reordering each way, in virtual time. Same seed, same trace, byte for byte; another seed,
 * another trace. Runs in the surefire execution whose JVM selects jtcp's SelectorProvider
 * (core/pom.xml), as a user's would.
 */
class SimulatedHttpOverJtcpTest {
    private static final int REQUESTS = 3;

    /** One run: the server on one host, the client on another; returns the whole trace. */
    private static String run(long seed) throws Exception {
        Simulation sim = new Simulation(seed);
        StackLoop serverHost = sim.addHost("server", "10.0.0.1");
        StackLoop clientHost = sim.addHost("client", "10.0.0.2");
        sim.network().setDefaultLink(LinkParams.DEFAULT.withDelay(Duration.ofMillis(10))
                .withLoss(0.05).withReorder(0.05, Duration.ofMillis(4)));
        StringBuilder trace = new StringBuilder();
        sim.setTrace(new TextTracePrinter(trace));

        HttpServer server = sim.call(serverHost, () -> {
            HttpServer s = HttpServer.create(new InetSocketAddress("10.0.0.1", 8080), 0);
            s.createContext("/echo", exchange -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            s.start();
            return s;
        });
        byte[] upload = new byte[64 * 1024];
        new Random(seed).nextBytes(upload);
        int echoed = sim.call(clientHost, () -> {
            // HttpClient's worker threads run its exchanges: they must be the simulation's (docs/simulation.md).
            HttpClient client = HttpClient.newBuilder().executor(sim.executor(clientHost))
                    .version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://10.0.0.1:8080/echo");
            int ok = 0;
            for (int i = 0; i < REQUESTS; i++) {
                HttpResponse<byte[]> r = client.send(
                        HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200 && java.util.Arrays.equals(r.body(), upload)) ok++;
            }
            client.shutdownNow();
            return ok;
        });
        assertThat(echoed).isEqualTo(REQUESTS);
        sim.call(serverHost, () -> {
            server.stop(0);
            return null;
        });
        return trace.toString();
    }

    @Test
    void theJdksHttpServerAndClientRunDeterministicallyUnderLoss() throws Exception {
        assumeTrue(System.getProperty("java.nio.channels.spi.SelectorProvider") != null, "runs in the jtcp-selector-provider execution");
        assertThat(SelectorProvider.provider()).isInstanceOf(JtcpSelectorProvider.class);
        String first = run(11);
        assertThat(first).contains("Flags [S]").contains("ESTABLISHED");
        assertThat(run(11)).isEqualTo(first);
        assertThat(run(12)).isNotEqualTo(first);
    }
}
