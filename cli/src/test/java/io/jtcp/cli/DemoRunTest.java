package io.jtcp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo run end to end through the command line: what it prints, and that it prints the same every time. */
class DemoRunTest {

    private static String demo(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "demo";
            System.arraycopy(args, 0, all, 1, args.length);
            CommandLine cmd = Main.commandLine();
            assertThat(cmd.execute(all)).as("exit code").isZero();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void clientClosesFirstAndHoldsTimeWaitForSixtySeconds() {
        String out = demo();
        assertThat(out).contains("Flags [S], seq", "Flags [S.], seq", "Flags [F.]",
                "client connect", "server send", "client close");
        assertThat(out).containsSubsequence(
                "10.0.0.1.", "SYN_SENT -> ESTABLISHED",
                "ESTABLISHED -> FIN_WAIT_1", "ESTABLISHED -> CLOSE_WAIT", "FIN_WAIT_1 -> FIN_WAIT_2",
                "CLOSE_WAIT -> LAST_ACK", "FIN_WAIT_2 -> TIME_WAIT", "LAST_ACK -> CLOSED",
                "60.130000 10.0.0.1.", "TIME_WAIT -> CLOSED (2MSL timer expired (3.10.8))");
        assertThat(out).contains("the client closed first");
    }

    @Test
    void serverClosingFirstPutsTimeWaitOnTheServer() {
        String out = demo("--server-closes-first");
        List<String> timeWait = out.lines().filter(l -> l.contains("-> TIME_WAIT")).toList();
        assertThat(timeWait).singleElement().asString().startsWith("0.0").contains(" 10.0.0.2.80 > ");
    }

    @Test
    void rfcProfileWaitsFourMinutes() {
        String out = demo("--profile", "rfc");
        assertThat(out.lines().filter(l -> l.contains("TIME_WAIT -> CLOSED"))).singleElement().asString().startsWith("240.");
    }

    @Test
    void theSameSeedGivesTheSameTraceByteForByte() {
        assertThat(demo("--seed", "7", "--loss", "0.2")).isEqualTo(demo("--seed", "7", "--loss", "0.2"));
        assertThat(demo("--seed", "7", "--loss", "0.2")).isNotEqualTo(demo("--seed", "8", "--loss", "0.2"));
    }

    @Test
    void lossIsSurvivedAndShownAsDropLines() {
        String out = demo("--seed", "3", "--loss", "0.3");
        assertThat(out).contains(" drop ", "LOST");
        assertThat(out).contains("reply received by the client: HTTP/1.1 200 OK");
    }

    @Test
    void showsTheViewsAtTheTellingMomentsAndPointsToTheScenarios() {
        String out = demo();
        assertThat(out).contains("the client closed first and its FIN is acknowledged", "[client 10.0.0.1] ss -tan -o",
                "FIN-WAIT-2", "CLOSE-WAIT", "TIME-WAIT", "timer:(timewait,", "./jtcp scenario --list");
    }

    @Test
    void writesAPcapAndALadderDiagramWhenAsked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path pcap = dir.resolve("demo.pcap"), svg = dir.resolve("demo.svg");
        demo("--pcap", pcap.toString(), "--svg", svg.toString());
        byte[] p = java.nio.file.Files.readAllBytes(pcap);
        assertThat(p.length).isGreaterThan(24 + 10 * 16);
        int magic = java.nio.ByteBuffer.wrap(p, 0, 4).getInt();
        assertThat(magic).as("pcap magic, in either byte order").isIn(0xa1b2c3d4, 0xd4c3b2a1);
        assertThat(java.nio.file.Files.readString(svg)).startsWith("<?xml").contains("class=\"segment\"");
    }

    @Test
    void jsonlPrintsOneObjectPerLineWithTheDocumentedFields() {
        List<String> lines = demo("--jsonl").lines().toList();
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("{\"t\":").endsWith("}"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"type\":\"segment\"", "\"dir\":\"out\"",
                "\"flags\":\"S\"", "\"seq\":", "\"win\":", "\"len\":0"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"type\":\"state\"", "\"from\":\"FIN_WAIT_2\"",
                "\"to\":\"TIME_WAIT\"", "\"cause\":"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"type\":\"user\"", "\"call\":\"close\""));
    }
}
