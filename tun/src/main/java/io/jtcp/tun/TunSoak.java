package io.jtcp.tun;

import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpSocket;
import io.jtcp.scenario.soak.SoakPayload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real-time soak against the Linux kernel over TUN: {@code concurrency} jtcp clients
 * in a loop each connect to a kernel server in a namespace of its own, send a request
 * and read the reply to end of stream, then close. The kernel reads the request (its
 * length follows from the id in its first bytes), checks every byte, answers and closes
 * first, so the kernel keeps the TIME_WAIT and jtcp's side ends through CLOSE_WAIT and
 * LAST_ACK in CLOSED; jtcp's ephemeral ports come round to 4-tuples the kernel still
 * holds in TIME_WAIT, which it must let a new SYN take over. It stops after {@code connections}
 * connections or once {@code duration} has passed, whichever comes first; both ends
 * check every byte against {@link SoakPayload}. Afterwards jtcp's stack must hold no
 * connection, TIME_WAIT entry or port, and the report gives the retained heap after a
 * full GC at the start and at the end.
 */
public final class TunSoak {
    private static final int PORT = 7000;
    private static final int CHUNK = 16384;

    public record Config(int concurrency, long connections, Duration duration) {}

    public record Result(long connections, long bytes, long wallNanos, long failures, List<String> firstFailures,
                         long heapStartBytes, long heapEndBytes, int connectionsLeft, int timeWaitLeft, int portsLeft) {
        public boolean passed() {
            return failures == 0 && connections > 0 && connectionsLeft == 0 && timeWaitLeft == 0 && portsLeft == 0;
        }

        public String summary() {
            return String.format(Locale.ROOT, "tun: %s — %d connections, %.1f MiB, %.1f s wall (%.0f connections/s); failures %d; "
                            + "retained heap after GC %.1f MiB at start, %.1f MiB at end; left: %d connections, %d TIME_WAIT, %d ports%s",
                    passed() ? "PASS" : "FAIL", connections, bytes / 1048576.0, wallNanos / 1e9, connections / (wallNanos / 1e9),
                    failures, heapStartBytes / 1048576.0, heapEndBytes / 1048576.0, connectionsLeft, timeWaitLeft, portsLeft,
                    firstFailures.isEmpty() ? "" : "\n  " + String.join("\n  ", firstFailures));
        }
    }

    /** Sizes of connection {@code id}'s request (at least the 4 id bytes) and reply, known to both ends. */
    static int requestSize(long id) { return 4 + (int) (id * 7919 % 65536); }

    static int replySize(long id) { return (int) (id * 104729 % 16384); }

    private TunSoak() {}

