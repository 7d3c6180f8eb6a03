package io.jtcp.api;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.jtcp.api.Hosts.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The sockets API end to end over real threads: echo, half-close, async forms, concurrency. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketsTest {

    static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    static byte[] readAll(InputStream in) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) != -1; ) all.write(buf, 0, n);
        return all.toByteArray();
    }

    /** Echoes until the client's FIN, then half-closes back and closes. */
    static void echo(TcpSocket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) != -1; ) out.write(buf, 0, n);
            s.shutdownOutput();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void echoServerWithTwoHundredVirtualThreadClients() throws Exception {
        int clients = 200, size = 64 * 1024;
        try (Hosts h = new Hosts(); ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            TcpServerSocket server = TcpServerSocket.listen(h.server, 7, 256);
            vts.submit(() -> {
                while (true) {
                    TcpSocket s = server.accept();
                    vts.submit(() -> echo(s));
                }
            });
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                long seed = i;
                results.add(vts.submit(() -> {
                    byte[] data = randomBytes(seed, size);
                    try (TcpSocket s = TcpSocket.open(h.client)) {
                        s.connect(SERVER, 7);
                        Future<?> writer = vts.submit(() -> {
                            s.getOutputStream().write(data);
                            s.shutdownOutput();
                            return null;
                        });
                        byte[] back = readAll(s.getInputStream());
                        writer.get(WAIT_SECONDS, TimeUnit.SECONDS);
                        assertThat(back).hasSize(size);
                        return sha256(back);
                    }
                }));
            }
            for (int i = 0; i < clients; i++) {
                assertThat(results.get(i).get(WAIT_SECONDS * 2, TimeUnit.SECONDS)).isEqualTo(sha256(randomBytes(i, size)));
            }
            server.close();
        }
    }

    @Test
    void halfCloseThroughTheApi() throws Exception {
        try (Hosts h = Hosts.keepingTimeWait()) {
            TcpServerSocket server = TcpServerSocket.listen(h.server, 80, 8);
            TcpSocket[] pair = h.connect(server);
            TcpSocket client = pair[0], accepted = pair[1];
            byte[] reply = randomBytes(7, 300_000);

            client.getOutputStream().write("GET /\r\n".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();

            CompletableFuture<byte[]> clientReads = CompletableFuture.supplyAsync(() -> {
                try {
                    return readAll(client.getInputStream());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, Executors.newVirtualThreadPerTaskExecutor());
            byte[] request = onVirtualThread(() -> readAll(accepted.getInputStream()));
            assertThat(new String(request, StandardCharsets.US_ASCII)).isEqualTo("GET /\r\n");
            assertThat(accepted.getInputStream().read()).as("still at end of stream").isEqualTo(-1);

            onVirtualThread(() -> {
                accepted.getOutputStream().write(reply); // the half-closed peer still takes data
                accepted.close();
                return null;
            });
            assertThat(bounded(clientReads)).isEqualTo(reply);
            assertThat(client.read(new byte[1], 0, 1)).isEqualTo(-1);
            client.close();
            awaitConnection(h.client, c -> c.state() == io.jtcp.tcp.State.TIME_WAIT);
            server.close();
        }
    }

    @Test
    void asyncAcceptConnectReadAndWrite() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket server = TcpServerSocket.open(h.server);
            server.bind(0);
            server.listen(4);
            assertThat(server.localPort()).isBetween(h.server.sysctls().ipLocalPortRangeLow(), h.server.sysctls().ipLocalPortRangeHigh());

            CompletableFuture<TcpSocket> accepted = server.acceptAsync();
            CompletableFuture<TcpSocket> connected = TcpSocket.open(h.client).connectAsync(SERVER, server.localPort());
            TcpSocket c = bounded(connected);
            TcpSocket s = bounded(accepted);
            assertThat(c.remotePort()).isEqualTo(server.localPort());
            assertThat(s.remotePort()).isEqualTo(c.localPort());
            assertThat(s.remoteAddress().getAddress().getHostAddress()).isEqualTo(CLIENT);

            // An async ping-pong: each side's read completes only when the other's write lands.
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            byte[] serverBuf = new byte[16], clientBuf = new byte[16];
            CompletableFuture<Integer> serverRead = s.readAsync(serverBuf, 0, serverBuf.length);
            assertThat(serverRead).isNotDone();
            CompletableFuture<String> roundTrip = c.writeAsync(ping, 0, ping.length)
                    .thenCompose(v -> serverRead)
                    .thenCompose(n -> s.writeAsync(Arrays.copyOf(serverBuf, n), 0, n))
                    .thenCompose(v -> c.readAsync(clientBuf, 0, clientBuf.length))
                    .thenApply(n -> new String(clientBuf, 0, n, StandardCharsets.US_ASCII));
            assertThat(bounded(roundTrip)).isEqualTo("ping");

            // A large async write completes once it all fits in the send buffer, as the peer reads.
            byte[] big = randomBytes(3, 1 << 20);
            CompletableFuture<Void> written = c.writeAsync(big, 0, big.length);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            while (got.size() < big.length) {
                int n = bounded(s.readAsync(buf, 0, buf.length));
                got.write(buf, 0, n);
            }
            bounded(written);
            assertThat(got.toByteArray()).isEqualTo(big);

            bounded(c.closeAsync());
            assertThat(bounded(s.readAsync(buf, 0, buf.length))).isEqualTo(-1);
            bounded(s.closeAsync());
            server.close();
        }
    }

    @Test
    void manyThreadsWriteToDifferentSocketsAtOnce() throws Exception {
        int sockets = 24, writes = 400, chunk = 700;
        try (Hosts h = new Hosts()) {
            TcpServerSocket server = TcpServerSocket.listen(h.server, 9000, 64);
            List<TcpSocket[]> pairs = new ArrayList<>();
            for (int i = 0; i < sockets; i++) pairs.add(h.connect(server));

            List<CompletableFuture<byte[]>> received = new ArrayList<>();
            for (TcpSocket[] p : pairs) {
                received.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return sha256(readAll(p[1].getInputStream()));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, Executors.newVirtualThreadPerTaskExecutor()));
            }
            // Platform threads and virtual threads, all writing at the same time, each to its own socket.
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < sockets; i++) {
                TcpSocket s = pairs.get(i)[0];
                byte[] data = randomBytes(100 + i, writes * chunk);
                Runnable write = () -> {
                    try {
                        for (int k = 0; k < writes; k++) s.write(data, k * chunk, chunk);
                        s.shutdownOutput();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                };
                writers.add(i % 2 == 0 ? Thread.ofPlatform().start(write) : Thread.ofVirtual().start(write));
            }
            for (Thread t : writers) assertThat(t.join(java.time.Duration.ofSeconds(WAIT_SECONDS))).isTrue();
            for (int i = 0; i < sockets; i++) {
                assertThat(bounded(received.get(i))).isEqualTo(sha256(randomBytes(100 + i, writes * chunk)));
            }
            for (TcpSocket[] p : pairs) {
                p[0].close();
                p[1].close();
            }
            server.close();
        }
    }
}
