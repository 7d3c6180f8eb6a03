package io.jtcp.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** setsockopt/getsockopt(TCP_CONGESTION) with string values, as upstream packetdrill passes and compares them. */
class CongestionScriptTest {
    private static final Path SCRIPT = Path.of("corpus/options/tcp-congestion.pkt");

    @Test
    void theCorpusScriptPassesAsOnLinux() {
        Outcome o = Packetdrill.run(SCRIPT, new RunnerOptions());
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.PASS);
    }

    @Test
    void aWrongNameOrLengthIsAMismatch(@TempDir Path dir) throws IOException {
        String script = Files.readString(SCRIPT);
        assertFailsWith(dir, script.replace("TCP_CONGESTION, \"reno\", [4]) = 0", "TCP_CONGESTION, \"bbrx\", [4]) = 0"),
                "expected: 'bbrx' actual: 'reno'");
        assertFailsWith(dir, script.replace("TCP_CONGESTION, \"cub\", [3]) = 0", "TCP_CONGESTION, \"cub\", [4]) = 0"),
                "does not match length");
        assertFailsWith(dir, script.replace("TCP_CONGESTION, \"cubic\", 3) = -1 ENOENT", "TCP_CONGESTION, \"cubic\", 5) = -1 ENOENT"),
                "expected result -1 but got 0");
    }

    private static void assertFailsWith(Path dir, String script, String why) throws IOException {
        Path p = dir.resolve("variant.pkt");
        Files.writeString(p, script);
        Outcome o = Packetdrill.run(p, new RunnerOptions());
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.FAIL);
        assertThat(o.describe()).contains(why);
    }
}
