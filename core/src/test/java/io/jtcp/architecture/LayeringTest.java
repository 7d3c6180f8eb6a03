package io.jtcp.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.architecture.Layering.Rule;
import io.jtcp.architecture.Layering.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's layers, checked on jtcp-core's sources: data flows down and up, never sideways, and a
 * lower layer does not reach into a higher one. The table says what each package may use; the socket
 * layer's error vocabulary and observe's trace SPI are the two places where a lower layer names single
 * types of a higher package.
 */
class LayeringTest {
    private static final String API = "io.jtcp.api", CONFIG = "io.jtcp.config", HOST = "io.jtcp.host", IP = "io.jtcp.ip",
            LINK = "io.jtcp.link", LINK_SIM = "io.jtcp.link.sim", NET = "io.jtcp.net", NIO = "io.jtcp.nio",
            OBSERVE = "io.jtcp.observe", SHARD = "io.jtcp.shard", SIMULATION = "io.jtcp.simulation", TCP = "io.jtcp.tcp", TIME = "io.jtcp.time", WIRE = "io.jtcp.wire";

    /** Errors and status: the socket layer owns them, the engine and host report in them (issue 10). */
    private static final Set<String> ERROR_VOCABULARY =
            Set.of(API + ".Errno", API + ".ErrnoException", API + ".ConnectionStatus");
    /** What host may use of observe: the typed events, the sink they go to, and the snapshot value. */
    private static final Set<String> TRACE_SPI =
            Set.of(OBSERVE + ".TraceEvent", OBSERVE + ".TraceSink", OBSERVE + ".StackSnapshot");

    static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry(CONFIG, new Rule(Set.of(), Set.of())),
            Map.entry(TIME, new Rule(Set.of(), Set.of())),
            Map.entry(WIRE, new Rule(Set.of(CONFIG), Set.of())),
            Map.entry(LINK, new Rule(Set.of(CONFIG, WIRE, TIME), Set.of())),
            Map.entry(LINK_SIM, new Rule(Set.of(LINK, CONFIG, WIRE, TIME), Set.of())),
            Map.entry(TCP, new Rule(Set.of(WIRE, CONFIG), ERROR_VOCABULARY)),
            // The IP layer sits beside the engine, under the host: neither knows the other.
            Map.entry(IP, new Rule(Set.of(WIRE, CONFIG, TIME), ERROR_VOCABULARY)),
            Map.entry(HOST, new Rule(Set.of(TCP, IP, WIRE, TIME, CONFIG, LINK), union(ERROR_VOCABULARY, TRACE_SPI))),
            Map.entry(OBSERVE, new Rule(Set.of(TCP, WIRE, CONFIG, TIME), ERROR_VOCABULARY)),
            // The socket layer sits under the java.net and NIO adapters: it must not call up into them.
            Map.entry(API, new Rule(Set.of(CONFIG, WIRE, TIME, TCP, HOST, LINK, LINK_SIM, OBSERVE), Set.of())),
            // The adapters and the simulation sit on the socket layer; none of them reaches the engine directly.
            // A sharded host is stacks (host) behind the socket layer (api), one per core.
            Map.entry(SHARD, new Rule(Set.of(API, HOST, LINK, OBSERVE, WIRE, CONFIG), Set.of())),
            Map.entry(NET, new Rule(Set.of(API, CONFIG, LINK), Set.of())),
            Map.entry(NIO, new Rule(Set.of(API, NET, CONFIG), Set.of())),
            Map.entry(SIMULATION, new Rule(Set.of(API, CONFIG, LINK_SIM, OBSERVE, WIRE), Set.of())));

    /**
     * Known exceptions, each a finding. SimHost, the simulator's driver for one host, builds a Stack:
     * the simulated network reaches up into host. It belongs with the simulation kit above host
     * (io.jtcp.simulation), which is where it should move.
     */
    static final Set<String> KNOWN = Set.of("io.jtcp.link.sim.SimHost -> io.jtcp.host.Stack");

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Test
    void coreFollowsTheLayers() throws IOException {
        Layering layering = new Layering(RULES, KNOWN);
        Path root = Path.of("src/main/java");
        List<Violation> violations;
        try (Stream<Path> files = Files.walk(root)) {
            violations = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(f -> layering.check(f.getFileName().toString().replace(".java", ""), read(f)).stream())
                    .toList();
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theKnownExceptionsStillExist() throws IOException {
        // An exception whose reference is gone must leave the table, or it would excuse a new one later.
        Layering strict = new Layering(RULES, Set.of());
        assertThat(strict.check("SimHost", read(Path.of("src/main/java/io/jtcp/link/sim/SimHost.java"))))
                .containsExactly(new Violation("io.jtcp.link.sim.SimHost", HOST, "Stack"));
    }

    @Test
    void aLinkThatImportsHostFails() {
        Layering layering = new Layering(RULES, KNOWN);
        String source = """
                package io.jtcp.link;

                import io.jtcp.wire.Ip4;
                import io.jtcp.host.Stack;

                final class Bad {
                    Stack stack;
                }
                """;
        assertThat(layering.check("Bad", source)).containsExactly(new Violation("io.jtcp.link.Bad", HOST, "Stack"));
    }

    @Test
    void hostMayUseTheTraceSpiButNotARenderer() {
        Layering layering = new Layering(RULES, KNOWN);
        String source = """
                package io.jtcp.host;

                import io.jtcp.observe.TraceSink;
                import static io.jtcp.observe.TraceEvent.SegmentEvent.sent;

                final class Dump {
                    String text(io.jtcp.observe.StackSnapshot s) { return io.jtcp.observe.SsView.format(s, false, false); }
                }
                """;
        assertThat(layering.check("Dump", source)).containsExactly(new Violation("io.jtcp.host.Dump", OBSERVE, "SsView"));
    }

    @Test
    void theEngineMayNameTheErrorVocabularyButNotSockets() {
        Layering layering = new Layering(RULES, KNOWN);
        String source = """
                package io.jtcp.tcp;

                import io.jtcp.api.Errno;
                import io.jtcp.api.*;

                final class Leak { }
                """;
        assertThat(layering.check("Leak", source)).containsExactly(new Violation("io.jtcp.tcp.Leak", API, "*"));
    }

    @Test
    void commentsAndStringsAreNotDependencies() {
        Layering layering = new Layering(RULES, KNOWN);
        String source = """
                package io.jtcp.wire;

                /** Decoded before {@link io.jtcp.host.Stack} sees it. */
                final class Doc {
                    // io.jtcp.api.TcpSocket reads what this decodes
                    String s = "io.jtcp.observe.SsView";
                    io.jtcp.config.Sysctls ok;
                }
                """;
        assertThat(layering.check("Doc", source)).isEmpty();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
