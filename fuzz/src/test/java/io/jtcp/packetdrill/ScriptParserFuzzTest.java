package io.jtcp.packetdrill;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jtcp.fuzz.Arguments;
import java.nio.charset.StandardCharsets;

/**
 * packetdrill's script language and flags as jtcp reads them: a script either parses or
 * fails with ScriptSyntaxException (a line and a reason); flags either parse or fail with
 * IllegalArgumentException. Parsing only: nothing is run.
 */
class ScriptParserFuzzTest {
    @FuzzTest
    void script(byte[] input) {
        try {
            Parser.parse(new String(input, StandardCharsets.UTF_8));
        } catch (ScriptSyntaxException e) {
            // A syntax error, with its line.
        }
    }

    /** packetdrill's command-line flags (--tolerance_usecs=N, -D NAME=VALUE, ...), NUL-separated. */
    @FuzzTest
    void flags(byte[] input) {
        try {
            new RunnerOptions().parse(Arguments.of(input));
        } catch (IllegalArgumentException e) {
            // An unknown flag or a bad value.
        }
    }
}
