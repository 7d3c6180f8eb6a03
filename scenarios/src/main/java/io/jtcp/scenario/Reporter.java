package io.jtcp.scenario;

import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TraceSink;
import java.util.List;

/** Where a scenario's output goes: its trace, the views at chosen moments, and its explanation. */
public interface Reporter {
    TraceSink trace();

    /** Both hosts' views at one moment, with a few words on why this moment matters. */
    void views(long timeNanos, String moment, List<StackSnapshot> snapshots);

    void explain(String scenario, Explanation explanation);

    /** A reporter that passes the trace on and ignores views and explanations. */
    static Reporter traceOnly(TraceSink sink) {
        return new Reporter() {
            @Override public TraceSink trace() { return sink; }

            @Override public void views(long timeNanos, String moment, List<StackSnapshot> snapshots) { }

            @Override public void explain(String scenario, Explanation explanation) { }
        };
    }
}
