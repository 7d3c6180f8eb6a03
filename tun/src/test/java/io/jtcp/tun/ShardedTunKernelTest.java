package io.jtcp.tun;

import io.jtcp.api.TcpSocket;
import io.jtcp.config.Sysctls;
import io.jtcp.shard.ShardedHost;
import io.jtcp.shard.ShardedServerSocket;
import io.jtcp.shard.Steering;
import io.jtcp.tun.KernelPeer.Digest;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.jtcp.tun.KernelPeer.readAll;
import static io.jtcp.tun.KernelPeer.bounded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two shards on two queues of one TUN device, each shard's loop polling its own queue: the
 * kernel opens many connections to the sharded listener and jtcp opens many to a kernel
 * listener, every byte arrives exactly, and the packets the kernel queued on the shard that
 * does not own their flow were steered to the one that does. Root only, like
 * {@link KernelInteropTest}.
 */
class ShardedTunKernelTest {
    /** Per direction: with the kernel's queue choice and jtcp's flow hash independent, some land on the wrong shard for sure (2^-32 not). */
    static final int CONNECTIONS = 32;
    static final int SIZE = 256 << 10;

    @BeforeEach
    void kernel() {
        KernelPeer.assumeKernel();
    }

    @Test
    void manyConnectionsBothWaysAcrossTwoQueues() throws Exception {
        NetNs ns = NetNs.create("jtcp-t");
        TunHost tun;
        try {
            tun = TunHost.open("jts0", List.of(KernelPeer.JTCP + "/24"), List.of(), 1500, ns, TunOffloads.TCP, 2);
        } catch (Exception e) {
            ns.close();
            throw e;
        }
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        ShardedHost host;
        // Closed in reverse: the host (its shards reset their connections), the pool, then the device and namespace.
        try (tun; pool; ShardedHost h = ShardedHost.onQueues("jtcp", KernelPeer.JTCP + "/24", tun.queues(),
                Sysctls.linux().set("mtu=1500"), 42)) {
            assertThat(tun.queues()).hasSize(2);
            host = h;

            // The kernel connects to the sharded listener; each side sends its own pattern.
            ShardedServerSocket server = h.listen(7, 64);
            List<CompletableFuture<String>> jtcpGot = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                jtcpGot.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        TcpSocket s = server.accept();
                        String d = hex(readAll(s.getInputStream()));
                        s.close();
                        return d;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            List<Socket> kernelSide = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                kernelSide.add(ns.call(() -> {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(KernelPeer.JTCP, 7), 10_000);
                    return s;
                }));
            }
            List<CompletableFuture<String>> kernelSent = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket k = kernelSide.get(i);
                long seed = 100 + i;
                kernelSent.add(CompletableFuture.supplyAsync(() -> {
                    try (k) {
                        String d = hex(new Digest(SIZE, KernelPeer.writePattern(k.getOutputStream(), SIZE, seed)));
                        k.shutdownOutput();
                        k.getInputStream().read();
                        return d;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            assertThat(digests(jtcpGot)).isEqualTo(digests(kernelSent)).hasSize(CONNECTIONS);
            server.close();

            // jtcp connects to a kernel listener, round robin over the shards.
            try (ServerSocket ks = ns.call(() -> {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(KernelPeer.KERNEL, 8080), CONNECTIONS);
                return s;
            })) {
                List<CompletableFuture<String>> kernelGot = new ArrayList<>();
                List<CompletableFuture<String>> jtcpSent = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    TcpSocket c = h.connect(KernelPeer.KERNEL, 8080);
                    Socket k = ks.accept();
                    kernelGot.add(CompletableFuture.supplyAsync(() -> {
                        try (k) {
                            return hex(readAll(k.getInputStream()));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, pool));
                    long seed = 200 + i;
                    jtcpSent.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            String d = hex(new Digest(SIZE, KernelPeer.writePattern(c.getOutputStream(), SIZE, seed)));
                            c.shutdownOutput();
                            c.close();
                            return d;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, pool));
                }
                assertThat(digests(kernelGot)).isEqualTo(digests(jtcpSent)).hasSize(CONNECTIONS);
            }
        }
        // The shards' threads have ended: their counters are final and visible.
        long forwarded = 0, received = 0;
        for (int k = 0; k < 2; k++) {
            Steering.Counters c = host.steering().counters(k);
            assertThat(c.kept).as("packets shard %d owned from its own queue", k).isPositive();
            forwarded += c.forwarded;
            received += c.received;
        }
        assertThat(forwarded).as("packets steered to their owner").isPositive();
        assertThat(received).isPositive().isLessThanOrEqualTo(forwarded);
        assertThat(NetNs.live()).doesNotContain(ns.name());
    }

    private static Set<String> digests(List<CompletableFuture<String>> fs) throws Exception {
        Set<String> out = new HashSet<>();
        for (CompletableFuture<String> f : fs) out.add(bounded(f));
        return out;
    }

    private static String hex(Digest d) {
        return d.length() + ":" + HexFormat.of().formatHex(d.sha256());
    }
}
