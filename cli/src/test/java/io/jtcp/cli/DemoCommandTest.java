package io.jtcp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.config.Sysctls;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    /** Parses {@code demo args...} without running it. */
    private static DemoOptions parse(String... args) {
        CommandLine cmd = Main.commandLine();
        String[] all = new String[args.length + 1];
        all[0] = "demo";
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine.ParseResult result = cmd.parseArgs(all);
        DemoCommand demo = result.subcommand().commandSpec().commandLine().getCommand();
        return demo.options();
    }

    @Test
    void defaults() {
        DemoOptions o = parse();
        assertThat(o.serverClosesFirst()).isFalse();
        assertThat(o.seed()).isEqualTo(1);
        assertThat(o.loss()).isZero();
        assertThat(o.profile()).isEqualTo("linux");
        assertThat(o.sysctls()).isEqualTo(Sysctls.linux());
        assertThat(o.jsonl()).isFalse();
    }

    @Test
    void everyOption() {
        DemoOptions o = parse("--server-closes-first", "--seed", "42", "--loss", "0.25", "--profile", "RFC", "--jsonl");
        assertThat(o.serverClosesFirst()).isTrue();
        assertThat(o.seed()).isEqualTo(42);
        assertThat(o.loss()).isEqualTo(0.25);
        assertThat(o.profile()).isEqualTo("rfc");
        assertThat(o.sysctls().timeWait()).isEqualTo(Duration.ofMinutes(4));
        assertThat(o.jsonl()).isTrue();
    }

    @Test
    void lossBoundsAreInclusive() {
        assertThat(parse("--loss", "0").loss()).isZero();
        assertThat(parse("--loss", "1").loss()).isEqualTo(1.0);
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run("demo", "--help")).isZero();
        assertThat(out.toString()).contains("--server-closes-first", "--seed", "--loss", "--profile", "--jsonl");
    }

    @Test
    void topLevelHelpListsDemo() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("jtcp", "demo");
    }

    @Test
    void lossAboveOneIsAUsageError() {
        assertThat(run("demo", "--loss", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("--loss", "'2' is not a probability").contains("Usage:");
    }

    @Test
    void otherBadValuesAreUsageErrors() {
        assertThat(run("demo", "--loss", "-0.1")).isEqualTo(2);
        assertThat(run("demo", "--loss", "NaN")).isEqualTo(2);
        assertThat(run("demo", "--loss", "lots")).isEqualTo(2);
        assertThat(run("demo", "--seed", "x")).isEqualTo(2);
        assertThat(run("demo", "--profile", "bsd")).isEqualTo(2);
        assertThat(err.toString()).contains("'bsd' is not a profile (linux, rfc)");
        assertThat(run("demo", "--bogus")).isEqualTo(2);
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing a command");
    }

    @Test
    void captureFilesAreOptional() {
        assertThat(parse().pcap()).isNull();
        assertThat(parse().svg()).isNull();
        DemoOptions o = parse("--pcap", "run.pcap", "--svg", "run.svg");
        assertThat(o.pcap()).hasFileName("run.pcap");
        assertThat(o.svg()).hasFileName("run.svg");
    }
}
