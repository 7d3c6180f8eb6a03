package io.jtcp.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The corpus in packetdrill's other two address modes, with the options upstream's
 * run_all.py gives each ({@link RunnerOptions#runAll}): every script that passes in ipv4
 * passes in ipv6 and in ipv4-mapped-ipv6 too, or is reported UNSUPPORTED with the feature
 * it needs. As run_all.py does, a script named {@code *v4.pkt} is not run in ipv6 and one
 * named {@code *v6.pkt} not in the IPv4 modes.
 */
class AddressModesCorpusTest {
    private static final Path CORPUS = Path.of("corpus");

    @TestFactory
    Stream<DynamicTest> everyIpv4PassHoldsInTheOtherModes() throws IOException {
        if (!Files.isDirectory(CORPUS)) return Stream.empty();
        List<Path> scripts = Packetdrill.scripts(List.of(CORPUS));
        return Stream.of("ipv6", "ipv4-mapped-ipv6").flatMap(mode -> scripts.stream()
                .filter(p -> runs(p, mode))
                .map(p -> DynamicTest.dynamicTest(mode + " " + CORPUS.relativize(p), () -> {
                    Outcome v4 = Packetdrill.run(p, RunnerOptions.runAll("ipv4"));
                    if (v4.result() != Outcome.Result.PASS) return;
                    Outcome o = Packetdrill.run(p, RunnerOptions.runAll(mode));
                    assertThat(o.result()).as(o.describe()).isNotEqualTo(Outcome.Result.FAIL);
                    if (o.result() == Outcome.Result.UNSUPPORTED) assertThat(o.feature()).as(o.describe()).isNotBlank();
                })));
    }

    /** The corpus has scripts that pass in the new modes, not only unsupported ones: the counts per mode. */
    @TestFactory
    Stream<DynamicTest> countsPerMode() throws IOException {
        if (!Files.isDirectory(CORPUS)) return Stream.empty();
        List<Path> scripts = Packetdrill.scripts(List.of(CORPUS));
        return Stream.of("ipv4", "ipv6", "ipv4-mapped-ipv6").map(mode -> DynamicTest.dynamicTest(mode, () -> {
            Map<Outcome.Result, Integer> counts = new EnumMap<>(Outcome.Result.class);
            for (Path p : scripts) {
                if (!runs(p, mode)) continue;
                counts.merge(Packetdrill.run(p, RunnerOptions.runAll(mode)).result(), 1, Integer::sum);
            }
            System.out.println("packetdrill corpus --ip_version=" + mode + ": " + counts);
            assertThat(counts.getOrDefault(Outcome.Result.PASS, 0)).as(mode + " " + counts).isPositive();
        }));
    }

    private static boolean runs(Path script, String mode) {
        String name = script.getFileName().toString();
        return mode.equals("ipv6") ? !name.endsWith("v4.pkt") : !name.endsWith("v6.pkt");
    }
}
