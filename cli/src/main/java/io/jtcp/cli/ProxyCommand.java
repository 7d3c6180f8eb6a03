package io.jtcp.cli;

import io.jtcp.api.StackLoop;
import io.jtcp.cli.proxy.DirectUpstream;
import io.jtcp.cli.proxy.Proxy;
import io.jtcp.cli.proxy.Socks5Upstream;
import io.jtcp.cli.proxy.Upstream;
import io.jtcp.config.Sysctls;
import io.jtcp.tun.NetNs;
import io.jtcp.tun.TunHost;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jtcp proxy}: tun2socks. Every TCP connection and UDP flow entering the TUN device is relayed to its destination. */
@Command(name = "proxy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Relay every TCP connection and UDP flow that enters a TUN device to its original destination,",
                "through this machine's own sockets or a SOCKS5 server (tun2socks). Type ss, ss-info, netstat, nstat,",
                "summary or stats on stdin to see jtcp's side. Needs root (or CAP_NET_ADMIN), /dev/net/tun and iproute2.",
                "Route what should be proxied into the device, e.g. in the namespace holding it:",
                "  jtcp proxy --netns c --tun jt0 --addr 10.77.0.2/24 --addr fd77::2/64",
                "  ip netns exec c ip route add default dev jt0; ip netns exec c ip -6 route add default dev jt0"})
final class ProxyCommand implements Callable<Integer> {
    @Option(names = "--tun", paramLabel = "DEV", defaultValue = "jt0", description = "TUN device to create (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--addr", paramLabel = "ADDR/LEN", required = true,
            description = "jtcp's address and the device's prefix, once per family: 10.77.0.2/24, fd77::2/64.")
    List<String> addrs = new ArrayList<>();

    @Option(names = "--kernel-addr", paramLabel = "ADDR",
            description = "The kernel's address on the device in one of the prefixes (default: each prefix's first host).")
    List<String> kernelAddrs = new ArrayList<>();

    @Option(names = "--netns", paramLabel = "NAME",
            description = "Put the device in network namespace NAME (created if missing, then removed on exit); the relay's own sockets stay in this one.")
    String netns;

    @Option(names = "--mtu", paramLabel = "BYTES", defaultValue = "1500", description = "The device's MTU (default: ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--socks5", paramLabel = "HOST:PORT", description = "Relay through this SOCKS5 server (no authentication) instead of directly.")
    String socks5;

    @Option(names = "--connect-timeout", paramLabel = "TIME", defaultValue = "10s",
            description = "How long an upstream connect may take before the client hears 'host unreachable' (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    @Option(names = "--udp-timeout", paramLabel = "TIME", defaultValue = "30s",
            description = "A UDP flow the destination never answered expires after this idle time (conntrack's nf_conntrack_udp_timeout; default: ${DEFAULT-VALUE}).")
    String udpTimeout;

    @Option(names = "--udp-stream-timeout", paramLabel = "TIME", defaultValue = "120s",
            description = "A UDP flow the destination answered expires after this idle time (nf_conntrack_udp_timeout_stream; default: ${DEFAULT-VALUE}).")
    String udpStreamTimeout;

    @Option(names = "--views-every", paramLabel = "TIME", description = "Print jtcp's ss -tan -o view and the relay's counters every TIME.")
    String viewsEvery;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        int timeoutMillis = (int) (Durations.parse(connectTimeout) / 1_000_000);
        Upstream upstream = socks5 == null ? new DirectUpstream(timeoutMillis) : new Socks5Upstream(hostPort(socks5), timeoutMillis);
        NetNs ns = null;
        TunHost host;
        try {
            if (netns != null) ns = NetNs.createOrEnter(netns);
            host = TunHost.open(device, addrs, kernelAddrs, mtu, ns);
        } catch (IOException | RuntimeException e) {
            if (ns != null) ns.close();
            String why = TunSession.setupProblem("proxy", e);
            if (why == null) throw e;
            System.err.println(why);
            return TunSession.NEEDS_SETUP;
        }
        StackLoop loop = null;
        try {
            loop = host.stackBuilder("jtcp").sysctls(Sysctls.linux().set("mtu=" + mtu)).start(host.link());
            Proxy proxy = Proxy.start(loop, upstream, Duration.ofNanos(Durations.parse(udpTimeout)),
                    Duration.ofNanos(Durations.parse(udpStreamTimeout)));
            for (TunHost.Address a : host.addresses()) {
                System.err.printf("jtcp %s on %s (mtu %d), kernel at %s%s%n", a.jtcpCidr(), host.device(), mtu, a.kernel(),
                        ns == null ? "" : " in namespace " + ns.name());
            }
            System.err.printf("relaying %s; type ss, ss-info, netstat, nstat, summary or stats%n", upstream);
            StackLoop l = loop;
            // Runs until Ctrl-C (SIGINT/SIGTERM): the hook takes the device (and a namespace made here) away.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                l.close();
                host.close();
            }, "jtcp-proxy-cleanup"));
            if (viewsEvery != null) {
                long every = Durations.parse(viewsEvery);
                Thread.ofPlatform().daemon().name("jtcp-proxy-views").start(() -> {
                    try {
                        while (true) {
                            Thread.sleep(Math.max(1, every / 1_000_000));
                            show(l, proxy, "ss", out);
                            show(l, proxy, "stats", out);
                        }
                    } catch (InterruptedException e) {
                        // stopping
                    }
                });
            }
            Thread.ofPlatform().daemon().name("jtcp-proxy-stdin").start(() -> commands(l, proxy, out));
            new CountDownLatch(1).await();
            return 0;
        } finally {
            if (loop != null) loop.close();
            host.close();
        }
    }

    /** The views a user asks for on stdin; end of input leaves the proxy running (it stops on Ctrl-C). */
    private static void commands(StackLoop loop, Proxy proxy, PrintStream out) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) show(loop, proxy, line.trim(), out);
            }
        } catch (IOException e) {
            // stdin closed: nothing more to read
        }
    }

    static void show(StackLoop loop, Proxy proxy, String what, PrintStream out) {
        String text;
        if (what.equals("stats")) {
            text = proxy.counters().format();
        } else {
            try {
                View v = View.parse(what);
                text = loop.call(() -> v.render(loop.stack().snapshot(loop.now()))).get();
            } catch (IllegalArgumentException e) {
                text = e.getMessage() + ", or stats\n";
            } catch (Exception e) {
                text = "cannot show " + what + ": " + e.getMessage() + "\n";
            }
        }
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }

    /** HOST:PORT, or [V6]:PORT. */
    static InetSocketAddress hostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("--socks5 wants HOST:PORT, got " + s);
        String h = s.substring(0, colon);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        return new InetSocketAddress(h, Integer.parseInt(s.substring(colon + 1)));
    }
}
