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
}
