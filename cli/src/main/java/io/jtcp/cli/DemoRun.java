package io.jtcp.cli;

import io.jtcp.observe.JsonlTracePrinter;
import io.jtcp.observe.TextTracePrinter;
import io.jtcp.observe.TraceSink;
import java.io.PrintStream;

/** The demo itself: builds two simulated hosts, runs the conversation, prints the trace. */
public final class DemoRun {
    private DemoRun() {}

    /**
     * Runs the demo described by {@code options}, printing its trace to {@code out}.
     *
     * @return the process exit code
     */
    public static int run(DemoOptions options, PrintStream out) {
        // Waiting on the engine (host.Stack and the simulated link); printer(options, out) is the trace sink to use.
        throw new UnsupportedOperationException("engine pending");
    }

    /** The trace printer the options ask for: text by default, JSON Lines with --jsonl. */
    static TraceSink printer(DemoOptions options, PrintStream out) {
        return options.jsonl() ? new JsonlTracePrinter(out) : new TextTracePrinter(out);
    }
}
