package io.jtcp.cli;

import io.jtcp.bench.Harness;
import io.jtcp.bench.Result;
import io.jtcp.tun.TunMeasure;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jtcp bench NAME}: one benchmark, jtcp against its baseline in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs a benchmark: jtcp and its baseline (the JDK's sockets over the kernel's loopback,",
                "or the figure named in the output) alternate round by round in this run; the table shows",
                "every round, the medians and the ratio's spread.",
                "Benchmarks: churn, scale, bulk, timewait, idle, segment (JMH), lossy, and tun (jtcp against the",
                "Linux kernel over a TUN device in a private network namespace; needs root), and flood (a kernel",
                "client's connection rate kept under a SYN flood, jtcp over TUN against a kernel listener; needs root).",
                "lossy --peer kernel: jtcp's sender against Linux's over an impaired TUN link (RTT 20 and 100 ms,",
                "loss 0.1, 1, 5 %% and bursts), each direction for --seconds (default 15) a round; needs root."})
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "churn, scale, bulk, timewait, idle, segment, lossy, tun or flood")
    String name;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--rounds", description = "Measured rounds (default ${DEFAULT-VALUE}; at least 5 for a reported figure).")
    int rounds = 5;

    @Option(names = "--seconds", description = "Seconds per round (churn, scale) or phase (flood), virtual seconds (lossy), or seconds per direction and round (lossy --peer kernel).")
    double seconds;

    @Option(names = "--size", description = "Bytes to move in bulk (default 4 GiB) or per tun round (default 200 MiB); suffixes k, m, g.")
    String size;

    @Option(names = "--count", description = "Entries (timewait, default 10,000,000) or connections (idle, default 1,000,000).")
    long count;

    @Option(names = "--svg", paramLabel = "DIR", description = "Write the chart as DIR/NAME.svg (tun: one DIR/tun-CASE.svg a case).")
    Path svg;

    @Option(names = "--mtu", description = "tun only: the one MTU to measure at (default: 1500 and the largest a TUN device takes).")
    int mtu;

    @Option(names = "--shards", description = "tun only: jtcp's shards, one per queue of a multi-queue TUN device (default 1).")
    int shards;

    @Option(names = "--peer", paramLabel = "sim|kernel",
            description = "lossy only: jtcp against the Reno model in the simulator (sim, the default) or against the Linux kernel's sender over a TUN link (kernel).")
    String peer;

    @Option(names = "--syn-rate", paramLabel = "N",
            description = "flood only: pace both floods to N SYN/s (default: the kernel's flood as fast as one thread sends, jtcp's at the rate it reached).")
    double synRate;

    @Option(names = "--unpaced", description = "flood only: flood both listeners as fast as one thread sends (each listener then meets a different flood).")
    boolean unpaced;

    @Override
    public Integer call() throws Exception {
        if (!Harness.NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown benchmark '" + name + "'; one of " + String.join(", ", Harness.NAMES));
        }
        Harness.Options o = new Harness.Options();
        o.rounds = rounds;
        o.seconds = seconds;
        o.size = size == null ? 0 : parseSize(size);
        o.count = count;
        o.svg = svg;
        o.json = json;
        o.mtu = mtu;
        o.peer = peer;
        o.synRate = unpaced ? Double.POSITIVE_INFINITY : synRate;
        if ((unpaced || synRate != 0) && !name.equals("flood")) throw new IllegalArgumentException("--syn-rate and --unpaced are for the flood benchmark only");
        if (unpaced && synRate != 0) throw new IllegalArgumentException("--syn-rate and --unpaced exclude each other");
        if (synRate < 0) throw new IllegalArgumentException("--syn-rate must be positive: " + synRate);
        o.shards = shards;
        if (shards != 0 && !name.equals("tun")) throw new IllegalArgumentException("--shards is for the tun benchmark only");
        if (mtu != 0 && !name.equals("tun")) throw new IllegalArgumentException("--mtu is for the tun benchmark only");
        if (peer != null && !name.equals("lossy")) throw new IllegalArgumentException("--peer is for the lossy benchmark only");
        if (peer != null && !peer.equals("sim") && !peer.equals("kernel")) throw new IllegalArgumentException("--peer is sim or kernel: " + peer);
        Result r;
        if (name.equals("tun") || name.equals("flood") || "kernel".equals(peer)) {
            String what = name.equals("lossy") ? "bench lossy --peer kernel" : "bench " + name;
            String why = TunMeasure.whyNot();
            if (why != null) {
                System.err.println("jtcp " + what + ": " + why + ".");
                return TunSession.NEEDS_SETUP;
            }
            try {
                r = Harness.run(name, o);
            } catch (java.io.IOException | RuntimeException e) {
                String setup = TunSession.setupProblem(what, e);
                if (setup == null) throw e;
                System.err.println(setup);
                return TunSession.NEEDS_SETUP;
            }
        } else {
            r = Harness.run(name, o);
        }
        if (json) {
            System.out.println(r.json());
        } else {
            Harness.machine().forEach((k, v) -> System.out.println(k + ": " + v));
            System.out.print(r.table());
        }
        return 0;
    }

    static long parseSize(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        long mult = 1;
        if (t.endsWith("k")) mult = 1L << 10;
        else if (t.endsWith("m")) mult = 1L << 20;
        else if (t.endsWith("g")) mult = 1L << 30;
        if (mult != 1) t = t.substring(0, t.length() - 1);
        return Long.parseLong(t) * mult;
    }
}
