package io.jtcp.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** 'jtcp fuzz': the target list read from the sources, names resolved, libFuzzer's figures read. */
class FuzzCommandTest {
    @TempDir
    Path root;

    private void checkout() throws Exception {
        Path src = Files.createDirectories(root.resolve("fuzz/src/test/java/io/x"));
        Files.writeString(root.resolve("fuzz/campaign.sh"), "exit 0\n");
        Files.writeString(src.resolve("AFuzzTest.java"), """
                class AFuzzTest {
                    @FuzzTest
                    void one(byte[] b) { }

                    @FuzzTest(maxDuration = "1m")
                    void two(FuzzedDataProvider d) { }

                    void helper() { }
                }
                """);
        Files.writeString(src.resolve("BFuzzTest.java"), "class BFuzzTest {\n    @FuzzTest\n    void one(byte[] b) { }\n}\n");
    }

    @Test
    void listsEveryFuzzTestMethodAsClassHashMethod() throws Exception {
        checkout();
        StringWriter out = new StringWriter();
        CommandLine cmd = Main.commandLine().setOut(new PrintWriter(out));
        assertThat(cmd.execute("fuzz", "--list", "--root", root.toString())).isZero();
        assertThat(out.toString().lines().toList()).containsExactly("AFuzzTest#one", "AFuzzTest#two", "BFuzzTest#one");
    }

    @Test
    void aNameResolvesToTheOneTargetItMeans() {
        List<String> targets = List.of("AFuzzTest#one", "AFuzzTest#two", "BFuzzTest#one");
        assertThat(FuzzTargets.resolve(targets, "two")).isEqualTo("AFuzzTest#two");
        assertThat(FuzzTargets.resolve(targets, "BFuzzTest")).isEqualTo("BFuzzTest#one");
        assertThat(FuzzTargets.resolve(targets, "AFuzzTest#one")).isEqualTo("AFuzzTest#one");
        assertThatThrownBy(() -> FuzzTargets.resolve(targets, "one")).hasMessageContaining("several");
        assertThatThrownBy(() -> FuzzTargets.resolve(targets, "three")).hasMessageContaining("no fuzz target");
    }

    @Test
    void anUnknownTargetIsBadUsage() throws Exception {
        checkout();
        CommandLine cmd = Main.commandLine().setErr(new PrintWriter(new StringWriter()));
        assertThat(cmd.execute("fuzz", "nope", "--root", root.toString())).isEqualTo(2);
    }

    @Test
    void readsExecutionsAndCoverageFromLibFuzzersLines() {
        FuzzStats s = FuzzStats.NONE;
        for (String line : List.of(
                "#2\tINITED cov: 4 ft: 4 corp: 1/1b exec/s: 0 rss: 1228Mb",
                "INFO: Instrumented io.jtcp.wire.Bytes (took 43 ms, size +13%)",
                "#210566\tDONE   cov: 165 ft: 236 corp: 28/297b lim: 1890 exec/s: 10026 rss: 1352Mb",
                "Done 210566 runs in 21 second(s)")) {
            s = s.read(line);
        }
        assertThat(s).isEqualTo(new FuzzStats(210_566, 21, 165, 236, 28));
        assertThat(s.describe()).contains("210,566 executions in 21 s", "coverage 165 edges");
    }
}
