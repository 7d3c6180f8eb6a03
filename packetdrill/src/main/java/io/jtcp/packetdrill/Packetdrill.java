package io.jtcp.packetdrill;

import io.jtcp.config.Sysctls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The runner's entry point: runs packetdrill scripts (files, or every {@code .pkt}
 * under a directory, sorted) against fresh jtcp stacks in virtual time, each with
 * Linux's default sysctls ({@link Sysctls#linux()}) and the seed of its options, so
 * the same script always gives the same outcome.
 */
public final class Packetdrill {
    private Packetdrill() {}

    /** The scripts a list of files and directories names, directories expanded to their sorted {@code .pkt} files. */
    public static List<Path> scripts(List<Path> args) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : args) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(f -> f.toString().endsWith(".pkt") && Files.isRegularFile(f)).sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** Runs one script file. Never throws for anything the script contains. */
    public static Outcome run(Path file, RunnerOptions base) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return new Outcome(name, Outcome.Result.FAIL, 0, "cannot read script: " + e.getMessage(), null);
        }
        return run(name, text, file.toAbsolutePath().getParent(), base);
    }

    /**
     * The addresses must fit the mode, as config.c's finalize_*_config parse them: IPv4 for
     * ipv4 and ipv4-mapped-ipv6 (whose packets are IPv4), IPv6 for ipv6.
     */
    private static void checkAddresses(RunnerOptions opts) {
        boolean v6 = opts.wireIpv6();
        if (opts.localIp().isV6() != v6 || opts.remoteIp().isV6() != v6) {
            throw new IllegalArgumentException("--local_ip " + opts.localIp() + " and --remote_ip " + opts.remoteIp()
                    + " do not fit --ip_version=" + opts.ipVersion);
        }
    }

    /** Runs script {@code text}; {@code dir} resolves the shell scripts its commands name. */
    public static Outcome run(String name, String text, Path dir, RunnerOptions base) {
        RunnerOptions opts = base.copy();
        int line = 0;
        try {
            Script script = Parser.parse(text, opts.defines);
            Map<String, String> before = Map.copyOf(opts.defines);
            for (String option : script.options()) opts.apply(option);
            // A script's own --define lines hold for the words after them.
            if (!opts.defines.equals(before)) script = Parser.parse(text, opts.defines);
            checkAddresses(opts);
            Sysctls sysctls = Sysctls.linux();
            for (String init : opts.initScripts) sysctls = SysctlCommands.apply(init, dir, sysctls);
            new ScriptRunner(script, dir, opts, sysctls).run();
            return Outcome.pass(name);
        } catch (ScriptSyntaxException e) {
            return new Outcome(name, Outcome.Result.FAIL, e.line(), e.getMessage(), null);
        } catch (ScriptFailure e) {
            return new Outcome(name, Outcome.Result.FAIL, e.line, e.getMessage(), null);
        } catch (UnsupportedFeature e) {
            return new Outcome(name, Outcome.Result.UNSUPPORTED, line, e.getMessage(), e.feature);
        } catch (IllegalArgumentException e) {
            return new Outcome(name, Outcome.Result.FAIL, line, e.getMessage(), null);
        }
    }
}
