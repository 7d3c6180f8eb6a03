package io.jtcp.bench;

import io.jtcp.wire.IpAddress;
import io.jtcp.config.Sysctls;
import io.jtcp.host.Stack;
import io.jtcp.link.sim.LinkParams;
import io.jtcp.link.sim.SimHost;
import io.jtcp.link.sim.SimNetwork;
import io.jtcp.api.ErrnoException;
import java.time.Duration;

/**
 * Goodput of one connection over a simulated 1 Gbit/s link with 50 ms RTT at several
 * loss rates, in virtual time. The reference line is the {@link Mathis} ceiling for
 * Reno-style congestion control, MSS/RTT * sqrt(3/2)/sqrt(p), capped at the link rate: the
 * issue's bar is that goodput at 1 % and 5 % reaches it (ratio at least 1 there).
 */
final class Lossy {
    static final double[] LOSS = {0, 0.001, 0.01, 0.05};

    private Lossy() {}

    static Result run(Harness.Options o) {
        double seconds = o.seconds > 0 ? o.seconds : 20;
        Result r = new Result("lossy", "goodput, 1 Gbit/s link, 50 ms RTT, loss 0 / 0.1 / 1 / 5 %", "Mbit/s",
                "Mathis model ceiling MSS/RTT*sqrt(3/2)/sqrt(p), capped at 1000 Mbit/s", true, "chart only", Double.NaN, true);
        int rounds = Math.max(1, o.rounds);
        double[] jt = new double[LOSS.length], model = new double[LOSS.length];
        for (int k = 0; k < LOSS.length; k++) {
            double[] g = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                Progress.show("lossy", "loss " + LOSS[k] * 100 + "%: seed " + (i + 1) + "/" + rounds);
                g[i] = goodput(LOSS[k], seconds, 1000 + i);
            }
            jt[k] = Result.median(g);
            model[k] = LOSS[k] == 0 ? 1000 : Math.min(1000, Mathis.ceiling(LossyKernel.MSS, 0.050, LOSS[k]) / 1e6);
            r.add(jt[k], model[k]);
            if (LOSS[k] > 0) {
                String at = LossyKernel.pct(LOSS[k]);
                r.extra.put("mathis_ceiling_mbps_" + at, model[k]);
                r.extra.put("jtcp_over_mathis_" + at, jt[k] / model[k]);
            }
        }
        r.series.put("jtcp", jt);
        r.series.put("Mathis ceiling", model);
        r.extra.put("x", "loss rate");
        r.extra.put("xs", "0%,0.1%,1%,5%");
        r.extra.put("virtual_seconds", seconds);
        r.extra.put("rounds_are", "loss rates 0, 0.1, 1, 5 % (each the median of " + rounds + " seeds)");
        return r;
    }

    static double goodput(double loss, double seconds, long seed) {
        SimNetwork net = new SimNetwork(seed);
        Sysctls cfg = Sysctls.linux().set("tcp_rmem", "4096 33554432 33554432").set("tcp_wmem", "4096 16777216 16777216");
        SimHost a = SimHost.create(net, "a", "10.0.0.1", cfg, seed);
        SimHost b = SimHost.create(net, "b", "10.0.0.2", cfg, seed);
        LinkParams link = LinkParams.DEFAULT.withDelay(Duration.ofMillis(25)).withBandwidth(1_000_000_000L).withLoss(loss);
        net.setLink(IpAddress.parse("10.0.0.1"), IpAddress.parse("10.0.0.2"), link);
        net.setLink(IpAddress.parse("10.0.0.2"), IpAddress.parse("10.0.0.1"), link);
        BulkHandlers.Reader reader = new BulkHandlers.Reader();
        BulkHandlers.Writer writer = new BulkHandlers.Writer(Long.MAX_VALUE);
        Stack sb = b.stack();
        long start = net.now();
        try {
            sb.listen(5001, (c, t) -> reader);
            a.stack().connect(IpAddress.parse("10.0.0.2"), 5001, writer, start);
        } catch (ErrnoException e) {
            throw new IllegalStateException(e);
        }
        net.runUntil(start + (long) (seconds * 1e9));
        return reader.received * 8 / seconds / 1e6;
    }
}
