package io.jtcp.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.config.Sysctls;
import io.jtcp.observe.PcapWriter;
import io.jtcp.observe.TraceEvent.SegmentEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's capture as a real tool sees it: PcapWriter's output of a whole scenario run, read by tshark. */
class DemoPcapTsharkTest {
    @TempDir
    Path dir;

    /** The demo's pcap, read back by tshark with checksum validation on: every packet dissected, nothing wrong. */
    @Test
    void tsharkReadsTheDemoCaptureWithoutComplaint() throws Exception {
        requireTool("tshark");
        Path file = dir.resolve("demo.pcap");
        List<SegmentEvent> sent = new ArrayList<>();
        try (PcapWriter pcap = PcapWriter.create(file)) {
            TraceSink record = e -> {
                if (e instanceof SegmentEvent s && s.dir().equals(SegmentEvent.OUT)) sent.add(s);
            };
            RequestReply.Result r = RequestReply.run(new RequestReply.Options(false, 1, 0.0, Sysctls.linux()),
                    TraceSink.all(List.of(pcap, record)));
            assertThat(r.reply()).endsWith("Hello, world!");
            assertThat(pcap.records()).isEqualTo(sent.size());
        }

        String[] checks = {"-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE"};
        String verbose = run(cmd(List.of("tshark", "-n", "-r", file.toString(), "-V"), checks));
        assertThat(verbose.lines().filter(l -> l.startsWith("Frame ")).count()).isEqualTo(sent.size());
        assertThat(verbose).contains("Raw packet data", "Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2",
                        "Transmission Control Protocol")
                .doesNotContain("Malformed", "incorrect", "Bad checksum", "Checksum Status: Bad");

        String expert = run(cmd(List.of("tshark", "-n", "-q", "-r", file.toString(), "-z", "expert,error"), checks));
        assertThat(expert).doesNotContain("Malformed").doesNotContain("Bad checksum");

        // One line a frame: tshark's view of the flags, raw sequence number and checksum verdicts.
        String fields = run(cmd(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields", "-E", "separator=,",
                "-e", "tcp.flags", "-e", "tcp.seq_raw", "-e", "ip.checksum.status", "-e", "tcp.checksum.status"), checks));
        List<String> lines = fields.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(sent.size());
        List<String> tsharkFlags = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            Segment s = sent.get(i).segment();
            int flags = Integer.decode(f[0]);
            assertThat(flags).as("frame %d flags", i + 1).isEqualTo(s.flags);
            assertThat(Long.parseLong(f[1])).as("frame %d seq", i + 1).isEqualTo(Integer.toUnsignedLong(s.seq));
            assertThat(f[2]).as("frame %d IP checksum status (1 = good)", i + 1).isEqualTo("1");
            assertThat(f[3]).as("frame %d TCP checksum status (1 = good)", i + 1).isEqualTo("1");
            tsharkFlags.add(TcpFlags.tcpdump(flags));
        }
        assertThat(tsharkFlags).startsWith("S", "S.", ".");
        assertThat(tsharkFlags).contains("P.", "F.");
        assertThat(tsharkFlags.indexOf("F.")).isGreaterThan(tsharkFlags.indexOf("P."));
    }

    private static List<String> cmd(List<String> base, String... extra) {
        List<String> c = new ArrayList<>(base);
        c.addAll(1, List.of(extra));
        return c;
    }

    /**
     * Makes {@code tool} available through scripts/ensure-tools.sh, or skips the test with the
     * reason; under CI (CI=true) a missing tool fails instead, so CI never passes by skipping.
     */
    static void requireTool(String tool) throws Exception {
        if (onPath(tool)) return;
        Path script = projectRoot().resolve("scripts/ensure-tools.sh");
        String why;
        try {
            Process p = new ProcessBuilder("bash", script.toString(), tool).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean done = p.waitFor(15, TimeUnit.MINUTES);
            why = done ? script + " " + tool + " exited " + p.exitValue() + ": " + out.strip() : script + " timed out";
        } catch (IOException e) {
            why = "could not run " + script + ": " + e.getMessage();
        }
        if (onPath(tool)) return;
        String reason = tool + " is not installed and could not be installed (" + why + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(reason);
        Assumptions.abort(reason);
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }

    static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/ensure-tools.sh"))) return p;
        }
        throw new IllegalStateException("no scripts/ensure-tools.sh above " + Path.of("").toAbsolutePath());
    }

    private static String run(List<String> command) throws Exception {
        Path err = Files.createTempFile("tshark", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
            assertThat(p.exitValue()).as("%s exit code; stderr: %s", command, Files.readString(err)).isZero();
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
