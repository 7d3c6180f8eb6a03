package io.jtcp.tun;

import io.jtcp.api.TcpSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

import static io.jtcp.tun.KernelPeer.bounded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TUN device goes down in the middle of a transfer from jtcp to the kernel and comes
 * back. While it is down nothing reaches the kernel: jtcp's writes to the device fail
 * and count as lost packets, so its RTO retransmits, as Linux's own TCP does when
 * dev_queue_xmit refuses a packet. Once the device is up the transfer completes byte for
 * byte, and the stack loop never died.
 */
class DeviceDownKernelTest {
    @Test
    void aTransferSurvivesTheDeviceGoingDownAndUp() throws Exception {
        KernelPeer.assumeKernel();
        int size = 8 << 20;
        try (KernelPeer p = new KernelPeer(); ServerSocket ks = p.kernelListen(8081);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            TcpSocket c = TcpSocket.open(p.loop);
            c.connect(KernelPeer.KERNEL, 8081, Duration.ofSeconds(10));
            try (Socket k = ks.accept()) {
                // The kernel stops reading after 1 MiB until the device has gone down, so that jtcp still
                // has most of the transfer to send when it does.
                CompletableFuture<Void> firstMiB = new CompletableFuture<>(), deviceDown = new CompletableFuture<>();
                CompletableFuture<KernelPeer.Digest> kernelGot = CompletableFuture.supplyAsync(() -> {
                    try {
                        return KernelPeer.readAll(new PausingInput(k.getInputStream(), 1 << 20, firstMiB, deviceDown));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, threads);
                CompletableFuture<byte[]> sent = CompletableFuture.supplyAsync(() -> {
                    try {
                        byte[] d = KernelPeer.writePattern(c.getOutputStream(), size, 5);
                        c.shutdownOutput();
                        return d;
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, threads);
                bounded(firstMiB);
                p.ns("ip", "link", "set", "jt0", "down");
                deviceDown.complete(null);
                // Down: jtcp's next probe or retransmission goes into a device that refuses it, and again.
                p.awaitJtcp(cs -> cs.stream().anyMatch(s -> s.retries() + s.probes() >= 2));
                p.ns("ip", "link", "set", "jt0", "up");

                KernelPeer.Digest got = bounded(kernelGot);
                assertThat(got.length()).isEqualTo(size);
                assertThat(got.sha256()).isEqualTo(bounded(sent));
                assertThat(p.failures).as("the stack loop's failures").isEmpty();
                c.close();
                k.close();
                p.awaitJtcp(cs -> cs.stream().allMatch(s -> s.state() == io.jtcp.tcp.State.TIME_WAIT));
            }
        }
    }

    /** An input stream that, once {@code after} bytes have been read, signals and waits for {@code resume}. */
    private static final class PausingInput extends java.io.FilterInputStream {
        private final long after;
        private final CompletableFuture<Void> reached, resume;
        private long count;

        PausingInput(java.io.InputStream in, long after, CompletableFuture<Void> reached, CompletableFuture<Void> resume) {
            super(in);
            this.after = after;
            this.reached = reached;
            this.resume = resume;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            if (count >= after && !reached.isDone()) {
                reached.complete(null);
                try {
                    bounded(resume);
                } catch (Exception e) {
                    throw new java.io.IOException(e);
                }
            }
            int n = super.read(b, off, (int) Math.min(len, count < after ? after - count : len));
            if (n > 0) count += n;
            return n;
        }
    }
}
