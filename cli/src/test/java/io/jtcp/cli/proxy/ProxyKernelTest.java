package io.jtcp.cli.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jtcp.api.StackLoop;
import io.jtcp.tun.Ip;
import io.jtcp.tun.NetNs;
import io.jtcp.tun.TunHost;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code jtcp proxy} end to end, with the kernel at both ends: namespace C holds the TUN
 * device and the client, whose routes send the server's subnets (IPv4 and IPv6) into the
 * device; the proxy (this JVM, its own namespace) relays through the JDK's sockets over a
 * veth pair to namespace S, where the kernel server listens. Skips unless root with
 * /dev/net/tun and iproute2 (JTCP_REQUIRE_KERNEL=1 makes that a failure).
 */
class ProxyKernelTest {
    private static final int ECHO = 7000, CLOSED = 7001, DNS = 5353;
    private static final long WAIT_SECONDS = 60;

    private final String id = HexFormat.of().toHexDigits(new Random().nextInt()).substring(0, 6);
    /** The veth subnets between this namespace and S; the third octet varies so parallel runs do not collide. */
    private final int octet = 100 + new Random().nextInt(150);
    private final String server4 = "10.231." + octet + ".2", server6 = "fd00:231:" + octet + "::2";
    private final String vethHere = "jpr" + id, vethThere = "jps" + id;
    private final List<Throwable> serverFailures = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private NetNs c, s;
    private TunHost tun;
    private StackLoop loop;
    private Proxy proxy;
    private boolean vethMade;

    @BeforeEach
    void world() throws Exception {
        assumeKernel();
        try {
            c = NetNs.create("jtcp-pc");
            s = NetNs.create("jtcp-ps");
            tun = TunHost.open("jt0", List.of("10.77.0.2/24", "fd77::2/64"), List.of(), 1500, c);
            Ip.ip(c.name(), "route", "add", "10.231." + octet + ".0/24", "dev", "jt0");
            Ip.ip(c.name(), "-6", "route", "add", "fd00:231:" + octet + "::/64", "dev", "jt0");
            Ip.run("ip", "link", "add", vethHere, "type", "veth", "peer", "name", vethThere);
            vethMade = true;
            Ip.run("ip", "link", "set", vethThere, "netns", s.name());
            Ip.run("ip", "addr", "add", "10.231." + octet + ".1/24", "dev", vethHere);
            Ip.run("ip", "-6", "addr", "add", "fd00:231:" + octet + "::1/64", "dev", vethHere, "nodad");
            Ip.run("ip", "link", "set", vethHere, "up");
            Ip.ip(s.name(), "addr", "add", server4 + "/24", "dev", vethThere);
            Ip.ip(s.name(), "-6", "addr", "add", server6 + "/64", "dev", vethThere, "nodad");
            Ip.ip(s.name(), "link", "set", vethThere, "up");
            loop = tun.stackBuilder("proxy").start(tun.link());
            proxy = Proxy.start(loop, new DirectUpstream(10_000));
            startServers();
        } catch (Throwable t) {
            cleanUp();
            throw t;
        }
    }

    @AfterEach
    void cleanUp() {
        threads.shutdownNow();
        if (proxy != null) proxy.close();
        if (loop != null) loop.close();
        if (tun != null) tun.close();  // removes C with the device
        else if (c != null) c.close();
        if (vethMade) {
            try {
                Ip.run("ip", "link", "del", vethHere);
            } catch (IOException gone) {
                // went with S
            }
        }
        if (s != null) s.close();
        assertThat(serverFailures).isEmpty();
    }

