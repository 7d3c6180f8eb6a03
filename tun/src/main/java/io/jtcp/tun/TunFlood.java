package io.jtcp.tun;

import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.IpAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel client's connection rate with and without a single-source SYN flood, against a
 * jtcp listener over a TUN device and against a kernel listener, in one world: a fresh
 * namespace {@code jtcp-f<hex>} with the TUN device (kernel 10.77.0.1, jtcp 10.77.0.2),
 * a second TUN device nobody reads ({@value #SINK}) that the flood's spoofed source
 * {@value #SPOOFED} is routed to, so the SYN-ACKs both listeners send to it vanish as they
 * would on the Internet, and the {@link StackLoop}. The client is JDK sockets in the
 * namespace (connect, 1-byte request, 1-byte reply, close, as {@link TunMeasure}'s rate);
 * the attacker is a {@link SynFlood}, in the namespace only, bounded in time.
 *
 * <p>The kernel's listener keeps the namespace's defaults (tcp_syncookies,
 * tcp_max_syn_backlog, somaxconn: {@link #kernelSettings}); jtcp's stack takes the same
 * values and its listener the same backlog. Every phase gets fresh listeners, so the SYN
 * queue a flood filled does not carry into the next phase (each on a port of its own). {@link #close()} removes the
 * devices and the namespace.
 */
public final class TunFlood implements AutoCloseable {
    public static final String JTCP = TunMeasure.JTCP, KERNEL = TunMeasure.KERNEL, SPOOFED = "10.66.0.1";
    static final String SINK = "sink0";
    /**
     * The first phase's port; each phase listens on the next, so no phase meets the last one's
     * leftovers. Above the client's ephemeral range (1024-65000, set below), where no TIME_WAIT
     * of the client's can hold the port.
     */
    static final int FIRST_PORT = 65001, PORTS = 500;
    /** How long a client's connect may wait: a dropped SYN is retransmitted after 1, 3, 7 s. */
    private static final int CONNECT_TIMEOUT_MILLIS = 15_000;

    /** Whom the client connects to. */
    public enum Target { JTCP, KERNEL }

    /** A phase's flood rate: none. */
    public static final double NO_FLOOD = 0;
    /** A phase's flood rate: as fast as the generator's one thread sends to that listener. */
    public static final double UNPACED = SynFlood.UNPACED;

    /**
     * One phase: the client's rate, the connections it made, its connects that timed out,
     * and what the flood did meanwhile: SYNs the device took, SYNs refused (ENOBUFS), and
     * the rate it reached (SYNs taken a second over the flood's life, which spans the client's phase).
     */
    public record Phase(double rate, long connections, long connectTimeouts, long synsSent, long synsRefused, double synRate) {}

    private final TunHost host;
    private final TunDevice sink;
    private final StackLoop loop;
    private final List<Throwable> failures;
    private final Map<String, Integer> kernelSettings;
    private int phases;

    private TunFlood(TunHost host, TunDevice sink, StackLoop loop, List<Throwable> failures, Map<String, Integer> kernelSettings) {
        this.host = host;
        this.sink = sink;
        this.loop = loop;
        this.failures = failures;
        this.kernelSettings = kernelSettings;
    }

    /** Why this machine cannot run the measurement, or null ({@link TunMeasure#whyNot}). */
    public static String whyNot() { return TunMeasure.whyNot(); }

    /** A fresh namespace, devices and stack. */
    public static TunFlood open() throws IOException {
        NetNs ns = NetNs.create("jtcp-f");
        TunHost h;
        try {
            h = TunHost.open("jt0", JTCP + "/24", KERNEL, 1500, ns);
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        TunDevice sink = null;
        try {
            Map<String, Integer> settings = ns.call(() -> {
                // As TunMeasure: tens of thousands of client connections, each leaving a TIME_WAIT.
                Files.writeString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), "1024 65000");
                Files.writeString(Path.of("/proc/sys/net/ipv4/tcp_tw_reuse"), "1");
                // Both listeners' SYN-ACKs to the spoofed source go the same way: forwarded to the sink
                // (jtcp's come back in through jt0; without forwarding they would earn ICMP errors instead).
                Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
                Map<String, Integer> m = new LinkedHashMap<>();
                m.put("tcp_syncookies", readInt("/proc/sys/net/ipv4/tcp_syncookies"));
                m.put("tcp_max_syn_backlog", readInt("/proc/sys/net/ipv4/tcp_max_syn_backlog"));
                m.put("somaxconn", readInt("/proc/sys/net/core/somaxconn"));
                return m;
            });
            sink = ns.call(() -> TunDevice.open(SINK));
            Ip.ip(ns.name(), "link", "set", SINK, "up");
            Ip.ip(ns.name(), "route", "add", SPOOFED + "/32", "dev", SINK);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            Sysctls sysctls = Sysctls.linux().set("mtu=1500")
                    .set("tcp_syncookies", String.valueOf(settings.get("tcp_syncookies")))
                    .set("tcp_max_syn_backlog", String.valueOf(settings.get("tcp_max_syn_backlog")))
                    .set("somaxconn", String.valueOf(settings.get("somaxconn")));
            StackLoop l = StackLoop.builder("jtcp", JTCP).sysctls(sysctls).failureHandler(failures::add).start(h.link());
            return new TunFlood(h, sink, l, failures, settings);
        } catch (IOException | RuntimeException e) {
            if (sink != null) sink.close();
            h.close();
            throw e;
        }
    }

    /** A sysctl's value; readAllLines, as Files.readString of a /proc/sys file returns only its first byte on JDK 25. */
    private static int readInt(String path) throws IOException {
        return Integer.parseInt(Files.readAllLines(Path.of(path)).getFirst().strip());
    }

    public String namespace() { return host.netnsName(); }

    /** The namespace's tcp_syncookies, tcp_max_syn_backlog and somaxconn, which both listeners use. */
    public Map<String, Integer> kernelSettings() { return kernelSettings; }

    /**
     * The client's connections per second to {@code target} for at least {@code nanos} (and
     * until its first connection completes), with a SYN flood to the same listener all the
     * while at {@code synsPerSecond} ({@link #NO_FLOOD}, a rate, or {@link #UNPACED}).
     */
    public Phase phase(Target target, double synsPerSecond, long nanos) throws IOException {
        int port = FIRST_PORT + phases++ % PORTS;
        try (Listener l = target == Target.JTCP ? jtcpListener(port) : kernelListener(port)) {
            IpAddress dst = IpAddress.parse(target == Target.JTCP ? JTCP : KERNEL);
            // The flood's own bound: the phase, plus the longest the client may go on without a connection.
            long limit = nanos + CONNECT_TIMEOUT_MILLIS * 1_000_000L * 3;
            SynFlood f = synsPerSecond == NO_FLOOD ? null
                    : SynFlood.start(host.netns(), IpAddress.parse(SPOOFED), dst, port, synsPerSecond, limit, phases);
            double[] rate;
            try {
                rate = host.netns().call(() -> rate(new InetSocketAddress(dst.toInetAddress(), port), nanos));
            } finally {
                if (f != null) f.stop();
            }
            if (f != null && f.failure() != null) throw new IOException("the flood failed: " + f.failure(), f.failure());
            if (!failures.isEmpty()) throw new IOException("the stack's loop failed: " + failures.getFirst(), failures.getFirst());
            return f == null ? new Phase(rate[0], (long) rate[1], (long) rate[2], 0, 0, 0)
                    : new Phase(rate[0], (long) rate[1], (long) rate[2], f.sent(), f.refused(), f.rate());
        }
    }

    /**
     * {rate, connections, connects that timed out}: one connection after another until
     * {@code nanos} has passed and one completed, or until {@code nanos} plus two connect
     * timeouts have passed without one. A connect that times out (its SYN and every retry
     * lost) is part of what a flood does to the client: counted, not fatal to the phase.
     */
    private static double[] rate(InetSocketAddress to, long nanos) throws IOException {
        long start = System.nanoTime(), end = start + nanos, giveUp = end + CONNECT_TIMEOUT_MILLIS * 1_000_000L * 2;
        long n = 0, timeouts = 0, t;
        do {
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.connect(to, CONNECT_TIMEOUT_MILLIS);
                s.getOutputStream().write(42);
                if (s.getInputStream().read() < 0) throw new IOException("no reply from " + to);
                n++;
            } catch (SocketTimeoutException e) {
                timeouts++;
            }
            t = System.nanoTime();
        } while (t < end || n == 0 && t < giveUp);
        return new double[] {n * 1e9 / (t - start), n, timeouts};
    }

    /** jtcp's counters of the SYN path (nstat names), as they stand. */
    public Map<String, Long> jtcpCounters() throws IOException {
        Map<String, Long> all;
        try {
            all = loop.call(() -> loop.stack().counters().asMap(0)).get();
        } catch (Exception e) {
            throw new IOException("cannot read the stack's counters", e);
        }
        return synPath(all);
    }

    /** The kernel's counters of the SYN path in the namespace (/proc/net/netstat's TcpExt line). */
    public Map<String, Long> kernelCounters() throws IOException {
        List<String> lines = host.netns().exec("cat", "/proc/net/netstat").lines().filter(l -> l.startsWith("TcpExt:")).toList();
        Map<String, Long> all = new LinkedHashMap<>();
        if (lines.size() == 2) {
            String[] names = lines.get(0).split(" "), values = lines.get(1).split(" ");
            for (int i = 1; i < names.length && i < values.length; i++) all.put("TcpExt" + names[i], Long.parseLong(values[i]));
        }
        return synPath(all);
    }

    private static Map<String, Long> synPath(Map<String, ? extends Number> all) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String k : List.of("TcpExtTCPReqQFullDoCookies", "TcpExtTCPReqQFullDrop", "TcpExtSyncookiesSent", "TcpExtSyncookiesRecv",
                "TcpExtSyncookiesFailed", "TcpExtListenOverflows", "TcpExtListenDrops")) {
            Number v = all.get(k);
            m.put(k, v == null ? 0 : v.longValue());
        }
        return m;
    }

    /**
     * Packets the kernel dropped at jt0's transmit queue because jtcp did not read them in
     * time ({@code ip -s link}'s TX dropped): SYNs, and the client's packets with them.
     */
    public long deviceTxDropped() throws IOException {
        String out = Ip.ip(host.netnsName(), "-s", "-j", "link", "show", "dev", host.device());
        Matcher m = Pattern.compile("\"tx\":\\{[^}]*\"dropped\":(\\d+)").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    // ---- the listeners: fresh for each phase, each answering one byte per connection ----

    private interface Listener extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private Listener jtcpListener(int port) throws IOException {
        TcpServerSocket s = TcpServerSocket.listen(loop, port, kernelSettings.get("somaxconn"));
        Thread.ofPlatform().daemon().name("jtcp-flood-accept").start(() -> {
            try {
                while (true) {
                    TcpSocket t = s.accept();
                    TunMeasure.echoOne(t.getInputStream(), t.getOutputStream(), t);
                }
            } catch (IOException | RuntimeException stop) {
                // the listener was closed
            }
        });
        return s::close;
    }

    private Listener kernelListener(int port) throws IOException {
        // listen(2) with somaxconn as the backlog: the kernel caps it there anyway.
        ServerSocket s = host.netns().call(() -> {
            ServerSocket k = new ServerSocket();
            k.setReuseAddress(true);
            k.bind(new InetSocketAddress(KERNEL, port), kernelSettings.get("somaxconn"));
            return k;
        });
        Thread.ofPlatform().daemon().name("jtcp-flood-kernel-accept").start(() -> {
            try {
                while (true) {
                    Socket c = s.accept();
                    c.setTcpNoDelay(true);
                    TunMeasure.echoOne(c.getInputStream(), c.getOutputStream(), c);
                }
            } catch (IOException stop) {
                // the listener was closed
            }
        });
        return s::close;
    }

    /** Stops the stack, removes both devices and the namespace. */
    @Override
    public void close() {
        try {
            loop.close();
        } finally {
            try {
                sink.close();
            } finally {
                host.close();
            }
        }
    }
}
