package io.jtcp.cli;

import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TextTracePrinter;
import io.jtcp.observe.TraceSink;
import io.jtcp.observe.TraceTime;
import io.jtcp.scenario.Explanation;
import java.io.PrintStream;
import java.util.List;

/** A run told for people: the trace, the chosen views (ss by default) at the telling moments, the explanation. */
final class TextReporter extends ConsoleReporter {
    TextReporter(PrintStream out, TraceSink extra, List<View> views) {
        super(out, new TextTracePrinter(out), extra, views);
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
