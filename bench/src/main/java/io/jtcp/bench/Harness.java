package io.jtcp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The macro harness behind {@code jtcp bench NAME}: every benchmark measures jtcp and
 * its baseline in the same run, alternating which goes first, and reports the median
 * of the rounds with the ratio's spread.
 */
public final class Harness {
    public static final List<String> NAMES = List.of("churn", "scale", "bulk", "timewait", "idle", "segment", "lossy", "tun", "flood");

    /** Options shared by the benchmarks; zero or null means the benchmark's default. */
    public static final class Options {
        public int rounds = 5;
        public double seconds;
        public long size;
        public long count;
        public Path svg;
        public boolean json;
        /** tun: the one MTU to measure at; 0 means 1500 and the largest a TUN device takes. */
        public int mtu;
        /** tun: jtcp's shards, one per queue of the device; 0 means the benchmark's default. */
        public int shards;
        /** lossy: who jtcp is measured against; null or "sim" for the simulator, "kernel" for Linux over a TUN link. */
        public String peer;
        /**
         * flood: the SYN rate of both floods; 0 (the default) floods the kernel as fast as one
         * thread goes and jtcp at the rate that reached, {@code Double.POSITIVE_INFINITY} floods
         * both as fast as one thread goes.
         */
        public double synRate;
    }

    private Harness() {}

    public static Result run(String name, Options o) throws Exception {
        Result r = switch (name) {
            case "churn" -> churn(o);
            case "scale" -> scale(o);
            case "bulk" -> bulk(o);
            case "timewait" -> Forked.timeWait(o);
            case "idle" -> Forked.idle(o);
            case "segment" -> Micro.segment(o);
            case "lossy" -> "kernel".equals(o.peer) ? LossyKernel.run(o) : Lossy.run(o);
            case "tun" -> TunBench.run(o);
            case "flood" -> FloodBench.run(o);
            default -> throw new IllegalArgumentException("unknown benchmark '" + name + "' (" + String.join(", ", NAMES) + ")");
        };
        Progress.done();
        if (o.svg != null) {
            Files.createDirectories(o.svg);
            for (Result c : r.cases) {
                Files.writeString(o.svg.resolve(name + "-" + c.name.replaceAll("[^A-Za-z0-9]+", "-") + ".svg"), Svg.rounds(c));
            }
            if (!r.cases.isEmpty()) return r;
            String svg = r.series.isEmpty() ? Svg.rounds(r) : Svg.lines(r.name + ": " + r.metric, String.valueOf(r.extra.getOrDefault("x", "")),
                    r.unit, ((String) r.extra.getOrDefault("xs", "")).split(","), r.series);
            Files.writeString(o.svg.resolve(name + ".svg"), svg);
        }
        return r;
    }

    /** Runs both sides round after round, alternating which goes first; a warm-up round of each comes first. */
    static void alternate(Result r, int rounds, String name, DoubleSupplier jtcp, DoubleSupplier baseline) {
        alternate(r, rounds, true, name, jtcp, baseline);
    }

    /** As above; without {@code warmUp} the first round is measured too (rounds long enough to warm up in). */
    static void alternate(Result r, int rounds, boolean warmUp, String name, DoubleSupplier jtcp, DoubleSupplier baseline) {
        if (warmUp) {
            Progress.show(name, "warm-up: jtcp");
            jtcp.getAsDouble();
            Progress.show(name, "warm-up: baseline");
            baseline.getAsDouble();
        }
        for (int i = 0; i < rounds; i++) {
            double j, b;
            if (i % 2 == 0) {
                Progress.show(name, "round " + (i + 1) + "/" + rounds + ": jtcp");
                j = jtcp.getAsDouble();
                Progress.show(name, "round " + (i + 1) + "/" + rounds + ": baseline (jtcp " + Result.fmt(j) + ")");
                b = baseline.getAsDouble();
            } else {
                Progress.show(name, "round " + (i + 1) + "/" + rounds + ": baseline");
                b = baseline.getAsDouble();
                Progress.show(name, "round " + (i + 1) + "/" + rounds + ": jtcp (baseline " + Result.fmt(b) + ")");
                j = jtcp.getAsDouble();
            }
            r.add(j, b);
        }
    }

    static Result churn(Options o) throws IOException {
        long nanos = (long) ((o.seconds > 0 ? o.seconds : 2) * 1e9);
        Result r = new Result("churn", "connections per second (handshake, 1-byte request, 1-byte reply, client close)",
                "conn/s", "JDK java.net sockets over kernel loopback, client and server threads, same JVM", true,
                ">= 20x baseline", 20, true);
        Churn.JtcpPair pair = new Churn.JtcpPair(1);
        try (Churn.JdkLoopback jdk = new Churn.JdkLoopback()) {
            alternate(r, o.rounds, "churn", () -> pair.rate(nanos), () -> jdk.rate(nanos));
        }
        r.extra.put("jtcp_threads", 1);
        r.extra.put("time_wait_entries_at_end", pair.client.timeWaitCount());
        return r;
    }