    public static Result run(Config cfg) throws Exception {
        NetNs ns = NetNs.create("jtcp-soak");
        TunHost host;
        try {
            host = TunHost.open("jsoak0", "10.78.0.2/24", null, 1500, ns);
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        try (host; StackLoop loop = host.stackBuilder("soak").start(host.link())) {
            return soak(cfg, host, loop);
        }
    }

    private static Result soak(Config cfg, TunHost host, StackLoop loop) throws Exception {
        long heapStart = retainedHeap();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong failureCount = new AtomicLong(), done = new AtomicLong(), bytes = new AtomicLong(), next = new AtomicLong();
        ServerSocket server = host.netns().call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host.kernelAddress(), PORT), 1024);
            return s;
        });
        long start = System.nanoTime(), deadline = start + cfg.duration().toNanos();
        try (server; ExecutorService kernelSide = Executors.newVirtualThreadPerTaskExecutor();
             ExecutorService jtcpSide = Executors.newVirtualThreadPerTaskExecutor()) {
            kernelSide.submit(() -> {
                while (!server.isClosed()) {
                    Socket s;
                    try {
                        s = server.accept();
                    } catch (IOException closed) {
                        return null;
                    }
                    kernelSide.submit(() -> serve(s, failures, failureCount));
                }
                return null;
            });
            for (int i = 0; i < cfg.concurrency(); i++) {
                jtcpSide.submit(() -> {
                    for (long id; (id = next.getAndIncrement()) < cfg.connections() && System.nanoTime() < deadline; ) {
                        try {
                            exchange(loop, host.kernelAddress(), id);
                            done.incrementAndGet();
                            bytes.addAndGet(requestSize(id) + replySize(id));
                        } catch (Exception e) {
                            fail(failures, failureCount, "jtcp #" + id + ": " + e);
                        }
                    }
                    return null;
                });
            }
            jtcpSide.shutdown();
            jtcpSide.awaitTermination(cfg.duration().toSeconds() + 600, TimeUnit.SECONDS);
            server.close();
        }
        long wall = System.nanoTime() - start;
        // jtcp closes last (LAST_ACK): wait, bounded, for the kernel's final ACKs.
        loop.when(() -> loop.stack().connectionCount() == 0).get(60, TimeUnit.SECONDS);
        int[] left = loop.call(() -> new int[] {loop.stack().connectionCount(), loop.stack().timeWaitCount(),
                loop.stack().portsInUse()}).get(60, TimeUnit.SECONDS);
        return new Result(done.get(), bytes.get(), wall, failureCount.get(), new ArrayList<>(failures), heapStart, retainedHeap(),
                left[0], left[1], left[2]);
    }

    /** jtcp's end of one connection: request out, reply in to end of stream, close. */
    private static void exchange(StackLoop loop, String kernel, long id) throws IOException {
        try (TcpSocket s = TcpSocket.open(loop)) {
            s.connect(kernel, PORT);
            byte[] buf = new byte[CHUNK];
            int size = requestSize(id);
            for (int pos = 0; pos < size; ) {
                int n = Math.min(CHUNK, size - pos);
                SoakPayload.fill((int) id, id * 2, pos, buf, 0, n);
                s.write(buf, 0, n);
                pos += n;
            }
            long got = 0;
            for (int n; (n = s.read(buf, 0, buf.length)) >= 0; got += n) {
                int bad = SoakPayload.firstMismatch((int) id, id * 2 + 1, got, buf, 0, n);
                if (bad >= 0) throw new IOException("reply byte " + (got + bad) + " differs");
            }
            if (got != replySize(id)) throw new IOException("reply " + got + " of " + replySize(id) + " bytes");
        }
    }

    /** The kernel's end: the request (its size follows from the id in its first 4 bytes), checked; the reply; close. */
    private static Void serve(Socket s, ConcurrentLinkedQueue<String> failures, AtomicLong failureCount) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] head = in.readNBytes(4);
            if (head.length < 4) throw new IOException("request shorter than its id");
            int id = SoakPayload.idOf(head);
            byte[] buf = new byte[CHUNK];
            long size = requestSize(id);
            for (long pos = 4; pos < size; ) {
                int n = in.read(buf, 0, (int) Math.min(CHUNK, size - pos));
                if (n < 0) throw new IOException("request #" + id + " ended at " + pos + " of " + size);
                int bad = SoakPayload.firstMismatch(id, id * 2L, pos, buf, 0, n);
                if (bad >= 0) throw new IOException("request #" + id + " byte " + (pos + bad) + " differs");
                pos += n;
            }
            int reply = replySize(id);
            for (int pos = 0; pos < reply; ) {
                int n = Math.min(CHUNK, reply - pos);
                SoakPayload.fill(id, id * 2L + 1, pos, buf, 0, n);
                out.write(buf, 0, n);
                pos += n;
            }
        } catch (IOException e) {
            fail(failures, failureCount, "kernel: " + e);
        }
        return null;
    }

    private static void fail(ConcurrentLinkedQueue<String> failures, AtomicLong count, String what) {
        if (count.incrementAndGet() <= 5) failures.add(what);
    }

    /** Heap in use after full collections (a few, so that finalizable and soft garbage is gone too). */
    private static long retainedHeap() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
