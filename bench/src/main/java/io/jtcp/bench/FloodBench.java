package io.jtcp.bench;

import io.jtcp.tun.TunFlood;
import io.jtcp.tun.TunFlood.Phase;
import io.jtcp.tun.TunFlood.Target;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code jtcp bench flood}: how much of a kernel client's connection rate survives a
 * single-source SYN flood, against jtcp over a TUN device and against a kernel listener,
 * in one namespace and one run ({@link TunFlood}). Each round measures four phases,
 * {@code --seconds} each, in an order that turns round by round: jtcp without and with the
 * flood, the kernel without and with. A round's figures are the fractions kept,
 * {@code fraction_jtcp = with / without} against jtcp and {@code fraction_kernel} the
 * same against the kernel; the ratio fraction_jtcp / fraction_kernel is the target's
 * (at least 1.0: jtcp keeps at least what the kernel keeps).
 *
 * <p>The same flood for both: one generator thread does not reach the same rate against
 * both listeners (a SYN to the kernel's own address is answered, cookie and SYN-ACK, inside
 * the attacker's sendto; one to jtcp's costs it a queue append on the TUN device), so by
 * default each round floods the kernel first as fast as the thread goes, then jtcp paced to
 * the rate that flood reached. {@code --unpaced} floods both as fast as the thread goes
 * (the generator's own rate against each), {@code --syn-rate N} paces both to N SYN/s.
 */
final class FloodBench {
    private FloodBench() {}

    /** The four phases, by index: jtcp without and with the flood, the kernel without and with. */
    private static final List<Step> STEPS = List.of(new Step(Target.JTCP, false), new Step(Target.JTCP, true),
            new Step(Target.KERNEL, false), new Step(Target.KERNEL, true));
    private static final int JTCP_FLOOD = 1, KERNEL_FLOOD = 3;
    /**
     * The rounds' orders, in turn: the kernel's flood phase always before jtcp's (whose rate
     * it sets), every other phase first, in the middle and last over four rounds.
     */
    private static final int[][] ORDERS = {{3, 1, 0, 2}, {0, 3, 2, 1}, {2, 0, 3, 1}, {3, 2, 1, 0}};

    private record Step(Target target, boolean flood) {
        String label() { return (target == Target.JTCP ? "jtcp" : "kernel") + (flood ? " with flood" : " without flood"); }
    }

    static Result run(Harness.Options o) throws IOException {
        long nanos = (long) ((o.seconds > 0 ? o.seconds : 2) * 1e9);
        boolean matched = o.synRate == 0;
        String flood = matched ? "the kernel's flood as fast as one thread sends, jtcp's paced to the rate it reached"
                : o.synRate == TunFlood.UNPACED ? "both floods as fast as one thread sends (unpaced: not the same flood)"
                : "both floods paced to " + Result.fmt(o.synRate) + " SYN/s";
        Result r = new Result("flood", "fraction of a kernel client's connection rate kept under a single-source SYN flood"
                + " (connect, 1-byte request, 1-byte reply, client close), jtcp over TUN vs a kernel listener",
                "fraction", "the kernel's listener in the same namespace, same run; " + flood, true,
                ">= 1.0x the kernel's fraction", 1.0, true);
        int n = STEPS.size();
        double[][] rates = new double[n][o.rounds], synRates = new double[n][o.rounds];
        long[] timeouts = new long[n];
        Progress.show("flood", "namespace, devices and stack");
        try (TunFlood f = TunFlood.open()) {
            Map<String, Long> jtcpBefore = f.jtcpCounters(), kernelBefore = f.kernelCounters();
            long droppedBefore = f.deviceTxDropped();
            double[] lastKernelFlood = {TunFlood.UNPACED};
            for (int i : ORDERS[0]) {
                Progress.show("flood", "warm-up: " + STEPS.get(i).label());
                phase(f, i, o.synRate, lastKernelFlood, nanos);
            }
            for (int round = 0; round < o.rounds; round++) {
                for (int i : ORDERS[round % ORDERS.length]) {
                    Progress.show("flood", "round " + (round + 1) + "/" + o.rounds + ": " + STEPS.get(i).label());
                    Phase p = phase(f, i, o.synRate, lastKernelFlood, nanos);
                    rates[i][round] = p.rate();
                    synRates[i][round] = p.synRate();
                    timeouts[i] += p.connectTimeouts();
                }
                r.add(rates[1][round] / rates[0][round], rates[3][round] / rates[2][round]);
            }
            for (int i = 0; i < n; i++) {
                String key = STEPS.get(i).label().replace(' ', '_') + "_conn_per_s";
                r.extra.put(key, Result.median(rates[i]));
                r.extra.put(key + "_rounds", rounds(rates[i]));
                r.extra.put(STEPS.get(i).label().replace(' ', '_') + "_connect_timeouts", timeouts[i]);
            }
            r.extra.put("flood_mode", matched ? "matched" : o.synRate == TunFlood.UNPACED ? "unpaced" : "paced");
            if (!matched && o.synRate != TunFlood.UNPACED) r.extra.put("flood_target_syns_per_s", o.synRate);
            r.extra.put("flood_syns_per_s_at_jtcp", Result.median(synRates[JTCP_FLOOD]));
            r.extra.put("flood_syns_per_s_at_jtcp_rounds", rounds(synRates[JTCP_FLOOD]));
            r.extra.put("flood_syns_per_s_at_kernel", Result.median(synRates[KERNEL_FLOOD]));
            r.extra.put("flood_syns_per_s_at_kernel_rounds", rounds(synRates[KERNEL_FLOOD]));
            double[] same = new double[o.rounds];
            for (int k = 0; k < o.rounds; k++) same[k] = synRates[JTCP_FLOOD][k] / synRates[KERNEL_FLOOD][k];
            r.extra.put("flood_rate_jtcp_over_kernel_rounds", rounds(same));
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

    /**
     * Step {@code i}'s phase. Its flood: none; {@code synRate} when one was given; else (matched)
     * the kernel's as fast as it goes, and jtcp's at the rate the last kernel flood reached.
     */
    private static Phase phase(TunFlood f, int i, double synRate, double[] lastKernelFlood, long nanos) throws IOException {
        Step s = STEPS.get(i);
        double rate = !s.flood() ? TunFlood.NO_FLOOD
                : synRate != 0 ? synRate
                : s.target() == Target.KERNEL ? TunFlood.UNPACED : lastKernelFlood[0];
        Phase p = f.phase(s.target(), rate, nanos);
        if (i == KERNEL_FLOOD) lastKernelFlood[0] = p.synRate();
        return p;
    }

    private static String rounds(double[] v) {
        return Arrays.stream(v).mapToObj(Result::fmt).collect(Collectors.joining(" "));
    }

    /** Each counter's growth over the run, warm-up included, as an extra named {@code prefix + counter}. */
    private static void difference(String prefix, Map<String, Long> before, Map<String, Long> after, Result r) {
        List<String> names = new ArrayList<>(after.keySet());
        for (String k : names) r.extra.put(prefix + k, after.get(k) - before.getOrDefault(k, 0L));
    }
}