    /**
     * Churn over a sharded client and server host, 2 shards on 2 threads, against the same
     * hosts with 1 shard on 1 thread (io.jtcp.shard; docs/architecture.md, "Scale").
     */
    static Result scale(Options o) {
        long nanos = (long) ((o.seconds > 0 ? o.seconds : 2) * 1e9);
        Result r = new Result("scale", "churn connections per second: sharded hosts, 2 shards on 2 threads vs 1 shard on 1",
                "conn/s", "jtcp churn, sharded hosts with 1 shard on 1 thread, same run", true, ">= 1.8x baseline",
                1.8, true);
        Churn.ShardedPairs one = new Churn.ShardedPairs(1, 1);
        Churn.ShardedPairs two = new Churn.ShardedPairs(2, 2);
        CpuShare twoCpu = new CpuShare(), oneCpu = new CpuShare();
        alternate(r, o.rounds, "scale", twoCpu.measure(() -> two.rate(nanos)), oneCpu.measure(() -> one.rate(nanos)));
        r.extra.put("cores", Runtime.getRuntime().availableProcessors());
        // Round 0 is the warm-up, which the table leaves out too.
        int n = twoCpu.cores().size();
        double[] twoCores = new double[n - 1], oneCores = new double[n - 1], perCoreRatio = new double[n - 1];
        for (int i = 1; i < n; i++) {
            twoCores[i - 1] = twoCpu.cores().get(i);
            oneCores[i - 1] = oneCpu.cores().get(i);
            perCoreRatio[i - 1] = twoCpu.perCore().get(i) / oneCpu.perCore().get(i);
        }
        r.extra.put("cores_used_2_shards", Result.median(twoCores));
        r.extra.put("cores_used_1_shard", Result.median(oneCores));
        r.extra.put("rate_per_core_used_ratio", Result.median(perCoreRatio));
        r.extra.put("packets_steered_between_shards", two.steered());
        return r;
    }

    /**
     * The engine alone against the JDK over loopback, then the same transfer through the
     * socket layer (TcpSocket with ByteBuffers, and NIO SocketChannels) against the engine
     * alone in the same run: the target for those is 0.8x.
     */
    static Result bulk(Options o) {
        long bytes = o.size > 0 ? o.size : 4L << 30;
        Result all = new Result("bulk", "one connection, " + bytes + " bytes one way, MTU 65535", "MB/s",
                "see cases", true, "see cases", Double.NaN, true);
        Result engine = new Result("engine vs JDK", "one connection, " + bytes + " bytes one way, MTU 65535, engine on one thread", "MB/s",
                "JDK NIO SocketChannel over kernel loopback, writer and reader threads, same JVM", true,
                ">= 1.0x baseline", 1.0, true);
        long warm = Math.min(bytes, 256L << 20);
        Bulk.jtcp(warm, 7);
        long[] seed = {1};
        alternate(engine, o.rounds, "bulk", () -> Bulk.jtcp(bytes, seed[0]++) / 1e6, () -> {
            try {
                return Bulk.jdk(bytes) / 1e6;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        engine.extra.put("jtcp_threads", 1);
        engine.extra.put("baseline_threads", 2);
        all.cases.add(engine);
        all.cases.add(throughSocketLayer("TcpSocket ByteBuffer vs engine", "TcpSocket.read/write(ByteBuffer), heap buffers",
                bytes, o.rounds, seed, ApiBulk::socket));
        all.cases.add(throughSocketLayer("NIO SocketChannel vs engine", "blocking SocketChannels of JtcpSelectorProvider, direct buffers",
                bytes, o.rounds, seed, ApiBulk::channel));
        all.extra.put("bytes", bytes);
        return all;
    }

    /** A transfer of {@code bytes} on stacks seeded from {@code seed}, in bytes per second. */
    @FunctionalInterface
    interface Transfer {
        double run(long bytes, long seed);
    }

    private static Result throughSocketLayer(String name, String how, long bytes, int rounds, long[] seed, Transfer t) {
        Result r = new Result(name, "one connection, " + bytes + " bytes one way, MTU 65535, " + how
                + ", two stack loops on a MemoryNetwork, writer and reader threads", "MB/s",
                "the engine alone (the first case's jtcp figure), same run", true, ">= 0.8x engine", 0.8, true);
        t.run(Math.min(bytes, 256L << 20), 7);
        alternate(r, rounds, "bulk: " + name, () -> t.run(bytes, seed[0]++) / 1e6, () -> Bulk.jtcp(bytes, seed[0]++) / 1e6);
        return r;
    }

    public static Map<String, String> machine() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nproc", String.valueOf(Runtime.getRuntime().availableProcessors()));
        try {
            m.put("cpu", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?"));
        } catch (IOException e) {
            m.put("cpu", "?");
        }
        m.put("jdk", System.getProperty("java.vm.name") + " " + Runtime.version());
        return m;
    }
}
