package io.jtcp.nio;

import com.sun.net.httpserver.HttpServer;
import io.jtcp.api.HostContext;
import io.jtcp.api.Hosts;
import io.jtcp.api.StackLoop;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.spi.SelectorProvider;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JDK's own HttpServer and HttpClient, unmodified, over jtcp: this class runs in the
 * surefire execution that starts the JVM with
 * {@code -Djava.nio.channels.spi.SelectorProvider=io.jtcp.nio.JtcpSelectorProvider}
 * (core/pom.xml), so both open their channels through jtcp's provider, each on its own host
 * of a MemoryNetwork as {@link HostContext} binds them.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpOverJtcpTest {

    /** Threads that open their channels on {@code host}: what HttpClient's executor needs (see docs). */
    static ThreadFactory boundTo(StackLoop host, String name) {
        return r -> Thread.ofPlatform().name(name).daemon().unstarted(() -> {
            HostContext.bind(host);
            r.run();
        });
    }

    @Test
    void httpClientTalksToHttpServerOverJtcp() throws Exception {
        // With -Dtest=... the default execution runs this too: there it has nothing to prove.
        assumeTrue(System.getProperty("java.nio.channels.spi.SelectorProvider") != null, "runs in the jtcp-selector-provider execution");
        assertThat(SelectorProvider.provider()).isInstanceOf(JtcpSelectorProvider.class);
        byte[] upload = new byte[1 << 20];
        new Random(7).nextBytes(upload);
        try (Hosts h = new Hosts();
             ExecutorService clientThreads = Executors.newCachedThreadPool(boundTo(h.client, "http-client"))) {
            HostContext.bind(h.server);
            HttpServer server = HttpServer.create(new InetSocketAddress(Hosts.SERVER, 8080), 0);
            server.createContext("/echo", exchange -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                String from = exchange.getRemoteAddress().getAddress().getHostAddress();
                exchange.getResponseHeaders().add("X-Peer", from);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            try {
                HostContext.bind(h.client);
                HttpClient client = HttpClient.newBuilder().executor(clientThreads).version(HttpClient.Version.HTTP_1_1).build();
                URI uri = URI.create("http://" + Hosts.SERVER + ":8080/echo");
                for (int i = 0; i < 3; i++) { // the later requests reuse the kept-alive connection
                    HttpResponse<byte[]> r = client.send(
                            HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.headers().firstValue("X-Peer")).hasValue(Hosts.CLIENT);
                    assertThat(Arrays.equals(r.body(), upload)).as("echoed body").isTrue();
                }
                client.shutdownNow();
            } finally {
                server.stop(0);
                HostContext.bind(null);
            }
        }
    }
}
