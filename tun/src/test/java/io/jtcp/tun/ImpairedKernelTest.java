package io.jtcp.tun;

import static io.jtcp.tun.KernelPeer.bounded;
import static io.jtcp.tun.KernelInteropTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.tun.KernelPeer.Digest;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The impaired TUN link against the kernel: 10 ms RTT with 1 ms of jitter and 1 % loss on
 * data and ACKs alike, and a transfer each way still arrives byte-exact. Each transfer
 * ends when the reader sees EOF. Root only, like the other kernel tests.
 */
class ImpairedKernelTest {
    private static final int SIZE = 1 << 20;

    @BeforeEach
    void kernel() {
        KernelPeer.assumeKernel();
    }

    @Test
    void onePercentLossBothWaysStillByteExact() throws Exception {
        LinkImpairment path = LinkImpairment.halfOf(Duration.ofMillis(10), 0.01).withJitter(Duration.ofMillis(1));
        try (KernelPeer p = new KernelPeer(); ServerSocket ks = p.kernelListen(8080)) {
            TunLink link = p.host.link();
            link.impair(path, 12);

            TcpServerSocket server = TcpServerSocket.listen(p.loop, 7, 16);
            CompletableFuture<TcpSocket> accepted = server.acceptAsync();
            try (Socket k = p.kernelConnect(7)) {
                TcpSocket s = bounded(accepted);
                CompletableFuture<Digest> jtcpGot = CompletableFuture.supplyAsync(() -> readAll(s));
                byte[] sent = KernelPeer.writePattern(k.getOutputStream(), SIZE, 21);
                k.shutdownOutput();
                Digest got = bounded(jtcpGot);
                assertThat(got.length()).as("kernel -> jtcp").isEqualTo(SIZE);
                assertThat(got.sha256()).isEqualTo(sent);
                s.close();
            }

            TcpSocket c = TcpSocket.open(p.loop);
            c.connect(KernelPeer.KERNEL, 8080, Duration.ofSeconds(20));
            try (Socket k = ks.accept()) {
                CompletableFuture<Digest> kernelGot = CompletableFuture.supplyAsync(() -> readAll(k));
                byte[] sent = KernelPeer.writePattern(c.getOutputStream(), SIZE, 22);
                c.shutdownOutput();
                Digest got = bounded(kernelGot);
                assertThat(got.length()).as("jtcp -> kernel").isEqualTo(SIZE);
                assertThat(got.sha256()).isEqualTo(sent);
                c.close();
            }

            TunLink.ImpairmentCounts in = link.impairedToStack(), out = link.impairedToDevice();
            assertThat(in.lostAtRandom()).as("packets lost on the way to jtcp").isPositive();
            assertThat(out.lostAtRandom()).as("packets lost on the way to the kernel").isPositive();
            // Every byte passed the impairment: at least one packet per 64 KiB, as the device's
            // offloads carry up to that much in one super-segment (netem on a TSO device, too,
            // loses or delays a GSO packet whole).
            assertThat(in.passed() + out.passed()).isGreaterThan(2L * SIZE / TunDevice.MAX_PACKET);
            assertThat(in.overflow() + out.overflow()).isZero();
            link.unimpair();
        }
    }
}
