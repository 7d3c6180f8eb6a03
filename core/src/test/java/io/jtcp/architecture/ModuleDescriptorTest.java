package io.jtcp.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What jtcp-core promises to users is its module's export list; tests run on the class path, so this
 * reads the compiled descriptor itself. Adding an export (or widening a qualified one) must change
 * this test too: a public API is a decision, not a side effect.
 */
class ModuleDescriptorTest {
    private static ModuleDescriptor core() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void coreExportsOnlyThePublicApiToEveryone() throws IOException {
        ModuleDescriptor core = core();
        assertThat(core.name()).isEqualTo("io.jtcp.core");
        Set<String> unqualified = new TreeSet<>();
        for (Exports e : core.exports()) if (!e.isQualified()) unqualified.add(e.source());
        assertThat(unqualified).containsExactly(
                "io.jtcp.api", "io.jtcp.config", "io.jtcp.link", "io.jtcp.link.sim", "io.jtcp.net", "io.jtcp.nio",
                "io.jtcp.observe", "io.jtcp.shard", "io.jtcp.simulation", "io.jtcp.wire");
    }

    @Test
    void engineAndHostReachOnlyJtcpsOwnModules() throws IOException {
        Map<String, Set<String>> qualified = new TreeMap<>();
        for (Exports e : core().exports()) if (e.isQualified()) qualified.put(e.source(), new TreeSet<>(e.targets()));
        assertThat(qualified).containsOnlyKeys("io.jtcp.tcp", "io.jtcp.host");
        assertThat(qualified.values()).allSatisfy(targets -> assertThat(targets).allMatch(m -> m.startsWith("io.jtcp.")));
        assertThat(qualified.get("io.jtcp.tcp"))
                .containsExactlyInAnyOrder("io.jtcp.scenarios", "io.jtcp.tun", "io.jtcp.bench", "io.jtcp.packetdrill");
        assertThat(qualified.get("io.jtcp.host")).containsExactlyInAnyOrder(
                "io.jtcp.scenarios", "io.jtcp.tun", "io.jtcp.bench", "io.jtcp.packetdrill", "io.jtcp.cli");
    }

    @Test
    void coreNeedsOnlyThePlatform() throws IOException {
        // java.management: the simulation counts the platform threads started under it.
        assertThat(core().requires()).extracting(ModuleDescriptor.Requires::name)
                .containsExactlyInAnyOrder("java.base", "java.management");
        assertThat(core().opens()).isEmpty();
    }

    @Test
    void timersStayInside() throws IOException {
        assertThat(core().exports()).noneMatch(e -> e.source().equals("io.jtcp.time"));
    }
}
