package io.jtcp.tun;

import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.api.UdpSocket;
import io.jtcp.tun.KernelInteropTest.Side;
import io.jtcp.tun.KernelPeer.Digest;
import io.jtcp.wire.IcmpWriter;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;
import io.jtcp.wire.PacketCodec;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.jtcp.tun.KernelInteropTest.expectTimeWait;
import static io.jtcp.tun.KernelInteropTest.readAll;
import static io.jtcp.tun.KernelPeer.bounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * jtcp as a whole IP host against the Linux kernel over TUN, both families on one device:
 * the kernel pings it, TCP runs over IPv6 both ways, UDP to a closed port draws port
 * unreachable both ways, a path MTU that drops mid-transfer is learnt from ICMP, and
 * loopback connections inside jtcp never touch the device. Root only (skipped otherwise,
 * failed with JTCP_REQUIRE_KERNEL=1); ping comes from iputils-ping
 * ({@code scripts/ensure-tools.sh iputils-ping}).
 */
class KernelIpTest {
    static final int MiB = 1 << 20;
    static final String WAIT = Long.toString(KernelPeer.WAIT_SECONDS);

    @BeforeEach
    void kernel() {
        KernelPeer.assumeKernel();
    }

    // ---- ICMP echo ----

    /** ping and ping -6 in the namespace: three requests each, three of jtcp's echo replies back. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {KernelPeer.JTCP, KernelPeer.JTCP6})
    void theKernelPingsJtcp(String jtcpAddress) throws Exception {
        ensurePing();
        try (KernelPeer p = new KernelPeer()) {
            String family = jtcpAddress.contains(":") ? "-6" : "-4";
            // -w bounds the whole run (a failure guard); ping exits 0 only with replies, else Ip.run throws.
            String out = p.ns("ping", family, "-n", "-c", "3", "-i", "0.2", "-w", WAIT, jtcpAddress);
            assertThat(out).contains("3 packets transmitted, 3 received").contains("from " + jtcpAddress + ": icmp_seq=3");
            String counter = jtcpAddress.contains(":") ? "Icmp6OutEchoReplies" : "IcmpOutEchoReps";
            long replies = bounded(p.loop.snapshot()).counters().get(counter);
            assertThat(replies).as(counter).isEqualTo(3);
        }
    }

    // ---- TCP over IPv6, both ways ----

    /** The kernel connects to [fd77::2]:7, 1 MiB each way; the kernel closes first and holds TIME_WAIT. */
    @Test
    void theKernelConnectsToJtcpOverIpv6() throws Exception {
        try (KernelPeer p = new KernelPeer()) {
            TcpServerSocket server = TcpServerSocket.open(p.loop);
            server.bind("::", 7);
            server.listen(16);
            CompletableFuture<TcpSocket> accepted = server.acceptAsync();
            try (Socket k = p.kernelConnect(KernelPeer.JTCP6, 7)) {
                TcpSocket s = bounded(accepted);
                assertThat(s.remoteAddress()).isEqualTo(new InetSocketAddress(KernelPeer.KERNEL6, k.getLocalPort()));
                CompletableFuture<Digest> jtcpGot = CompletableFuture.supplyAsync(() -> readAll(s));
                byte[] sent = KernelPeer.writePattern(k.getOutputStream(), MiB, 11);
                k.shutdownOutput();
                Digest got = bounded(jtcpGot);
                assertThat(got.length()).isEqualTo(MiB);
                assertThat(got.sha256()).isEqualTo(sent);

                CompletableFuture<Digest> kernelGot = CompletableFuture.supplyAsync(() -> readAll(k));
                byte[] answer = KernelPeer.writePattern(s.getOutputStream(), MiB, 12);
                s.close();
                Digest back = bounded(kernelGot);
                assertThat(back.length()).isEqualTo(MiB);
                assertThat(back.sha256()).isEqualTo(answer);
                int port = k.getLocalPort();
                k.close();
                expectTimeWait(p, Side.KERNEL, port);
                assertThat(p.ns("ss", "-6tanH", "state", "time-wait")).contains("[fd77::1]:" + port).contains("[fd77::2]:7");
            }
        }
    }

