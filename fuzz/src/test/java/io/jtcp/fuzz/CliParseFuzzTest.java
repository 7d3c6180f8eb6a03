package io.jtcp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jtcp.cli.Main;
import picocli.CommandLine;

/**
 * The jtcp command line, parsed but never run: any argument list ends in a parse result or in
 * picocli's ParameterException (what Main turns into "bad usage", exit 2), never in another
 * exception from an option's converter or setter.
 */
class CliParseFuzzTest {
    @FuzzTest
    void arguments(byte[] input) {
        try {
            Main.commandLine().parseArgs(Arguments.of(input).toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            // Bad usage, reported as such.
        }
    }
}
