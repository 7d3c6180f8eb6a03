package io.jtcp.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A trace sink that writes one line per event to an {@link Appendable}; subclasses say what the line is.
 *
 * <p>Safe to share between stacks whose loops run on different threads, and safe for several
 * printers to share one output: each event's line is made and written, newline included,
 * while holding the output's monitor, so lines never interleave and a stateful format
 * (tcpdump's relative sequence numbers) sees the events one at a time. Other writers to the
 * same output keep lines whole only if they lock it too (a {@code PrintStream}'s own writes do).
 */
public abstract class LinePrinter implements TraceSink {
    private final Appendable out;

    protected LinePrinter(Appendable out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public final void accept(TraceEvent event) {
        synchronized (out) {
            try {
                out.append(line(event) + '\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The line {@link #accept} prints for {@code event}, without the newline. */
    public abstract String line(TraceEvent event);
}
