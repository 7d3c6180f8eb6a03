package io.jtcp.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jtcp fuzz TARGET [--seconds N]}: one Jazzer target of the fuzz module in fuzzing mode
 * for N seconds, then its executions and coverage. Jazzer and the targets are test code and stay
 * out of this jar: the command runs fuzz/campaign.sh of the checkout, which compiles the fuzz
 * module against the jtcp artifacts in the local Maven repository (run {@code mvn install
 * -DskipTests} first) and starts Jazzer's standalone driver, niced, in its own JVM.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fuzz one target of fuzz/ with Jazzer for a while; print executions and coverage.",
                "Needs a checkout with 'mvn install -DskipTests' done; the corpus grows in fuzz/.cifuzz-corpus,",
                "a failing input is left as fuzz/crash-* (exit 1)."})
final class FuzzCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "TARGET", description = "Class#method, or a class or method naming one target; see --list.")
    String target;

    @Option(names = "--list", description = "List the targets and exit.")
    boolean list;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "60", description = "How long to fuzz (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--root", paramLabel = "DIR", description = "The jtcp checkout (default: the one this jar was built in, else the current directory).")
    Path root;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Path checkout = root != null ? root : checkout();
        Path fuzz = checkout.resolve("fuzz");
        if (!Files.isRegularFile(fuzz.resolve("campaign.sh"))) {
            throw new ParameterException(spec.commandLine(), "no fuzz module at " + fuzz + "; give the checkout with --root");
        }
        List<String> targets = FuzzTargets.list(fuzz.resolve("src/test/java"));
        if (list) {
            targets.forEach(out::println);
            out.flush();
            return 0;
        }
        if (target == null) throw new ParameterException(spec.commandLine(), "a TARGET is required; see --list");
        if (seconds < 1) throw new ParameterException(spec.commandLine(), "--seconds must be at least 1");
        String chosen;
        try {
            chosen = FuzzTargets.resolve(targets, target);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path log = Files.createDirectories(fuzz.resolve("target")).resolve("fuzz-" + chosen.replace('#', '-') + ".log");
        out.printf("fuzzing %s for %d s (log: %s)%n", chosen, seconds, log);
        out.flush();
        ProcessBuilder pb = new ProcessBuilder("bash", fuzz.resolve("campaign.sh").toString(), chosen, String.valueOf(seconds))
                .redirectErrorStream(true);
        pb.environment().put("JAVA", ProcessHandle.current().info().command().orElse("java"));
        Process p = pb.start();
        FuzzStats stats = FuzzStats.NONE;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer w = Files.newBufferedWriter(log)) {
            for (String line; (line = r.readLine()) != null; ) {
                w.write(line);
                w.write('\n');
                stats = stats.read(line);
            }
        }
        int exit = p.waitFor();
        out.printf("%s: %s%n", chosen, stats.describe());
        out.println(exit == 0 ? "no crash and no invariant violation" : "FINDING or failure (exit " + exit + "): see " + log + " and fuzz/crash-*");
        out.flush();
        return exit == 0 ? 0 : 1;
    }

    /** The checkout the running jar sits in (ROOT/cli/target/jtcp.jar), or the current directory. */
    private static Path checkout() {
        try {
            Path jar = Path.of(FuzzCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = jar.getParent().getParent().getParent();
            if (Files.isRegularFile(candidate.resolve("fuzz/campaign.sh"))) return candidate;
        } catch (Exception e) {
            // No code source to go by (an unusual class loader): fall back to the current directory.
        }
        return Path.of("").toAbsolutePath();
    }
}
