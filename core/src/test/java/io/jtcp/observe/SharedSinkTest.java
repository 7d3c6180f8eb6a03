package io.jtcp.observe;

import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.link.MemoryNetwork;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** One printer, or two printers on one stream, fed by two real-time loops at once: every line stays whole. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedSinkTest {
    static final int CONNECTIONS = 200;
    static final Pattern TEXT_LINE = Pattern.compile("\\d+\\.\\d{6} \\S.*");

    @Test
    void oneJsonlPrinterSharedByTwoLoopsWritesWholeLines() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
        JsonlTracePrinter shared = new JsonlTracePrinter(out);
        List<String> lines = traffic(shared, shared, bytes, out);
        for (String line : lines) {
            Map<String, Object> o = MiniJson.object(line);
            assertThat(o).containsKeys("t", "type", "host");
        }
        assertThat(lines.stream().map(l -> MiniJson.object(l).get("host")).distinct()).hasSize(2);
    }

    @Test
    void twoTextPrintersOnOneStreamWriteWholeLines() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
        List<String> lines = traffic(new TextTracePrinter(out), new TextTracePrinter(out), bytes, out);
        assertThat(lines).allMatch(l -> TEXT_LINE.matcher(l).matches(), "a whole trace line");
    }

    /** {@link #CONNECTIONS} short exchanges between two loops tracing to the given sinks; the lines written. */
    private static List<String> traffic(TraceSink clientSink, TraceSink serverSink, ByteArrayOutputStream bytes,
                                        PrintStream out) throws Exception {
        MemoryNetwork net = new MemoryNetwork();
        try (StackLoop client = StackLoop.builder("client", "10.0.0.1").seed(1).start(net);
             StackLoop server = StackLoop.builder("server", "10.0.0.2").seed(2).start(net);
             ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            client.call(() -> { client.stack().setTrace(clientSink); return null; }).get(30, TimeUnit.SECONDS);
            server.call(() -> { server.stack().setTrace(serverSink); return null; }).get(30, TimeUnit.SECONDS);
            TcpServerSocket listener = TcpServerSocket.listen(server, 80, 256);
            vts.submit(() -> {
                for (int i = 0; i < CONNECTIONS; i++) {
                    TcpSocket s = listener.accept();
                    vts.submit(() -> {
                        try (s) {
                            s.getOutputStream().write(s.getInputStream().read());
                        }
                        return null;
                    });
                }
                return null;
            });
            List<Future<Integer>> replies = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                int b = i & 0x7f;
                replies.add(vts.submit(() -> {
                    try (TcpSocket s = TcpSocket.open(client)) {
                        s.connect("10.0.0.2", 80);
                        s.getOutputStream().write(b);
                        return s.getInputStream().read();
                    }
                }));
            }
            for (int i = 0; i < CONNECTIONS; i++) assertThat(replies.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i & 0x7f);
            client.call(() -> { client.stack().setTrace(TraceSink.NONE); return null; }).get(30, TimeUnit.SECONDS);
            server.call(() -> { server.stack().setTrace(TraceSink.NONE); return null; }).get(30, TimeUnit.SECONDS);
            listener.close();
        }
        out.flush();
        String all = bytes.toString(StandardCharsets.UTF_8);
        assertThat(all).endsWith("\n");
        List<String> lines = all.lines().toList();
        assertThat(lines).hasSizeGreaterThan(CONNECTIONS * 8);
        return lines;
    }
}
