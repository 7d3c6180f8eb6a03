package io.jtcp.tun;

import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.jtcp.tun.KernelInteropTest.readAll;
import static io.jtcp.tun.KernelPeer.bounded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte-exact transfers both ways with the device's offloads on (TSO super-segments read
 * and written, checksums left partial), with the vnet header but no offload, and with no
 * header at all; the fallback ladder; two queues of one device. Root only, like
 * {@link KernelInteropTest}.
 */
class OffloadKernelTest {
    static final int SIZE = 8 << 20;

    @BeforeEach
    void kernel() {
        KernelPeer.assumeKernel();
    }

    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of(1500, TunOffloads.TCP), Arguments.of(65535, TunOffloads.TCP),
                Arguments.of(1500, TunOffloads.HEADER_ONLY), Arguments.of(65535, TunOffloads.HEADER_ONLY),
                Arguments.of(1500, TunOffloads.NONE), Arguments.of(65535, TunOffloads.NONE));
    }

    @ParameterizedTest(name = "mtu {0}, {1}")
    @MethodSource("paths")
    void bytesArriveExactlyBothWays(int mtu, TunOffloads asked) throws Exception {
        try (KernelPeer p = new KernelPeer(mtu, Sysctls.linux(), asked); ServerSocket ks = p.kernelListen(8080)) {
            TunLink link = p.host.link();
            // This kernel (6.x) takes everything jtcp asks for TCP.
            assertThat(link.device().offloads()).isEqualTo(asked);

            TcpServerSocket server = TcpServerSocket.listen(p.loop, 7, 16);
            CompletableFuture<TcpSocket> accepted = server.acceptAsync();
            try (Socket k = p.kernelConnect(7)) {
                TcpSocket s = bounded(accepted);
                KernelPeer.sendExactly(k.getOutputStream(), k::shutdownOutput, CompletableFuture.supplyAsync(() -> readAll(s)), SIZE, 11);
                s.close();
            }
            TcpSocket c = TcpSocket.open(p.loop);
            c.connect(KernelPeer.KERNEL, 8080, Duration.ofSeconds(10));
            try (Socket k = ks.accept()) {
                KernelPeer.sendExactly(c.getOutputStream(), c::shutdownOutput, CompletableFuture.supplyAsync(() -> readAll(k)), SIZE, 12);
                c.close();
            }
            if (asked.tso() && mtu == 1500) {
                // At MTU 1500 the kernel's TSO and our gluing both have several segments to join;
                // at 65535 one segment already fills 64 KiB, and only the checksums are offloaded.
                assertThat(link.superSegmentsRead()).isPositive();
                assertThat(link.superSegmentsWritten()).isPositive();
                assertThat(link.segmentsGlued()).isGreaterThan(2 * link.superSegmentsWritten() - 1);
            }
            if (asked.checksum()) assertThat(link.checksumsTrusted()).isPositive();
            if (!asked.tso()) {
                assertThat(link.superSegmentsRead()).isZero();
                assertThat(link.superSegmentsWritten()).isZero();
                assertThat(link.checksumsTrusted()).isZero();
            }
        }
    }

    @Test
    void refusedOffloadsFallBackStepByStep() throws Exception {
        try (NetNs ns = NetNs.create("jtcp-t")) {
            try (TunDevice d = ns.call(() -> TunDevice.open("jto0", TunOffloads.ALL, false, f -> f > TunOffloads.CSUM))) {
                assertThat(d.offloads()).isEqualTo(new TunOffloads(true, TunOffloads.CSUM));
                assertThat(d.headerSize()).isEqualTo(VnetHeader.SIZE);
            }
            try (TunDevice d = ns.call(() -> TunDevice.open("jto0", TunOffloads.TCP, false, f -> f > 0))) {
                assertThat(d.offloads()).isEqualTo(TunOffloads.HEADER_ONLY);
            }
            try (TunDevice d = ns.call(() -> TunDevice.open("jto0", TunOffloads.TCP, false, f -> true))) {
                assertThat(d.offloads()).isEqualTo(TunOffloads.NONE);
                assertThat(d.headerSize()).isZero();
            }
        }
    }

    /**
     * Two queues of one device, SYNs to a closed kernel port written on both: the kernel
     * answers every one, and its RSTs come back spread over both queues (tun_select_queue
     * hashes each flow; 32 flows all on one queue would be a 2^-31 chance).
     */
    @Test
    void twoQueuesBothCarryTraffic() throws Exception {
        try (NetNs ns = NetNs.create("jtcp-t")) {
            List<TunDevice> queues = ns.call(() -> TunDevice.openQueues("jtq0", 2, TunOffloads.TCP));
            try {
                assertThat(queues).hasSize(2);
                assertThat(queues.get(1).name()).isEqualTo(queues.get(0).name());
                assertThat(queues.get(1).offloads()).isEqualTo(queues.get(0).offloads());
                Ip.ip(ns.name(), "addr", "add", "10.78.0.1/24", "dev", queues.get(0).name());
                Ip.ip(ns.name(), "link", "set", queues.get(0).name(), "up");
                int flows = 32;
                for (int i = 0; i < flows; i++) {
                    byte[] syn = syn(41000 + i);
                    assertThat(queues.get(i % 2).write(syn, 0, syn.length)).isTrue();
                }
                int[] perQueue = new int[2];
                int got = 0;
                byte[] buf = new byte[TunDevice.MAX_FRAME];
                Segment rst = new Segment();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (got < flows && System.nanoTime() < deadline) {
                    for (int q = 0; q < 2; q++) {
                        TunDevice d = queues.get(q);
                        if (!d.awaitReadable(50)) continue;
                        for (int n; (n = d.read(buf)) > 0; ) {
                            if (PacketCodec.decode(buf, 0, n, rst, true) != null || !rst.rst()) continue;
                            perQueue[q]++;
                            got++;
                        }
                    }
                }
                assertThat(got).isEqualTo(flows);
                assertThat(perQueue[0]).isPositive();
                assertThat(perQueue[1]).isPositive();
            } finally {
                for (TunDevice q : queues) q.close();
            }
        }
    }

    private static byte[] syn(int port) {
        Segment s = new Segment();
        s.srcAddr = IpAddress.parse("10.78.0.2");
        s.dstAddr = IpAddress.parse("10.78.0.1");
        s.srcPort = port;
        s.dstPort = 9;
        s.seq = 1;
        s.flags = TcpFlags.SYN;
        s.window = 1000;
        byte[] out = new byte[PacketCodec.MAX_PACKET_LENGTH];
        return java.util.Arrays.copyOf(out, PacketCodec.encode(s, out, 0, true, true));
    }
}
