package io.jtcp.cli;

import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.scenario.Reporter;
import io.jtcp.scenario.RequestReply;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** The demo itself: two simulated hosts, one request and reply, a close, and the trace of all of it. */
public final class DemoRun {
    private DemoRun() {}

    /**
     * Runs the demo described by {@code options}, printing its trace to {@code out}.
     *
     * @return the process exit code
     */
    public static int run(DemoOptions options, PrintStream out) throws IOException {
        try (Captures captures = new Captures(options.pcap(), options.svg())) {
            List<View> views = List.of(View.SS);
            Reporter reporter = options.jsonl() ? new JsonlReporter(out, captures.sink(), views)
                    : new TextReporter(out, captures.sink(), views);
            RequestReply.Result r = RequestReply.run(
                    new RequestReply.Options(options.serverClosesFirst(), options.seed(), options.loss(), options.sysctls()),
                    reporter);
            if (!options.jsonl()) summary(options, r, out);
            captures.finish(null, System.err);
            return r.clientError() == null && r.serverError() == null && r.leftOpen() == 0 ? 0 : 1;
        }
    }

    /**
     * Both ends are jtcp, so every segment would be seen twice, leaving one host and
     * reaching the other; print it once, as it leaves, the way a capture on the wire shows it.
     */
    static TraceSink wireOnce(TraceSink sink) {
        return sink.filter(e -> !(e instanceof TraceEvent.SegmentEvent s) || TraceEvent.SegmentEvent.OUT.equals(s.dir()));
    }

    private static void summary(DemoOptions options, RequestReply.Result r, PrintStream out) {
        String closer = options.serverClosesFirst() ? "server" : "client";
        out.println();
        out.printf("reply received by the client: %s%n", r.reply().isEmpty() ? "(none)" : r.reply().lines().findFirst().orElse(""));
        out.printf("the %s closed first, so it held TIME_WAIT for 2MSL (%d s, profile %s) before reaching CLOSED%n",
                closer, options.sysctls().timeWait().toSeconds(), options.profile());
        if (r.clientError() != null) out.println("client error: " + r.clientError());
        if (r.serverError() != null) out.println("server error: " + r.serverError());
        out.printf("virtual time: %.3f s%n", r.endNanos() / 1e9);
        out.println();
        out.println("More of TCP's stories, each explained: ./jtcp scenario --list");
    }
}
