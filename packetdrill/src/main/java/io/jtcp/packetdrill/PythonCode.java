package io.jtcp.packetdrill;

import io.jtcp.tcp.TcpInfo;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code %{ ... }%} blocks, run as packetdrill's code.c runs them: when its time comes a
 * block records the socket under test's TCP_INFO (run_code_event); after the last event
 * every block goes to one python3 program (code_execute), each preceded by its snapshot
 * as {@code tcpi_x = value} lines (write_tcp_info) and by the tcp_info constants
 * (write_symbols). An exception, a failed assert most often, fails the script at its
 * block's line with python's message.
 *
 * <p>jtcp's {@link TcpInfo} lacks some of Linux's fields (pacing, busy/limited times,
 * ECN, ...); a block that names one, or SO_MEMINFO's or TCP_CC_INFO's variables, makes the
 * script unsupported rather than fail on a made-up value.
 */
final class PythonCode {
    /** Marks the failing block's line on stderr, as code.c's excepthook prints {@code _file:_line}. */
    private static final String LINE_MARK = "jtcp-code-line ";
    private static final String PREAMBLE = """
            import sys
            import traceback
            def _excepthook(etype, value, tb):
                sys.stderr.write("%s%d\\n" % (_mark, _line))
                sys.stderr.write("".join(traceback.format_exception_only(etype, value)))
            sys.excepthook = _excepthook
            _mark = '""" + LINE_MARK + "'\n\n";
    private static final Pattern TCPI_NAME = Pattern.compile("\\btcpi_\\w+");
    private static final Pattern OTHER_SOCKOPT_NAME = Pattern.compile("\\b(SK_MEMINFO_\\w+|bbr_\\w+|dctcp_\\w+|tcpv_\\w+)");

    private final StringBuilder program = new StringBuilder(PREAMBLE);
    private int firstLine;

    /** Records {@code code}, run at its event with {@code info} the socket under test's TCP_INFO (null: none). */
    void add(Event.Code code, TcpInfo info) throws UnsupportedFeature, ScriptFailure {
        if (!python3Present()) throw new UnsupportedFeature("python3 (for %{ }% code blocks)");
        Matcher other = OTHER_SOCKOPT_NAME.matcher(code.code());
        if (other.find()) throw new UnsupportedFeature("SO_MEMINFO and TCP_CC_INFO in code blocks (" + other.group() + ")");
        if (info == null) throw new ScriptFailure(code.line(), "runtime error in code: can't find getsockopt to get TCP info");
        Map<String, Long> fields = info.asMap();
        Matcher names = TCPI_NAME.matcher(code.code());
        while (names.find()) {
            if (!fields.containsKey(names.group())) throw new UnsupportedFeature("TCP_INFO field " + names.group());
        }
        if (firstLine == 0) firstLine = code.line();
        TcpInfoNames.PYTHON_CONSTANTS.forEach(this::assign);
        fields.forEach(this::assign);
        program.append("\n_line = ").append(code.line()).append('\n').append(code.code()).append("\n\n");
    }

    private void assign(String name, long value) {
        program.append(name).append(" = ").append(Long.toUnsignedString(value)).append('\n');
    }

    /** Runs every recorded block in one python3 process; nothing when there is none. */
    void run() throws ScriptFailure {
        if (firstLine == 0) return;
        Process p;
        try {
            p = new ProcessBuilder("python3", "-").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(program.toString().getBytes(StandardCharsets.UTF_8));
            }
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = p.waitFor();
            if (status != 0) throw failure(status, err);
        } catch (IOException e) {
            throw new ScriptFailure(firstLine, "error running 'python3': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScriptFailure(firstLine, "interrupted while running 'python3'");
        }
    }

    /** The failing block's line and python's message; without the mark (a syntax error) the first block's line. */
    private ScriptFailure failure(int status, String stderr) {
        List<String> lines = new ArrayList<>(stderr.lines().filter(l -> !l.isBlank()).toList());
        int line = firstLine;
        if (!lines.isEmpty() && lines.get(0).startsWith(LINE_MARK)) {
            line = Integer.parseInt(lines.remove(0).substring(LINE_MARK.length()).strip());
            return new ScriptFailure(line, "error in Python code: " + String.join(" ", lines).strip());
        }
        String last = lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1).strip();
        return new ScriptFailure(line, "'python3' returned non-zero status " + status + last);
    }

    private static boolean python3Present() {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "python3"))) return true;
        }
        return false;
    }
}
