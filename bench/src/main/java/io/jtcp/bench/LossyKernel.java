package io.jtcp.bench;

import io.jtcp.config.Sysctls;
import io.jtcp.tun.LinkImpairment;
import io.jtcp.tun.TunGoodput;
import io.jtcp.tun.TunLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * {@code jtcp bench lossy --peer kernel}: jtcp's sender against Linux's over one impaired
 * TUN link ({@link TunGoodput}). Each case sets the path's RTT and loss (both directions
 * alike, so data and ACKs meet the same path), then for each round measures the kernel
 * sending to jtcp and jtcp sending to the kernel for the same time, alternating which goes
 * first. The ratio is jtcp's goodput as sender over Linux's as sender.
 *
 * <p>Each sender talks to the other stack as receiver: Linux's sender faces jtcp's
 * receiver (what it acknowledges, SACK or not, shapes Linux's recovery), jtcp's sender
 * faces Linux's.
 */
final class LossyKernel {
    static final double DEFAULT_SECONDS = 15;
    /** The payload of a full segment at MTU 1500 with timestamps: 1500 - 20 - 20 - 12. */
    static final int MSS = 1448;

    /** One path: RTT, loss and the mean loss burst in packets (1: independent). */
    record Case(int rttMillis, double loss, double meanBurst) {
        String name() {
            return "rtt " + rttMillis + " ms loss " + pct(loss) + (meanBurst > 1 ? " bursts of " + Math.round(meanBurst) : "");
        }

        LinkImpairment path() {
            return LinkImpairment.halfOf(Duration.ofMillis(rttMillis), loss).withBursts(meanBurst);
        }
    }

    static final List<Case> CASES = List.of(
            new Case(20, 0.001, 1), new Case(20, 0.01, 1), new Case(20, 0.05, 1),
            new Case(100, 0.001, 1), new Case(100, 0.01, 1), new Case(100, 0.05, 1),
            new Case(20, 0.01, 3));

    static final String BASELINE = "the Linux kernel's sender (JDK socket in the namespace) to jtcp's receiver, same link, same run";

    private LossyKernel() {}

    static Result run(Harness.Options o) throws IOException {
        Duration time = Duration.ofNanos((long) ((o.seconds > 0 ? o.seconds : DEFAULT_SECONDS) * 1e9));
        int rounds = Math.max(1, o.rounds);
        Result all = new Result("lossy --peer kernel", "goodput over an impaired TUN link, jtcp sender vs Linux sender", "Mbit/s",
                BASELINE, true, "figures only", Double.NaN, true);
        Progress.show("lossy", "namespace and device");
        try (TunGoodput w = TunGoodput.open("cubic", Sysctls.linux())) {
            // One short unimpaired transfer each way first, so neither side's first case pays for the JIT.
            Progress.show("lossy", "warm-up");
            w.kernelToJtcp(Duration.ofSeconds(1));
            w.jtcpToKernel(Duration.ofSeconds(1));
            long seed = 1;
            for (Case c : CASES) {
                Result r = new Result(c.name(), "goodput over " + time.toMillis() / 1000.0 + " s, jtcp sends / Linux sends",
                        "Mbit/s", BASELINE, true, "figures only", Double.NaN, true);
                w.impair(c.path(), seed++);
                // No warm-up per case: a round lasts seconds, and the warm-up above paid for the JIT.
                Harness.alternate(r, rounds, false, "lossy " + c.name(), mbps(() -> w.jtcpToKernel(time)), mbps(() -> w.kernelToJtcp(time)));
                r.extra.put("rtt_ms", c.rttMillis());
                r.extra.put("loss", c.loss());
                r.extra.put("mean_burst", c.meanBurst());
                r.extra.put("mathis_ceiling_mbps", Mathis.ceiling(MSS, c.rttMillis() / 1000.0, c.loss()) / 1e6);
                counts(r, "to_jtcp", w.link().impairedToStack());
                counts(r, "to_kernel", w.link().impairedToDevice());
                all.cases.add(r);
            }
            w.impair(LinkImpairment.NONE, 0);
            all.extra.put("kernel_congestion_control", w.kernelCongestionControl());
            all.extra.put("jtcp_congestion_control", w.jtcpCongestionControl());
        }
        all.extra.put("seconds_per_direction", time.toMillis() / 1000.0);
        all.extra.put("rounds", rounds);
        all.extra.put("mtu", TunGoodput.MTU);
        all.extra.put("buffers", "tcp_rmem/tcp_wmem max " + (TunGoodput.BUFFER_MAX >> 20) + " MiB both ends, autotuned");
        all.extra.put("ratio_is", "jtcp sender goodput / Linux sender goodput");
        return all;
    }

    /** Impairment counters of a case (all its rounds, both senders): lost packets and what passed. */
    private static void counts(Result r, String way, TunLink.ImpairmentCounts c) {
        r.extra.put(way + "_passed", c.passed());
        r.extra.put(way + "_lost", c.lost());
        if (c.bursts() > 0) r.extra.put(way + "_bursts", c.bursts());
    }

    private interface Measure { double get() throws IOException; }

    private static DoubleSupplier mbps(Measure m) {
        return () -> {
            try {
                return m.get() * 8 / 1e6;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** 0.1%, 1%, 5%. */
    static String pct(double p) {
        String s = String.format(java.util.Locale.ROOT, "%.1f", p * 100);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + "%";
    }
}
