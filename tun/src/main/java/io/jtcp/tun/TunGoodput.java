package io.jtcp.tun;

import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.config.Sysctls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Goodput over an impaired TUN link for a fixed time, each way: a kernel sender against
 * jtcp reading, and a jtcp sender against the kernel reading, over the same
 * {@link LinkImpairment} (data one way and ACKs the other meet the same path). One
 * instance is one world: a fresh namespace {@code jtcp-l<hex>}, a TUN device at MTU 1500
 * with the kernel at 10.77.0.1 and jtcp at 10.77.0.2, and a stack on it.
 *
 * <p>Neither end's window may be the limit: the namespace's tcp_rmem and tcp_wmem reach
 * {@link #BUFFER_MAX} and its sockets autotune (an explicit SO_RCVBUF would turn Linux's
 * autotuning off and be capped by the host-wide rmem_max); jtcp's tcp_rmem and tcp_wmem
 * are the same. The namespace runs {@code cubic} unless told otherwise, and
 * tcp_no_metrics_save so that no connection inherits the last one's ssthresh
 * (tcp_init_metrics). The bytes counted are those the reader got between the end of the
 * handshake and the deadline; both ends are then reset.
 */
public final class TunGoodput implements AutoCloseable {
    public static final String JTCP = "10.77.0.2", KERNEL = "10.77.0.1";
    public static final int MTU = 1500;
    /** The largest buffer either end may autotune to: far above any BDP the cases reach. */
    public static final int BUFFER_MAX = 64 << 20;
    static final int JTCP_PORT = 7, KERNEL_PORT = 8080;
    private static final int BLOCK = 64 * 1024;
    private static final long STOP_SECONDS = 30;

    private final TunHost host;
    private final StackLoop loop;
    private final Sysctls sysctls;
    private final List<Throwable> failures;
    private final TcpServerSocket jtcpServer;
    private final ServerSocket kernelServer;
    private final String kernelCongestionControl;

    private TunGoodput(TunHost host, StackLoop loop, Sysctls sysctls, List<Throwable> failures) throws IOException {
        this.host = host;
        this.loop = loop;
        this.sysctls = sysctls;
        this.failures = failures;
        this.jtcpServer = TcpServerSocket.listen(loop, JTCP_PORT, 16);
        this.kernelServer = host.netns().call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(KERNEL, KERNEL_PORT), 16);
            return s;
        });
        this.kernelCongestionControl = host.netns().call(() -> Files.readString(IPV4.resolve("tcp_congestion_control")).trim());
    }

    private static final Path IPV4 = Path.of("/proc/sys/net/ipv4");

    /** A fresh namespace whose kernel runs {@code kernelCongestionControl}, and jtcp on {@code jtcpSysctls} with large buffers. */
    public static TunGoodput open(String kernelCongestionControl, Sysctls jtcpSysctls) throws IOException {
        NetNs ns = NetNs.create("jtcp-l");
        TunHost h;
        try {
            String buffers = "4096 131072 " + BUFFER_MAX;
            ns.call(() -> {
                Files.writeString(IPV4.resolve("tcp_congestion_control"), kernelCongestionControl);
                Files.writeString(IPV4.resolve("tcp_rmem"), buffers);
                Files.writeString(IPV4.resolve("tcp_wmem"), buffers);
                Files.writeString(IPV4.resolve("tcp_no_metrics_save"), "1");
                return null;
            });
            h = TunHost.open("jt0", JTCP + "/24", KERNEL, MTU, ns);
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        try {
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            String buffers = "4096 131072 " + BUFFER_MAX;
            Sysctls cfg = jtcpSysctls.set("mtu=" + MTU).set("tcp_rmem", buffers).set("tcp_wmem", buffers);
            StackLoop l = StackLoop.builder("jtcp", JTCP).sysctls(cfg).failureHandler(failures::add).start(h.link());
            try {
                return new TunGoodput(h, l, cfg, failures);
            } catch (IOException | RuntimeException e) {
                l.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    /** The path both directions take from now on; {@link LinkImpairment#NONE} for none. */
    public void impair(LinkImpairment path, long seed) {
        host.link().impair(path, seed);
    }

    public TunLink link() { return host.link(); }
    public String namespace() { return host.netnsName(); }
    /** What the namespace's sockets run (its net.ipv4.tcp_congestion_control). */
    public String kernelCongestionControl() { return kernelCongestionControl; }
    /** What jtcp's connections run (its tcp_congestion_control). */
    public String jtcpCongestionControl() { return sysctls.tcpCongestionControl().linuxName(); }

    /** The kernel sends for {@code time}, jtcp reads; bytes per second jtcp read. */
    public double kernelToJtcp(Duration time) throws IOException {
        var accepted = jtcpServer.acceptAsync();
        Socket k = host.netns().call(() -> {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(JTCP, JTCP_PORT), 10_000);
            return s;
        });
        TcpSocket j;
        try {
            j = accepted.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            reset(k);
            throw new IOException("jtcp accepted no connection", e);
        }
        return run(time, k.getOutputStream(), j.getInputStream(), () -> {
            reset(k);
            j.abort();
        });
    }

    /** jtcp sends for {@code time}, the kernel reads; bytes per second the kernel read. */
    public double jtcpToKernel(Duration time) throws IOException {
        TcpSocket j = TcpSocket.open(loop);
        Socket k;
        try {
            j.connect(KERNEL, KERNEL_PORT, Duration.ofSeconds(10));
            k = kernelServer.accept();
        } catch (IOException e) {
            j.abort();
            throw e;
        }
        return run(time, j.getOutputStream(), k.getInputStream(), () -> {
            j.abort();
            reset(k);
        });
    }

    private interface Stop { void run() throws IOException; }

    /** Writes from one thread and counts what the other end reads on another until {@code time} is up; then resets both ends. */
    private double run(Duration time, OutputStream out, InputStream in, Stop stop) throws IOException {
        AtomicLong read = new AtomicLong();
        Thread reader = Thread.ofPlatform().daemon().name("jtcp-goodput-read").start(() -> {
            byte[] buf = new byte[BLOCK];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) read.addAndGet(n);
            } catch (IOException ended) {
                // reset at the deadline
            }
        });
        Thread writer = Thread.ofPlatform().daemon().name("jtcp-goodput-write").start(() -> {
            byte[] block = new byte[BLOCK];
            new java.util.SplittableRandom(1).nextBytes(block);
            try {
                while (true) out.write(block);
            } catch (IOException ended) {
                // reset at the deadline
            }
        });
        long t0 = System.nanoTime();
        try {
            Thread.sleep(time);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.run();
            throw new IOException("interrupted", e);
        }
        long got = read.get(), elapsed = System.nanoTime() - t0;
        stop.run();
        join(reader);
        join(writer);
        if (!failures.isEmpty()) throw new IOException("the stack's loop failed: " + failures.getFirst(), failures.getFirst());
        return got * 1e9 / elapsed;
    }

    private static void join(Thread t) throws IOException {
        try {
            if (!t.join(Duration.ofSeconds(STOP_SECONDS))) throw new IOException(t.getName() + " did not stop after the reset");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** close(2) with SO_LINGER zero: an RST, no TIME_WAIT, and the blocked reader or writer woken. */
    private static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    /** Stops the listeners and the stack, removes the device and the namespace. */
    @Override
    public void close() {
        try {
            jtcpServer.close();
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
        try {
            kernelServer.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            loop.close();
        } finally {
            host.close();
        }
    }
}
