package io.jtcp.cli;

import io.jtcp.observe.Json;
import io.jtcp.observe.JsonlTracePrinter;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TraceSink;
import io.jtcp.observe.TraceTime;
import io.jtcp.scenario.Explanation;
import java.io.PrintStream;
import java.util.List;

/**
 * A scenario for machines: the trace as JSON Lines, plus one {@code view} object per
 * host at each telling moment (each chosen view's text under its name: {@code ss}, {@code netstat}, ...)
 * and a final {@code explanation}.
 */
final class JsonlReporter extends ConsoleReporter {
    JsonlReporter(PrintStream out, TraceSink extra, List<View> views) {
        super(out, new JsonlTracePrinter(out), extra, views);
    }

    @Override
    public void views(long timeNanos, String moment, List<StackSnapshot> snapshots) {
        for (StackSnapshot s : snapshots) {
            StringBuilder b = new StringBuilder();
            Json.Obj o = new Json.Obj(b);
            o.rawNumber("t", TraceTime.seconds(timeNanos));
            o.string("type", "view");
            o.string("host", s.host());
            o.string("moment", moment);
            for (View v : views) o.string(v.optionName(), v.render(s));
            o.end();
            out.println(b);
        }
    }

    @Override
    public void explain(String scenario, Explanation explanation) {
        StringBuilder b = new StringBuilder();
        Json.Obj o = new Json.Obj(b);
        o.string("type", "explanation");
        o.string("scenario", scenario);
        o.string("text", String.join("\n", explanation.lines()));
        o.end();
        out.println(b);
    }
}
