package io.jtcp.bench;

import io.jtcp.tun.TunFlood;
import io.jtcp.tun.TunFlood.Phase;
import io.jtcp.tun.TunFlood.Target;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code jtcp bench flood}: how much of a kernel client's connection rate survives a
 * single-source SYN flood, against jtcp over a TUN device and against a kernel listener,
 * in one namespace and one run ({@link TunFlood}). Each round measures four phases,
 * {@code --seconds} each, in an order that turns round by round: jtcp without and with the
 * flood, the kernel without and with. A round's figures are the fractions kept,
 * {@code fraction_jtcp = with / without} against jtcp and {@code fraction_kernel} the
 * same against the kernel; the ratio fraction_jtcp / fraction_kernel is the target's
 * (at least 1.0: jtcp keeps at least what the kernel keeps).
 */
final class FloodBench {
    private FloodBench() {}

    /** The four phases of a round, in the first round's order. */
    private static final List<Step> STEPS = List.of(new Step(Target.JTCP, false), new Step(Target.JTCP, true),
            new Step(Target.KERNEL, false), new Step(Target.KERNEL, true));

    private record Step(Target target, boolean flood) {
        String label() { return (target == Target.JTCP ? "jtcp" : "kernel") + (flood ? " with flood" : " without flood"); }
    }

    static Result run(Harness.Options o) throws IOException {
        long nanos = (long) ((o.seconds > 0 ? o.seconds : 2) * 1e9);
        Result r = new Result("flood", "fraction of a kernel client's connection rate kept under a single-source SYN flood"
                + " (connect, 1-byte request, 1-byte reply, client close), jtcp over TUN vs a kernel listener",
                "fraction", "the kernel's listener in the same namespace under the same flood, same run", true,
                ">= 1.0x the kernel's fraction", 1.0, true);
        int n = STEPS.size();
        double[][] rates = new double[n][o.rounds];
        long[] synsSent = new long[n];
        Progress.show("flood", "namespace, devices and stack");
        try (TunFlood f = TunFlood.open()) {
            Map<String, Long> jtcpBefore = f.jtcpCounters(), kernelBefore = f.kernelCounters();
            long droppedBefore = f.deviceTxDropped();
            for (Step s : STEPS) {
                Progress.show("flood", "warm-up: " + s.label());
                f.phase(s.target(), s.flood(), nanos);
            }
            for (int round = 0; round < o.rounds; round++) {
                for (int k = 0; k < n; k++) {
                    // Round i starts at phase i (mod 4), and odd rounds run backwards: every phase
                    // comes first, last, before and after each other one over the rounds.
                    int i = round % 2 == 0 ? (round + k) % n : (round + n - 1 - k) % n;
                    Step s = STEPS.get(i);
                    Progress.show("flood", "round " + (round + 1) + "/" + o.rounds + ": " + s.label());
                    Phase p = f.phase(s.target(), s.flood(), nanos);
                    rates[i][round] = p.rate();
                    synsSent[i] += p.synsSent();
                }
                r.add(rates[1][round] / rates[0][round], rates[3][round] / rates[2][round]);
            }
            for (int i = 0; i < n; i++) {
                String key = STEPS.get(i).label().replace(' ', '_') + "_conn_per_s";
                r.extra.put(key, Result.median(rates[i]));
                r.extra.put(key + "_rounds", java.util.Arrays.stream(rates[i]).mapToObj(Result::fmt).collect(java.util.stream.Collectors.joining(" ")));
            }
            r.extra.put("flood_syns_per_s_at_jtcp", synsSent[1] / (o.rounds * nanos / 1e9));
            r.extra.put("flood_syns_per_s_at_kernel", synsSent[3] / (o.rounds * nanos / 1e9));
            r.extra.put("jt0_tx_dropped", f.deviceTxDropped() - droppedBefore);
            difference("jtcp_", jtcpBefore, f.jtcpCounters(), r);
            difference("kernel_", kernelBefore, f.kernelCounters(), r);
            f.kernelSettings().forEach((k, v) -> r.extra.put("namespace_" + k, v));
            r.extra.put("jtcp_listener_backlog", f.kernelSettings().get("somaxconn"));
        }
        r.extra.put("seconds_per_phase", nanos / 1e9);
        r.extra.put("rounds", o.rounds);
        return r;
    }

    /** Each counter's growth over the run, warm-up included, as an extra named {@code prefix + counter}. */
    private static void difference(String prefix, Map<String, Long> before, Map<String, Long> after, Result r) {
        List<String> names = new ArrayList<>(after.keySet());
        for (String k : names) r.extra.put(prefix + k, after.get(k) - before.getOrDefault(k, 0L));
    }
}
