package io.jtcp.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by fuzzing (CliParseFuzzTest): picocli reads "@FILE" arguments as argument files by
 * default, and "@." (a directory) ended 'jtcp' with picocli's InitializationException and a
 * stack trace. jtcp's command line has no argument files: "@..." is an argument like any other.
 */
class AtArgumentTest {
    @Test
    void anAtArgumentIsBadUsageNotAStackTrace() {
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine().setErr(new PrintWriter(err));
        assertThat(cmd.execute("@.")).isEqualTo(2);
        assertThat(err.toString()).contains("@.").doesNotContain("Exception");
    }
}
