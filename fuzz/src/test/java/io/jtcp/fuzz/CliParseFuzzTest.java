package io.jtcp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jtcp.cli.Main;
import picocli.CommandLine;

/**
 * The jtcp command line, parsed but never run: any argument list ends in a parse result or in
 * picocli's ParameterException (what Main turns into "bad usage", exit 2), never in another
 * exception from an option's converter or setter. picocli is instrumented too (see the pom): the
 * parsing is its code, not jtcp's.
 */
class CliParseFuzzTest {
    /** Built once: the model is reflection over every command, and picocli resets each option before a parse. */
    private static final CommandLine JTCP = Main.commandLine();

    @FuzzTest
    void arguments(byte[] input) {
        try {
            JTCP.parseArgs(Arguments.of(input).toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            // Bad usage, reported as such.
        }
    }
}
