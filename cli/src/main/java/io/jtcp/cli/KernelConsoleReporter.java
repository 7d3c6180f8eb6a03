package io.jtcp.cli;

import io.jtcp.observe.Json;
import io.jtcp.observe.JsonlTracePrinter;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TextTracePrinter;
import io.jtcp.observe.TraceSink;
import io.jtcp.observe.TraceTime;
import io.jtcp.scenario.Explanation;
import io.jtcp.tun.scenario.KernelReporter;
import java.io.PrintStream;
import java.util.List;

/**
 * A kernel-peer scenario told for people (text) or machines (JSON Lines): jtcp's trace with
 * both directions (only jtcp's end is traced, so each segment appears once, in or out),
 * jtcp's chosen views and the kernel's {@code ss} output at the telling moments, notes and
 * the explanation.
 */
final class KernelConsoleReporter implements KernelReporter {
    private final PrintStream out;
    private final boolean jsonl;
    private final List<View> views;
    private final TraceSink trace;

    KernelConsoleReporter(PrintStream out, boolean jsonl, TraceSink extra, List<View> views) {
        this.out = out;
        this.jsonl = jsonl;
        this.views = views;
        this.trace = (jsonl ? (TraceSink) new JsonlTracePrinter(out) : new TextTracePrinter(out)).andThen(extra);
    }

    @Override
    public TraceSink trace() {
        return trace;
    }

    @Override
    public void views(long timeNanos, String moment, List<StackSnapshot> snapshots) {
        if (jsonl) {
            for (StackSnapshot s : snapshots) {
                StringBuilder b = new StringBuilder();
                Json.Obj o = new Json.Obj(b);
                o.rawNumber("t", TraceTime.seconds(timeNanos));
                o.string("type", "view");
                o.string("host", "jtcp");
                o.string("moment", moment);
                for (View v : views) o.string(v.optionName(), v.render(s));
                o.end();
                out.println(b);
            }
            return;
        }
        out.println();
        out.println("---- " + TraceTime.seconds(timeNanos) + " s: " + moment);
        for (StackSnapshot s : snapshots) {
            for (View v : views) {
                out.println("[jtcp " + s.address() + "] " + v.command);
                out.print(v.render(s));
            }
        }
    }

    @Override
    public void kernelView(long timeNanos, String moment, String command, String output) {
        if (jsonl) {
            StringBuilder b = new StringBuilder();
            Json.Obj o = new Json.Obj(b);
            o.rawNumber("t", TraceTime.seconds(timeNanos));
            o.string("type", "view");
            o.string("host", "kernel");
            o.string("moment", moment);
            o.string("command", command);
            o.string("ss", output);
            o.end();
            out.println(b);
            return;
        }
        out.println("[kernel] " + command);
        out.print(output.endsWith("\n") || output.isEmpty() ? output : output + "\n");
        out.println("----");
        out.println();
    }

    @Override
    public void note(String text) {
        if (jsonl) {
            StringBuilder b = new StringBuilder();
            Json.Obj o = new Json.Obj(b);
            o.string("type", "note");
            o.string("text", text);
            o.end();
            out.println(b);
        } else {
            out.println("# " + text);
        }
    }

    @Override
    public void explain(String scenario, Explanation explanation) {
        if (jsonl) {
            StringBuilder b = new StringBuilder();
            Json.Obj o = new Json.Obj(b);
            o.string("type", "explanation");
            o.string("scenario", scenario);
            o.string("peer", "kernel");
            o.string("text", String.join("\n", explanation.lines()));
            o.end();
            out.println(b);
            return;
        }
        out.println();
        out.println("What happened (" + scenario + ", against the Linux kernel):");
        for (String line : explanation.lines()) out.println("  " + line);
    }
}
