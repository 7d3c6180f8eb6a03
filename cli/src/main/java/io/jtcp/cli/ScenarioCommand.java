package io.jtcp.cli;

import io.jtcp.config.Sysctls;
import io.jtcp.scenario.Explanation;
import io.jtcp.scenario.Plotted;
import io.jtcp.scenario.Reporter;
import io.jtcp.scenario.Run;
import io.jtcp.scenario.Scenario;
import io.jtcp.scenario.ScenarioOptions;
import io.jtcp.scenario.Scenarios;
import io.jtcp.tun.scenario.KernelRun;
import io.jtcp.tun.scenario.KernelScenario;
import io.jtcp.tun.scenario.KernelScenarios;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jtcp scenario NAME}: one of the seeds' stories on the simulator, told and explained. */
@Command(name = "scenario", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run one of the seeds' stories on the simulator: trace, views at the telling moments, explanation.",
                "With --peer kernel the Linux kernel plays the other side, in real time, over a TUN device in a private",
                "network namespace (needs root, /dev/net/tun and iproute2)."})
final class ScenarioCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The scenario; see --list.")
    String name;

    @Option(names = "--list", description = "List the scenarios and exit.")
    boolean list;

    @Option(names = "--peer", paramLabel = "sim|kernel", defaultValue = "sim",
            description = "Who plays the other side: sim (the simulator, both ends jtcp) or kernel (Linux, over TUN in a namespace)"
                    + " (default: ${DEFAULT-VALUE}).")
    String peer;

    @Option(names = "--ipv6", description = "With --peer kernel: tell the story over IPv6 (jtcp fd77::2, the kernel fd77::1).")
    boolean ipv6;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "linux", converter = DemoCommand.ProfileName.class,
            description = "Sysctl profile: linux or rfc (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--sysctl", paramLabel = "NAME=VALUE", description = "Change a sysctl, e.g. net.ipv4.tcp_tw_reuse=1 (repeatable).")
    List<String> sysctls = new ArrayList<>();

    @Option(names = "--ablate", paramLabel = "MECHANISM", description = "Switch a mechanism off to see why it exists: time-wait.")
    List<String> ablations = new ArrayList<>();

    @Option(names = "--ss-at", paramLabel = "TIME", description = "Also show the views at this virtual time, e.g. 1.5s or 200ms (repeatable).")
    List<String> viewTimes = new ArrayList<>();

    @Option(names = "--ss-every", paramLabel = "TIME", description = "Also show the views every TIME of virtual time.")
    String viewEvery;

    @Option(names = "--views", paramLabel = "LIST", split = ",", defaultValue = "ss",
            description = "Views at the telling moments: ss, ss-info, netstat, nstat, summary (default: ${DEFAULT-VALUE}).")
    List<String> views = new ArrayList<>();

    @Option(names = "--pcap", paramLabel = "FILE", description = "Write the segments as a pcap file for Wireshark or tshark.")
    Path pcap;

    @Option(names = "--svg", paramLabel = "FILE", description = "Write a ladder diagram (and FILE-plot.svg for stories over time).")
    Path svg;

    @Option(names = "--jsonl", description = "Print JSON Lines instead of text.")
    boolean jsonl;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (!peer.equals("sim") && !peer.equals("kernel")) {
            throw new ParameterException(spec.commandLine(), "--peer is sim or kernel, not '" + peer + "'.");
        }
        if (peer.equals("kernel")) return callKernel(out);
        if (ipv6) throw new ParameterException(spec.commandLine(), "--ipv6 is for --peer kernel.");
        if (list) {
            for (Scenario s : Scenarios.all()) out.printf("%-20s %s%n", s.name(), s.title());
            return 0;
        }
        if (name == null) throw new ParameterException(spec.commandLine(), "Missing the scenario's NAME (see --list).");
        Scenario scenario = Scenarios.named(name).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "No scenario '" + name + "'; see --list."));
        List<View> chosen = chosenViews();
        try (Captures captures = new Captures(pcap, svg)) {
            Reporter reporter = jsonl ? new JsonlReporter(out, captures.sink(), chosen)
                    : new TextReporter(out, captures.sink(), chosen);
            Explanation e = scenario.run(new Run(options(), reporter));
            reporter.explain(scenario.name(), e);
            captures.finish(scenario instanceof Plotted p ? p.plotSvg() : null, System.err);
        }
        return 0;
    }

    /** {@code --peer kernel}: the story against Linux; exit 2 with one sentence when this machine cannot. */
    private Integer callKernel(PrintStream out) throws Exception {
        if (list) {
            for (KernelScenario s : KernelScenarios.all()) out.printf("%-20s %s%n", s.name(), s.title());
            return 0;
        }
        if (name == null) throw new ParameterException(spec.commandLine(), "Missing the scenario's NAME (see --list --peer kernel).");
        KernelScenario scenario = KernelScenarios.named(name).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "No kernel scenario '" + name + "'; see --list --peer kernel."));
        if (!ablations.isEmpty() || !viewTimes.isEmpty() || viewEvery != null || svg != null) {
            throw new ParameterException(spec.commandLine(), "--ablate, --ss-at, --ss-every and --svg are for --peer sim only.");
        }
        String why = KernelRun.whyNot();
        if (why != null) {
            System.err.println("jtcp scenario --peer kernel: " + why + ".");
            return TunSession.NEEDS_SETUP;
        }
        Sysctls cfg = Sysctls.profile(profile);
        List<String> applied = new ArrayList<>();
        try {
            for (String s : scenario.defaultSysctls()) {
                cfg = cfg.set(s);
                applied.add(s + " (this story's default)");
            }
            for (String s : sysctls) {
                cfg = cfg.set(s);
                applied.add(s);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<View> chosen = chosenViews();
        try (Captures captures = new Captures(pcap, null)) {
            KernelConsoleReporter reporter = new KernelConsoleReporter(out, jsonl, captures.sink(), chosen);
            reporter.note("jtcp's sysctls: profile " + profile + ", " + String.join(", ", applied) + "; jtcp's TIME_WAIT is "
                    + cfg.timeWait().toMillis() + " ms, the kernel's stays Linux's fixed 60 s.");
            Explanation e;
            KernelRun run;
            try {
                run = KernelRun.open(cfg, reporter, ipv6);
            } catch (java.io.IOException | RuntimeException ex) {
                String setup = TunSession.setupProblem("scenario --peer kernel", ex);
                if (setup == null) throw ex;
                System.err.println(setup);
                return TunSession.NEEDS_SETUP;
            }
            reporter.note("jtcp " + run.jtcp() + " on a TUN device, the kernel " + run.kernel() + " in namespace "
                    + run.namespace() + " (removed at the end).");
            try (run) {
                e = scenario.run(run);
            }
            reporter.explain(scenario.name(), e);
            captures.finish(null, System.err);
        }
        return 0;
    }

    private List<View> chosenViews() {
        try {
            return views.stream().map(View::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    ScenarioOptions options() {
        Sysctls cfg = Sysctls.profile(profile);
        try {
            for (String s : sysctls) cfg = cfg.set(s);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        for (String a : ablations) {
            if (!a.equals(ScenarioOptions.ABLATE_TIME_WAIT)) {
                throw new ParameterException(spec.commandLine(), "Unknown mechanism '" + a + "' (time-wait).");
            }
        }
        List<Long> at = viewTimes.stream().map(this::duration).toList();
        long every = viewEvery == null ? 0 : duration(viewEvery);
        return new ScenarioOptions(seed, cfg, new LinkedHashSet<>(ablations), at, every);
    }

    private long duration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
