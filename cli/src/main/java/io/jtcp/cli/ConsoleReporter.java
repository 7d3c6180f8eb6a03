package io.jtcp.cli;

import io.jtcp.observe.TraceSink;
import io.jtcp.scenario.Reporter;
import java.io.PrintStream;
import java.util.List;

/** What the text and JSONL reporters share: where they print, the trace printer, the views chosen. */
abstract class ConsoleReporter implements Reporter {
    final PrintStream out;
    final List<View> views;
    private final TraceSink trace;

    /** Both ends of a simulated run are jtcp: the printer sees each segment once ({@link DemoRun#wireOnce}). */
    ConsoleReporter(PrintStream out, TraceSink printer, TraceSink extra, List<View> views) {
        this.out = out;
        this.views = views;
        this.trace = DemoRun.wireOnce(printer).andThen(extra);
    }

    @Override
    public final TraceSink trace() {
        return trace;
    }
}
