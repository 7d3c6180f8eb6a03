package io.jtcp.cli;

import io.jtcp.scenario.soak.ChurnSoak;
import io.jtcp.scenario.soak.SeqWrapSoak;
import io.jtcp.scenario.soak.SoakReport;
import io.jtcp.tun.TunSoak;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jtcp soak NAME [options]}: the long soaks that CI runs scaled down (see
 * docs/robustness.md, "Soaks"). Exit 0 when the soak passes (every byte arrived once and in
 * order, every connection ended, nothing left in the stacks), 1 otherwise.
 */
@Command(name = "soak", description = {"Run a soak: churn (virtual time), seqwrap (virtual time) or tun (the kernel, real time).",
        "Usage: jtcp soak churn [--connections N] [--days D] [--max-request B] [--max-reply B] [--seed S]",
        "       jtcp soak seqwrap [--mib M]",
        "       jtcp soak tun [--minutes M] [--connections N]"})
final class SoakCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "churn, seqwrap or tun")
    String name;

    @Option(names = "--connections", description = "churn: connections in all (default 100000); tun: at once (default 64).")
    Integer connections;

    @Option(names = "--days", description = "churn: virtual days the connections are spread over (default 10).")
    long days = 10;

    @Option(names = "--max-request", description = "churn: largest request in bytes (default 16384).")
    int maxRequest = 16 << 10;

    @Option(names = "--max-reply", description = "churn: largest reply in bytes (default 4096).")
    int maxReply = 4 << 10;

    @Option(names = "--seed", description = "churn: the simulation's seed (default 2026).")
    long seed = 2026;

    @Option(names = "--mib", description = "seqwrap: MiB to move over one connection (default 8192: two wraps).")
    long mib = 8192;

    @Option(names = "--minutes", description = "tun: wall-clock minutes to run (default 10).")
    long minutes = 10;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (name.equals("tun")) return tun(out);
        SoakReport report = switch (name) {
            case "churn" -> churn(out);
            case "seqwrap" -> {
                out.printf("seqwrap: %d MiB over one connection from an ISS 1 MiB below 2^32%n", mib);
                out.flush();
                yield new SeqWrapSoak(SeqWrapSoak.Config.small().withBytes(mib << 20)).run();
            }
            default -> throw new ParameterException(spec.commandLine(), "unknown soak '" + name + "': churn, seqwrap or tun");
        };
        out.println(report.summary());
        out.flush();
        return report.passed() ? 0 : 1;
    }

    private int tun(PrintWriter out) throws Exception {
        int atOnce = connections == null ? 64 : connections;
        out.printf("tun: %d connections at a time against the kernel for %d minutes%n", atOnce, minutes);
        out.flush();
        TunSoak.Result r = TunSoak.run(new TunSoak.Config(atOnce, Long.MAX_VALUE, Duration.ofMinutes(minutes)));
        out.println(r.summary());
        out.flush();
        return r.passed() ? 0 : 1;
    }

    private SoakReport churn(PrintWriter out) throws Exception {
        ChurnSoak.Config cfg = ChurnSoak.Config.small().withConnections(connections == null ? 100_000 : connections)
                .withDuration(Duration.ofDays(days)).withSizes(maxRequest, maxReply).withSeed(seed);
        out.printf("churn: %d connections over %d virtual days, requests up to %d B, replies up to %d B, seed %d%n",
                cfg.connections(), days, maxRequest, maxReply, seed);
        out.flush();
        return new ChurnSoak(cfg, new PrintStream(System.out, true)).run();
    }
}
