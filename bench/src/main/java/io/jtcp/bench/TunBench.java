package io.jtcp.bench;

import io.jtcp.tun.TunMeasure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code jtcp bench tun}: jtcp against the Linux kernel over a TUN device, each figure
 * beside the kernel's own loopback measured in the same namespace in the same run.
 * For each MTU (1500 and the largest a TUN device takes, or the one {@code --mtu} names)
 * a fresh namespace and device: one connection kernel -> jtcp, one jtcp -> kernel; at
 * the first MTU also connections per second, kernel client -> jtcp server. Each case
 * alternates with its loopback baseline round by round ({@link Harness#alternate}).
 * {@code --shards N} puts jtcp on N shards, one per queue of a multi-queue device.
 */
final class TunBench {
    static final long DEFAULT_BYTES = 200L << 20;
    static final int DEFAULT_SHARDS = 1;
    static final String LOOPBACK = "the kernel's loopback in the same namespace, JDK java.net sockets at both ends, same JVM";

    private TunBench() {}

    interface Measure { double get() throws IOException; }

    static Result run(Harness.Options o) throws IOException {
        long bytes = o.size > 0 ? o.size : DEFAULT_BYTES;
        long nanos = (long) ((o.seconds > 0 ? o.seconds : 2) * 1e9);
        int shards = o.shards > 0 ? o.shards : DEFAULT_SHARDS;
        Progress.show("tun", "probing the largest MTU a TUN device takes");
        int largest = TunMeasure.largestMtu();
        List<Integer> mtus = new ArrayList<>();
        if (o.mtu > 0) {
            if (o.mtu < 576 || o.mtu > largest) {
                throw new IllegalArgumentException("--mtu must be 576 to " + largest + " (the largest a TUN device takes here): " + o.mtu);
            }
            mtus.add(o.mtu);
        } else {
            mtus.add(1500);
            if (largest != 1500) mtus.add(largest);
        }
        Result all = new Result("tun", "jtcp against the Linux kernel over a TUN device, each case against " + LOOPBACK,
                "", LOOPBACK, true, "figures only", Double.NaN, true);
        for (int mtu : mtus) {
            Progress.show("tun", "mtu " + mtu + ": namespace and device");
            try (TunMeasure m = TunMeasure.open(mtu, shards)) {
                all.extra.put("offloads", m.offloads().toString());
                all.cases.add(throughput("kernel->jtcp mtu " + mtu, "one connection, " + bytes + " bytes, kernel writes, jtcp reads",
                        o.rounds, () -> m.kernelToJtcp(bytes), () -> m.loopback(bytes)));
                all.cases.add(throughput("jtcp->kernel mtu " + mtu, "one connection, " + bytes + " bytes, jtcp writes, kernel reads",
                        o.rounds, () -> m.jtcpToKernel(bytes), () -> m.loopback(bytes)));
                if (mtu == mtus.getFirst()) {
                    Result r = new Result("conn/s kernel->jtcp mtu " + mtu,
                            "connections per second, kernel client -> jtcp server: connect, 1-byte request, 1-byte reply, client close",
                            "conn/s", LOOPBACK, true, "figures only", Double.NaN, true);
                    Harness.alternate(r, o.rounds, "tun " + r.name, wrap(() -> m.connectionsToJtcp(nanos)),
                            wrap(() -> m.connectionsOnLoopback(nanos)));
                    r.extra.put("seconds_per_round", nanos / 1e9);
                    all.cases.add(r);
                }
                all.extra.put("packets_steered_mtu_" + mtu, m.packetsSteered());
            }
        }
        all.extra.put("bytes", bytes);
        all.extra.put("mtus", mtus.stream().map(String::valueOf).collect(Collectors.joining(",")));
        all.extra.put("largest_tun_mtu", largest);
        all.extra.put("rounds", o.rounds);
        all.extra.put("shards", shards);
        return all;
    }

    private static Result throughput(String name, String metric, int rounds, Measure jtcp, Measure loopback) {
        Result r = new Result(name, metric, "MB/s", LOOPBACK, true, "figures only", Double.NaN, true);
        Harness.alternate(r, rounds, "tun " + name, wrap(() -> jtcp.get() / 1e6), wrap(() -> loopback.get() / 1e6));
        return r;
    }

    private static java.util.function.DoubleSupplier wrap(Measure m) {
        return () -> {
            try {
                return m.get();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
