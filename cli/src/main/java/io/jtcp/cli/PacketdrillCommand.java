package io.jtcp.cli;

import io.jtcp.packetdrill.Outcome;
import io.jtcp.packetdrill.Packetdrill;
import io.jtcp.packetdrill.RunnerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine.Spec;

/**
 * {@code jtcp packetdrill [packetdrill flags] [--report FILE] SCRIPT|DIR...}: runs packetdrill
 * scripts against jtcp in virtual time. Exit 0 when every script passes, 1 otherwise.
 * packetdrill's own flags are read by {@link RunnerOptions}, so they are passed through unparsed.
 */
@Command(name = "packetdrill", description = {"Run packetdrill scripts against jtcp in virtual time.",
        "Usage: jtcp packetdrill [--report FILE] [packetdrill flags] SCRIPT.pkt|DIR..."})
final class PacketdrillCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--report", paramLabel = "FILE", description = "Write one JSON line per script to FILE.")
    Path report;

    /** packetdrill's flags (--tolerance_usecs=N, -D NAME=VALUE, ...) and the .pkt files or directories, in order. */
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        RunnerOptions options = new RunnerOptions();
        List<Path> paths;
        try {
            paths = options.parse(args).stream().map(Path::of).toList();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (paths.isEmpty()) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no script or directory given");
        PrintWriter out = spec.commandLine().getOut();
        List<Outcome> outcomes = new ArrayList<>();
        for (Path script : Packetdrill.scripts(paths)) {
            Outcome o = Packetdrill.run(script, options);
            outcomes.add(o);
            if (!o.passed()) out.println(o.describe());
        }
        long passed = outcomes.stream().filter(Outcome::passed).count();
        long unsupported = outcomes.stream().filter(o -> o.result() == Outcome.Result.UNSUPPORTED).count();
        out.printf("%d scripts: %d passed, %d failed, %d unsupported%n", outcomes.size(), passed,
                outcomes.size() - passed - unsupported, unsupported);
        out.flush();
        if (report != null) Files.write(report, outcomes.stream().map(Outcome::toJson).toList());
        return !outcomes.isEmpty() && passed == outcomes.size() ? 0 : 1;
    }
}
