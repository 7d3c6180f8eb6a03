package io.jtcp.cli;

import io.jtcp.observe.SsView;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TextTracePrinter;
import io.jtcp.observe.TraceSink;
import io.jtcp.observe.TraceTime;
import io.jtcp.scenario.Explanation;
import io.jtcp.scenario.Reporter;
import java.io.PrintStream;
import java.util.List;

/** A scenario told for people: the trace, `ss -tan -o` blocks at the telling moments, the explanation. */
final class TextReporter implements Reporter {
    private final PrintStream out;
    private final TraceSink trace;

    TextReporter(PrintStream out, TraceSink extra) {
        this.out = out;
        this.trace = DemoRun.wireOnce(new TextTracePrinter(out)).andThen(extra);
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
            out.println("[" + s.host() + " " + s.address() + "] ss -tan -o");
            out.print(SsView.format(s, true, false));
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
