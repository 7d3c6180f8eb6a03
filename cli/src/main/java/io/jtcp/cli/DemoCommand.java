package io.jtcp.cli;

import io.jtcp.config.Sysctls;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code jtcp demo}: one connection's whole life in the simulator, traced. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Client 10.0.0.1 connects to server 10.0.0.2:80, sends a request, gets a reply and"
                + " closes first (unless --server-closes-first); the trace runs until TIME_WAIT expires."
                + " Time is virtual: the run is instant, and the same seed gives the same trace.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--server-closes-first", description = "The server closes first, so the server ends in TIME_WAIT.")
    boolean serverClosesFirst;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed for the simulator's random choices (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0", converter = Probability.class,
            description = "Probability, 0 to 1, that the link loses a segment (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "linux", converter = ProfileName.class,
            description = "Sysctl profile: linux (TIME_WAIT 60 s) or rfc (MSL 2 min, TIME_WAIT 4 min) (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Write the segments as a pcap file for Wireshark or tshark.")
    java.nio.file.Path pcap;

    @Option(names = "--svg", paramLabel = "FILE", description = "Write the exchange as an SVG ladder diagram.")
    java.nio.file.Path svg;

    @Option(names = "--jsonl", description = "Print the trace as JSON Lines, one event per line.")
    boolean jsonl;

    /** Where the trace goes; tests may swap it. */
    PrintStream out = System.out;

    DemoOptions options() {
        return new DemoOptions(serverClosesFirst, seed, loss, profile, Sysctls.profile(profile), jsonl, pcap, svg);
    }

    @Override
    public Integer call() throws java.io.IOException {
        return DemoRun.run(options(), out);
    }

    /** A probability: a number from 0 to 1. */
    static final class Probability implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double p;
            try {
                p = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number");
            }
            if (!(p >= 0 && p <= 1)) throw new TypeConversionException("'" + value + "' is not a probability from 0 to 1");
            return p;
        }
    }

    /** A profile name that {@link Sysctls#profile} knows, in lower case. */
    static final class ProfileName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String name = value.trim().toLowerCase(Locale.ROOT);
            try {
                Sysctls.profile(name);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a profile (linux, rfc)");
            }
            return name;
        }
    }
}
