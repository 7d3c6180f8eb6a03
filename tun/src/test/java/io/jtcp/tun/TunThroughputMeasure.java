package io.jtcp.tun;

import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.config.Sysctls;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput and connection-rate figures, not a pass/fail test: run with
 * {@code mvn -pl tun -am test -Dtest=TunThroughputMeasure -Djtcp.measure=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "jtcp.measure", matches = "true")
class TunThroughputMeasure {
    static final long SIZE = 200L << 20;

    @Test
    void measure() throws Exception {
        KernelPeer.assumeKernel();
        for (int mtu : new int[] {1500, 65535}) {
            try (KernelPeer p = new KernelPeer(mtu, Sysctls.linux()); ServerSocket ks = p.kernelListen(8080)) {
                TcpServerSocket server = TcpServerSocket.listen(p.loop, 7, 128);
                CompletableFuture<TcpSocket> accepted = server.acceptAsync();
                try (Socket k = p.kernelConnect(7)) {
                    TcpSocket s = KernelPeer.bounded(accepted);
                    CompletableFuture<KernelPeer.Digest> got = CompletableFuture.supplyAsync(() -> KernelInteropTest.readAll(s));
                    long t0 = System.nanoTime();
                    KernelPeer.writePattern(k.getOutputStream(), SIZE, 1);
                    k.shutdownOutput();
                    KernelPeer.bounded(got);
                    KernelInteropTest.report("mtu " + mtu + " kernel -> jtcp", SIZE, System.nanoTime() - t0);
                    s.close();
                }
                TcpSocket c = TcpSocket.open(p.loop);
                c.connect(KernelPeer.KERNEL, 8080, Duration.ofSeconds(10));
                try (Socket k = ks.accept()) {
                    CompletableFuture<KernelPeer.Digest> got = CompletableFuture.supplyAsync(() -> KernelInteropTest.readAll(k));
                    long t0 = System.nanoTime();
                    KernelPeer.writePattern(c.getOutputStream(), SIZE, 2);
                    c.shutdownOutput();
                    KernelPeer.bounded(got);
                    KernelInteropTest.report("mtu " + mtu + " jtcp -> kernel", SIZE, System.nanoTime() - t0);
                    c.close();
                }
                if (mtu == 1500) {
                    // Kernel loopback with JDK sockets in the same namespace, for comparison.
                    try (ServerSocket lo = p.host.netns().call(() -> new ServerSocket(9000, 16, java.net.InetAddress.getLoopbackAddress()));
                         Socket a = p.host.netns().call(() -> new Socket(java.net.InetAddress.getLoopbackAddress(), 9000));
                         Socket b = lo.accept()) {
                        CompletableFuture<KernelPeer.Digest> got = CompletableFuture.supplyAsync(() -> KernelInteropTest.readAll(b));
                        long t0 = System.nanoTime();
                        KernelPeer.writePattern(a.getOutputStream(), SIZE, 3);
                        a.shutdownOutput();
                        KernelPeer.bounded(got);
                        KernelInteropTest.report("kernel loopback (JDK sockets)", SIZE, System.nanoTime() - t0);
                    }
                    // Connections per second, kernel client -> jtcp server: connect, 1 byte each way, close.
                    Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                        try {
                            while (true) {
                                TcpSocket t = server.accept();
                                Thread.ofVirtual().start(() -> {
                                    try (t) {
                                        int x = t.getInputStream().read();
                                        t.getOutputStream().write(x);
                                    } catch (Exception ignored) {
                                    }
                                });
                            }
                        } catch (Exception stop) {
                        }
                    });
                    int n = 0;
                    long t0 = System.nanoTime(), end = t0 + Duration.ofSeconds(3).toNanos();
                    while (System.nanoTime() < end) {
                        try (Socket k = p.kernelConnect(7)) {
                            OutputStream o = k.getOutputStream();
                            o.write(1);
                            k.getInputStream().read();
                        }
                        n++;
                    }
                    System.out.printf("kernel client -> jtcp server: %.0f connections/s (%d in %.1f s, sequential, 1 byte each way)%n",
                            n / ((System.nanoTime() - t0) / 1e9), n, (System.nanoTime() - t0) / 1e9);
                    server.close();
                    acceptor.interrupt();
                }
            }
        }
    }
}