    /** jtcp connects to [fd77::1]:8080, 1 MiB each way; jtcp closes first and holds TIME_WAIT. */
    @Test
    void jtcpConnectsToTheKernelOverIpv6() throws Exception {
        try (KernelPeer p = new KernelPeer(); ServerSocket ks = p.kernelListen(KernelPeer.KERNEL6, 8080)) {
            TcpSocket c = TcpSocket.open(p.loop);
            c.connect("[" + KernelPeer.KERNEL6 + "]", 8080, Duration.ofSeconds(10));
            try (Socket k = ks.accept()) {
                assertThat(k.getRemoteSocketAddress()).isEqualTo(new InetSocketAddress(KernelPeer.JTCP6, c.localPort()));
                CompletableFuture<Digest> kernelGot = CompletableFuture.supplyAsync(() -> readAll(k));
                byte[] sent = KernelPeer.writePattern(c.getOutputStream(), MiB, 13);
                c.shutdownOutput();
                Digest got = bounded(kernelGot);
                assertThat(got.length()).isEqualTo(MiB);
                assertThat(got.sha256()).isEqualTo(sent);

                CompletableFuture<Digest> jtcpGot = CompletableFuture.supplyAsync(() -> readAll(c));
                byte[] answer = KernelPeer.writePattern(k.getOutputStream(), MiB, 14);
                k.close();
                Digest back = bounded(jtcpGot);
                assertThat(back.length()).isEqualTo(MiB);
                assertThat(back.sha256()).isEqualTo(answer);
                c.close();
                expectTimeWait(p, Side.JTCP, c.localPort());
            }
        }
    }

    // ---- UDP to a closed port ----

