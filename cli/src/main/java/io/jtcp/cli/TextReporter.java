package io.jtcp.cli;

import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TextTracePrinter;
import io.jtcp.observe.TraceSink;
import io.jtcp.observe.TraceTime;
import io.jtcp.scenario.Explanation;
import io.jtcp.scenario.Reporter;
import java.io.PrintStream;
import java.util.List;

/** A run told for people: the trace, the chosen views (ss by default) at the telling moments, the explanation. */
final class TextReporter implements Reporter {
    private final PrintStream out;
    private final TraceSink trace;
    private final List<View> views;

    TextReporter(PrintStream out, TraceSink extra, List<View> views) {
        this.out = out;
        this.trace = DemoRun.wireOnce(new TextTracePrinter(out)).andThen(extra);
        this.views = views;
    }

    @Override
    public TraceSink trace() {
        return trace;
    }

    @Override
    public void views(long timeNanos, String moment, List<StackSnapshot> snapshots) {
        out.println();
        out.println("---- " + TraceTime.seconds(timeNanos) + " s: " + moment);
        for (StackSnapshot s : snapshots) {
            for (View v : views) {
                out.println("[" + s.host() + " " + s.address() + "] " + v.command);
                out.print(v.render(s));
            }
        }
        out.println("----");
        out.println();
    }

    @Override
    public void explain(String scenario, Explanation explanation) {
        out.println();
        out.println("What happened (" + scenario + "):");
        for (String line : explanation.lines()) out.println("  " + line);
    }
}
