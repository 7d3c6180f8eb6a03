package io.jtcp.tun;

import io.jtcp.api.StackLoop;
import io.jtcp.config.Sysctls;
import io.jtcp.observe.TraceEvent;
import io.jtcp.api.ConnectionStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One test's world: a fresh namespace {@code jtcp-t<random>}, a TUN device in it with
 * the kernel at 10.77.0.1/24 and fd77::1/64, jtcp at 10.77.0.2 and fd77::2 (IPv4 only below
 * an MTU of 1280), a {@link StackLoop} on the device,
 * and JDK sockets made inside the namespace for the kernel's end. {@link #close()}
 * removes the device and the namespace (and the NetNs shutdown hook does, should the JVM
 * die first).
 */
final class KernelPeer implements AutoCloseable {
    static final String JTCP = "10.77.0.2", KERNEL = "10.77.0.1";
    /** The IPv6 prefix on the same device (at an MTU of 1280 or more, which IPv6 needs). */
    static final String JTCP6 = "fd77::2", KERNEL6 = "fd77::1";
    static final long WAIT_SECONDS = 60;

    final TunHost host;
    final StackLoop loop;
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    /** Every state change of jtcp's connections, in order (recorded on the loop's thread). */
    private final List<TraceEvent.StateEvent> states = new CopyOnWriteArrayList<>();

    /** Skips (or, with JTCP_REQUIRE_KERNEL=1, fails) when the kernel cannot be a peer here. */
    static void assumeKernel() {
        String why = whyNoKernel();
        if (why == null) return;
        if ("1".equals(System.getenv("JTCP_REQUIRE_KERNEL"))) fail("JTCP_REQUIRE_KERNEL=1 but " + why);
        assumeTrue(false, "skipped: " + why);
    }

    static String whyNoKernel() {
        try {
            String status = Files.readString(Path.of("/proc/self/status"));
            String uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: -1").split("\\s+")[1];
            if (!uid.equals("0")) return "kernel-peer tests need root (uid is " + uid + ")";
        } catch (IOException e) {
            return "cannot read /proc/self/status: " + e.getMessage();
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) return "no /dev/net/tun";
        try {
            String repo = System.getenv("JTCP_REPO");
            if (repo != null) Ip.run(repo + "/scripts/ensure-tools.sh", "iproute2");
            Ip.run("ip", "-V");
            Ip.run("ss", "-V");
        } catch (IOException e) {
            return "iproute2 is missing (scripts/ensure-tools.sh iproute2): " + e.getMessage();
        }
        return null;
    }

    KernelPeer() throws IOException {
        this(1500, Sysctls.linux());
    }

    KernelPeer(int mtu, Sysctls sysctls) throws IOException {
        this(mtu, sysctls, TunOffloads.TCP);
    }