    /** The kernel's connected UDP socket sends to a port jtcp has no socket on: jtcp's port unreachable refuses it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {KernelPeer.JTCP, KernelPeer.JTCP6})
    void theKernelsUdpToAClosedJtcpPortIsRefused(String jtcpAddress) throws Exception {
        try (KernelPeer p = new KernelPeer();
             DatagramSocket k = p.host.netns().call(DatagramSocket::new)) {
            k.setSoTimeout((int) (KernelPeer.WAIT_SECONDS * 1000));
            k.connect(new InetSocketAddress(jtcpAddress, 9));
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            k.send(new DatagramPacket(hello, hello.length));
            Throwable t = catchThrowable(() -> k.receive(new DatagramPacket(new byte[64], 64)));
            assertThat(t).as("the kernel's receive after jtcp's port unreachable").isInstanceOf(PortUnreachableException.class);
        }
    }

    /** jtcp's connected UdpSocket sends to a port the kernel has no socket on: the kernel's port unreachable refuses it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {KernelPeer.KERNEL, KernelPeer.KERNEL6})
    void jtcpsUdpToAClosedKernelPortIsRefused(String kernelAddress) throws Exception {
        try (KernelPeer p = new KernelPeer();
             UdpSocket u = UdpSocket.open(p.loop, kernelAddress.contains(":"))) {
            u.setSoTimeout(Duration.ofSeconds(KernelPeer.WAIT_SECONDS));
            u.connect(new InetSocketAddress(kernelAddress, 9));
            u.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), null);
            Throwable t = catchThrowable(() -> u.receive(ByteBuffer.allocate(64)));
            assertThat(t).as("jtcp's receive after the kernel's port unreachable").isInstanceOf(PortUnreachableException.class);
        }
    }

    // ---- path MTU discovery ----

    /**
     * jtcp sends 8 MiB to the kernel. Once the kernel has read 2 MiB the path shrinks: jtcp's
     * packets above the new MTU are dropped on its side of the device and answered, as a
     * router would, with "fragmentation needed" / "packet too big" from the kernel's address
     * quoting the dropped packet. Every byte arrives, and jtcp's TCP_INFO shows the path MTU.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(booleans = {false, true})
    void aPathMtuDropMidTransferIsLearntAndEveryByteArrives(boolean v6) throws Exception {
        int pathMtu = v6 ? TunHost.IPV6_MIN_MTU : 1000;
        long size = 8L * MiB;
        String kernel = v6 ? KernelPeer.KERNEL6 : KernelPeer.KERNEL;
        try (KernelPeer p = new KernelPeer(); ServerSocket ks = p.kernelListen(kernel, 8080)) {
            TcpSocket c = TcpSocket.open(p.loop);
            c.connect(v6 ? "[" + kernel + "]" : kernel, 8080, Duration.ofSeconds(10));
            assertThat(c.tcpInfo().pmtu()).isEqualTo(1500);
            AtomicLong errorsSent = new AtomicLong();
            try (Socket k = ks.accept()) {
                CompletableFuture<Digest> kernelGot = CompletableFuture.supplyAsync(() -> {
                    try {
                        return KernelPeer.readAll(shrinkPathAfter(k.getInputStream(), 2L * MiB,
                                () -> p.host.link().dropOutgoing(routerBefore(p.host.link(), IpAddress.parse(kernel), pathMtu, errorsSent))));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                byte[] sent = KernelPeer.writePattern(c.getOutputStream(), size, 15);
                c.shutdownOutput();
                Digest got = bounded(kernelGot);
                assertThat(got.length()).isEqualTo(size);
                assertThat(got.sha256()).isEqualTo(sent);
                assertThat(errorsSent.get()).as("ICMP errors the path sent").isPositive();
                assertThat(c.tcpInfo().pmtu()).isEqualTo(pathMtu);
                assertThat(c.tcpInfo().sndMss()).isLessThanOrEqualTo(pathMtu - (v6 ? 60 : 40));
                c.close();
            }
        }
    }

    /** An input stream that runs {@code shrink} once, after {@code after} bytes have been read through it. */
    private static InputStream shrinkPathAfter(InputStream in, long after, Runnable shrink) {
        return new java.io.FilterInputStream(in) {
            long seen;
            boolean done;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0 && (seen += n) >= after && !done) {
                    done = true;
                    shrink.run();
                }
                return n;
            }
        };
    }

    /**
     * A drop filter for jtcp's outgoing packets that acts as a router with a smaller next
     * hop: a packet above {@code pathMtu} is dropped and answered, from {@code router}, with
     * the ICMP error that quotes it (RFC 1191 section 4, RFC 8201 section 4).
     */
    private static PacketFilter routerBefore(TunLink link, IpAddress router, int pathMtu, AtomicLong errorsSent) {
        IpPacket dropped = new IpPacket();
        byte[] error = new byte[IcmpWriter.V6_MAX_ERROR_PACKET];
        return (packet, off, len) -> {
            if (len <= pathMtu) return false;
            if (PacketCodec.decodeIp(packet, off, len, dropped) != null) throw new AssertionError("jtcp sent a packet it cannot decode");
            int n = dropped.version == 6 ? IcmpWriter.packetTooBig(dropped, pathMtu, router, 64, error, 0)
                    : IcmpWriter.fragmentationNeeded(dropped, pathMtu, router, 64, 0, error, 0);
            link.inject(error, 0, n);
            errorsSent.incrementAndGet();
            return true;
        };
    }

    // ---- loopback inside jtcp ----

    /** 127.0.0.1 and ::1 connections inside jtcp work while it sits on the device, and none of their packets reach it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void loopbackConnectionsStayInsideJtcp(String loopback) throws Exception {
        try (KernelPeer p = new KernelPeer()) {
            TcpServerSocket server = TcpServerSocket.open(p.loop);
            server.bind(loopback, 7);
            server.listen(16);
            long written = p.host.link().sent();
            CompletableFuture<TcpSocket> accepted = server.acceptAsync();
            TcpSocket c = TcpSocket.open(p.loop);
            c.connect(loopback.contains(":") ? "[" + loopback + "]" : loopback, 7, Duration.ofSeconds(10));
            TcpSocket s = bounded(accepted);
            assertThat(s.remoteAddress()).isEqualTo(new InetSocketAddress(loopback, c.localPort()));
            CompletableFuture<Digest> serverGot = CompletableFuture.supplyAsync(() -> readAll(s));
            byte[] sent = KernelPeer.writePattern(c.getOutputStream(), MiB, 16);
            c.close();
            Digest got = bounded(serverGot);
            assertThat(got.length()).isEqualTo(MiB);
            assertThat(got.sha256()).isEqualTo(sent);
            s.close();
            p.awaitJtcp(all -> all.stream().allMatch(x -> x.state() == io.jtcp.tcp.State.TIME_WAIT));
            assertThat(p.host.link().sent()).as("packets written to the device").isEqualTo(written);
        }
    }

    /** As {@link KernelPeer#assumeKernel()} for ping: skipped without it, failed when JTCP_REQUIRE_KERNEL=1. */
    private static void ensurePing() {
        try {
            String repo = System.getenv("JTCP_REPO");
            if (repo != null) Ip.run(repo + "/scripts/ensure-tools.sh", "iputils-ping");
            Ip.run("ping", "-V");
        } catch (IOException e) {
            String why = "ping is missing (scripts/ensure-tools.sh iputils-ping): " + e.getMessage();
            if ("1".equals(System.getenv("JTCP_REQUIRE_KERNEL"))) org.junit.jupiter.api.Assertions.fail(why);
            org.junit.jupiter.api.Assumptions.assumeTrue(false, why);
        }
    }
}
