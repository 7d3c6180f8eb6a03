package io.jtcp.observe;

import java.util.List;
import java.util.function.Predicate;

/** Where trace events go: a printer, a recorder, a counter. Called on the stack's own thread. */
@FunctionalInterface
public interface TraceSink {

    void accept(TraceEvent event);

    /** A sink that ignores everything. */
    TraceSink NONE = event -> { };

    /** This sink, then {@code next}, for every event. */
    default TraceSink andThen(TraceSink next) {
        return event -> {
            accept(event);
            next.accept(event);
        };
    }

    /** This sink, seeing only the events {@code keep} accepts. */
    default TraceSink filter(Predicate<? super TraceEvent> keep) {
        return event -> {
            if (keep.test(event)) accept(event);
        };
    }

    /** Every event to each of {@code sinks}, in order. */
    static TraceSink all(List<? extends TraceSink> sinks) {
        List<TraceSink> copy = List.copyOf(sinks);
        return event -> {
            for (TraceSink s : copy) s.accept(event);
        };
    }
}
