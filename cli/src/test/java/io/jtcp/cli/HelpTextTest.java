package io.jtcp.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command's help renders as written: a bare '%' in a description is a format error picocli only warns about. */
class HelpTextTest {
    @Test
    void everyCommandsHelpFormatsWithoutAWarning() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CommandLine root = Main.commandLine();
            assertThat(root.getUsageMessage()).contains("demo");
            for (CommandLine sub : root.getSubcommands().values()) assertThat(sub.getUsageMessage()).isNotBlank();
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }
}