    KernelPeer(int mtu, Sysctls sysctls, TunOffloads offloads) throws IOException {
        NetNs ns = NetNs.create("jtcp-t");
        TunHost h;
        try {
            List<String> cidrs = mtu >= TunHost.IPV6_MIN_MTU ? List.of(JTCP + "/24", JTCP6 + "/64") : List.of(JTCP + "/24");
            h = TunHost.open("jt0", cidrs, List.of(), mtu, ns, offloads);
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        this.host = h;
        StackLoop l;
        try {
            l = h.stackBuilder("jtcp").sysctls(sysctls.set("mtu=" + mtu)).failureHandler(failures::add).start(h.link());
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
        this.loop = l;
        try {
            bounded(l.call(() -> {
                l.stack().setTrace(e -> {
                    if (e instanceof TraceEvent.StateEvent s) states.add(s);
                });
                return null;
            }));
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the stack loop did not start", e);
        }
    }

    /** jtcp's state changes on the connection whose local or remote port is {@code port}, in order. */
    List<TraceEvent.StateEvent> states(int port) {
        String p = ":" + port;
        return states.stream().filter(s -> s.local().endsWith(p) || s.remote().endsWith(p)).toList();
    }

    /** A kernel socket connected to jtcp (socket(2) runs on the namespace's thread). */
    Socket kernelConnect(int port) throws IOException {
        return kernelConnect(JTCP, port);
    }

    /** A kernel socket connected to jtcp at {@code jtcpAddress} (10.77.0.2 or fd77::2). */
    Socket kernelConnect(String jtcpAddress, int port) throws IOException {
        return host.netns().call(() -> {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(jtcpAddress, port), 10_000);
            return s;
        });
    }

    /** A kernel listener at 10.77.0.1:port. */
    ServerSocket kernelListen(int port) throws IOException {
        return kernelListen(KERNEL, port);
    }

    /** A kernel listener at {@code kernelAddress}:port (10.77.0.1 or fd77::1). */
    ServerSocket kernelListen(String kernelAddress, int port) throws IOException {
        return host.netns().call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(kernelAddress, port), 16);
            return s;
        });
    }

    String ns(String... command) throws IOException {
        return host.exec(command);
    }

    List<ConnectionStatus> connections() throws Exception {
        return bounded(loop.call(() -> loop.stack().connections()));
    }

    /** Waits (bounded) until jtcp's connections satisfy {@code p}; a timeout says what they were instead. */
    void awaitJtcp(Predicate<List<ConnectionStatus>> p) throws Exception {
        try {
            bounded(loop.when(() -> p.test(loop.stack().connections())));
        } catch (java.util.concurrent.TimeoutException e) {
            StringBuilder seen = new StringBuilder("jtcp's connections never matched; its state changes were:");
            for (TraceEvent.StateEvent s : states) seen.append("\n  ").append(s.local()).append(' ').append(s.from()).append(" -> ")
                    .append(s.to()).append(" (").append(s.cause()).append(')');
            seen.append("\nand its connections are:");
            for (ConnectionStatus s : connections()) {
                seen.append("\n  ").append(s.tuple()).append(' ').append(s.state()).append(" timer ").append(s.timer())
                        .append(" snd_una ").append(Integer.toUnsignedString(s.sndUna()))
                        .append(" rcv_nxt ").append(Integer.toUnsignedString(s.rcvNxt()))
                        .append(" send-q ").append(s.sendQueue()).append(" recv-q ").append(s.receiveQueue());
            }
            throw new AssertionError(seen.toString(), e);
        }
    }

    /** Polls {@code ss} in the namespace until {@code p} holds of its output (bounded). */
    String awaitSs(Predicate<String> p, String... args) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        String out;
        do {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "ss";
            System.arraycopy(args, 0, cmd, 1, args.length);
            out = ns(cmd);
            if (p.test(out)) return out;
            Thread.sleep(20);
        } while (System.nanoTime() < end);
        throw new AssertionError("ss never showed what was expected:\n" + out);
    }

    static <T> T bounded(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            loop.close();
        } finally {
            host.close();
        }
        assertThat(failures).as("failures on the stack loop").isEmpty();
    }

    // ---- data ----

    /** Writes {@code n} bytes of a seeded pattern; returns their SHA-256. */
    static byte[] writePattern(OutputStream out, long n, long seed) throws IOException {
        MessageDigest md = sha256();
        byte[] block = new byte[64 * 1024];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < block.length; i++) block[i] = (byte) r.nextInt();
        long left = n;
        int rot = 0;
        while (left > 0) {
            int len = (int) Math.min(block.length - rot, left);
            out.write(block, rot, len);
            md.update(block, rot, len);
            left -= len;
            rot = (rot + 7) % 1024;
        }
        out.flush();
        return md.digest();
    }

    /** What ends a sender's half of a connection: a kernel Socket's or a jtcp TcpSocket's shutdownOutput. */
    @FunctionalInterface
    interface HalfClose {
        void shutdownOutput() throws IOException;
    }

    /**
     * One direction of a transfer, checked: writes {@code n} bytes of pattern {@code seed},
     * half-closes, and asserts that the reader already reading ({@code received}) got exactly
     * those bytes up to the FIN.
     */
    static void sendExactly(OutputStream out, HalfClose halfClose, CompletableFuture<Digest> received, long n, long seed)
            throws Exception {
        byte[] sent = writePattern(out, n, seed);
        halfClose.shutdownOutput();
        Digest got = bounded(received);
        assertThat(got.length()).isEqualTo(n);
        assertThat(got.sha256()).isEqualTo(sent);
    }

    /** Reads to EOF; returns [byte count as 8 bytes big-endian] ++ SHA-256. */
    static Digest readAll(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            md.update(buf, 0, n);
            total += n;
        }
        return new Digest(total, md.digest());
    }

    record Digest(long length, byte[] sha256) {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