    /** In S: an echo server that half-closes after the client's FIN, and a DNS-shaped UDP responder; both dual-stack. */
    private void startServers() throws IOException {
        ServerSocketChannel echo = s.call(() -> ServerSocketChannel.open().bind(new InetSocketAddress("::", ECHO), 256));
        DatagramChannel dns = s.call(() -> DatagramChannel.open().bind(new InetSocketAddress("::", DNS)));
        threads.execute(() -> {
            try (echo) {
                while (true) {
                    SocketChannel conn = echo.accept();
                    threads.execute(() -> echoUntilFin(conn));
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        threads.execute(() -> {
            try (dns) {
                ByteBuffer b = ByteBuffer.allocate(512);
                while (true) {
                    b.clear();
                    InetSocketAddress from = (InetSocketAddress) dns.receive(b);
                    b.flip();
                    dns.send(answer(b), from);
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
    }

    private void echoUntilFin(SocketChannel conn) {
        try (conn) {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            while (conn.read(b) >= 0) {
                b.flip();
                while (b.hasRemaining()) conn.write(b);
                b.clear();
            }
            conn.shutdownOutput();
        } catch (IOException e) {
            serverFailures.add(e);
        }
    }

    /** A DNS query's answer as a responder shapes it: the same id and question, QR set, one A record 192.0.2.53. */
    private static ByteBuffer answer(ByteBuffer query) {
        ByteBuffer a = ByteBuffer.allocate(query.remaining() + 16);
        a.put(query.duplicate());
        a.put(2, (byte) (a.get(2) | 0x80));
        a.putShort(6, (short) 1);
        a.put(new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, (byte) 192, 0, 2, 53});
        return a.flip();
    }

    private static byte[] query(int id, String name) {
        ByteBuffer q = ByteBuffer.allocate(512);
        q.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putInt(0);
        for (String label : name.split("\\.")) q.put((byte) label.length()).put(label.getBytes());
        q.put((byte) 0).putShort((short) 1).putShort((short) 1);
        return java.util.Arrays.copyOf(q.array(), q.position());
    }

    /** A client socket of the kernel in C (the fd is made there, so it lives there), connected from any thread. */
    private SocketChannel clientIn(String address, int port) throws IOException {
        SocketChannel ch = c.call(SocketChannel::open);
        try {
            ch.connect(new InetSocketAddress(address, port));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Sends {@code data}, half-closes, reads to the end: what came back. */
    private static byte[] exchange(SocketChannel ch, byte[] data) throws IOException {
        try (ch) {
            Future<?> reader;
            ByteBuffer got = ByteBuffer.allocate(data.length + 1);
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    while (ch.read(got) >= 0 && got.hasRemaining()) { }
                    done.complete(null);
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
            });
            ByteBuffer out = ByteBuffer.wrap(data);
            while (out.hasRemaining()) ch.write(out);
            ch.shutdownOutput();
            try {
                done.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException(e);
            }
            return java.util.Arrays.copyOf(got.array(), got.position());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bytesCrossTheProxyExactlyBothWaysAndHalfCloseCarriesThrough(boolean v6) throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(v6 ? 6 : 4).nextBytes(data);
        byte[] back = exchange(clientIn(v6 ? server6 : server4, ECHO), data);
        assertThat(back).isEqualTo(data);
        assertThat(proxy.counters().tcpBytesOut.sum()).isEqualTo(data.length);
        assertThat(proxy.counters().tcpBytesIn.sum()).isEqualTo(data.length);
    }

    @Test
    void aHundredConnectionsAtOnceAreAllByteExact() throws Exception {
        int n = 100;
        List<SocketChannel> open = new ArrayList<>();
        for (int i = 0; i < n; i++) open.add(clientIn(i % 2 == 0 ? server4 : server6, ECHO));
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SocketChannel ch = open.get(i);
            byte[] data = new byte[32 * 1024 + i];
            new Random(i).nextBytes(data);
            results.add(threads.submit(() -> java.util.Arrays.equals(exchange(ch, data), data)));
        }
        for (Future<Boolean> r : results) assertThat(r.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(proxy.counters().tcpConnections.sum()).isEqualTo(n);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aClosedDestinationPortIsConnectionRefusedAtTheClient(boolean v6) {
        assertThatThrownBy(() -> clientIn(v6 ? server6 : server4, CLOSED))
                .isInstanceOf(ConnectException.class).hasMessageContaining("refused");
        assertThat(proxy.counters().tcpRefused.sum()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aDnsShapedQueryGetsItsAnswerThroughTheProxy(boolean v6) throws Exception {
        DatagramChannel ch = c.call(DatagramChannel::open);
        try (ch) {
            ch.connect(new InetSocketAddress(v6 ? server6 : server4, DNS));
            byte[] q = query(0x4a7c, "example.test");
            ch.write(ByteBuffer.wrap(q));
            ByteBuffer got = ByteBuffer.allocate(512);
            Future<Integer> read = threads.submit(() -> ch.read(got));
            assertThat(read.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(q.length + 16);
            got.flip();
            ByteBuffer expected = answer(ByteBuffer.wrap(q));
            assertThat(got).isEqualTo(expected);
        }
        assertThat(proxy.counters().udpFlows.sum()).isEqualTo(1);
        assertThat(proxy.counters().udpDatagramsIn.sum()).isEqualTo(1);
    }

    static void assumeKernel() {
        String why = whyNoKernel();
        if (why == null) return;
        if ("1".equals(System.getenv("JTCP_REQUIRE_KERNEL"))) fail("JTCP_REQUIRE_KERNEL=1 but " + why);
        assumeTrue(false, "skipped: " + why);
    }

    private static String whyNoKernel() {
        try {
            String status = Files.readString(Path.of("/proc/self/status"));
            String uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: -1").split("\\s+")[1];
            if (!uid.equals("0")) return "the proxy's kernel test needs root (uid is " + uid + ")";
            if (!Files.exists(Path.of("/dev/net/tun"))) return "no /dev/net/tun";
            Ip.run("ip", "-V");
        } catch (IOException e) {
            return "no iproute2 or no /proc: " + e.getMessage();
        }
        return null;
    }
}
