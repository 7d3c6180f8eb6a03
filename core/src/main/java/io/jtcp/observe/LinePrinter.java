package io.jtcp.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/** A trace sink that writes one line per event to an {@link Appendable}; subclasses say what the line is. */
public abstract class LinePrinter implements TraceSink {
    private final Appendable out;

    protected LinePrinter(Appendable out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public final void accept(TraceEvent event) {
        try {
            out.append(line(event)).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The line {@link #accept} prints for {@code event}, without the newline. */
    public abstract String line(TraceEvent event);
}
