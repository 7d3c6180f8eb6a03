package io.jtcp.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code .pkt} under {@code packetdrill/corpus/}, one dynamic test each. A
 * script listed in {@code corpus/known-divergences.txt} (one path relative to corpus/ per
 * line, '#' comments) is expected not to pass (fail or unsupported); every other script
 * must pass or be unsupported. A listed script that passes fails the test, so the list
 * shrinks as jtcp catches up.
 */
class CorpusTest {
    private static final Path CORPUS = Path.of("corpus");

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        if (!Files.isDirectory(CORPUS)) return Stream.empty();
        Set<String> divergent = knownDivergences();
        List<Path> scripts = Packetdrill.scripts(List.of(CORPUS));
        return scripts.stream().map(p -> DynamicTest.dynamicTest(CORPUS.relativize(p).toString(), () -> {
            Outcome o = Packetdrill.run(p, new RunnerOptions());
            String rel = CORPUS.relativize(p).toString();
            if (divergent.contains(rel)) {
                assertThat(o.result()).as("listed in known-divergences.txt but passes: " + rel).isNotEqualTo(Outcome.Result.PASS);
            } else {
                assertThat(o.result()).as(o.describe()).isNotEqualTo(Outcome.Result.FAIL);
            }
        }));
    }

    private static Set<String> knownDivergences() throws IOException {
        Path list = CORPUS.resolve("known-divergences.txt");
        if (!Files.exists(list)) return Set.of();
        return Files.readAllLines(list).stream().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty())
                .collect(Collectors.toSet());
    }
}
