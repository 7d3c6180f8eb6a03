package io.jtcp.observe;

import io.jtcp.observe.TraceEvent.SegmentEvent;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Ready-made tests for {@link TraceSink#filter}: predicates on trace events, composed with
 * {@link Predicate#and}, {@link Predicate#or} and {@link Predicate#negate}. For example,
 * the segments a host sends to or from port 80, printed as text:
 *
 * <pre>{@code
 * stack.setTrace(new TextTracePrinter(System.out).filter(TraceFilters.outgoing().and(TraceFilters.port(80))));
 * }</pre>
 */
public final class TraceFilters {
    private TraceFilters() {}

    /** Segments the tracing host sent (tcpdump's {@code -Q out}); no other kind of event. */
    public static Predicate<TraceEvent> outgoing() {
        return e -> e instanceof SegmentEvent s && SegmentEvent.OUT.equals(s.dir());
    }

    /** Segments the tracing host received (tcpdump's {@code -Q in}); no other kind of event. */
    public static Predicate<TraceEvent> incoming() {
        return e -> e instanceof SegmentEvent s && SegmentEvent.IN.equals(s.dir());
    }

    /** Segments in either direction, without the state, drop and call events. */
    public static Predicate<TraceEvent> segments() {
        return e -> e instanceof SegmentEvent;
    }

    /** Events whose local or remote endpoint has {@code port} (tcpdump's {@code port N}). */
    public static Predicate<TraceEvent> port(int port) {
        String suffix = ":" + port;
        return e -> endsWith(e.local(), suffix) || endsWith(e.remote(), suffix);
    }

    /** Events on the host named {@code host} (a stack's name, or {@code link} for the simulated network). */
    public static Predicate<TraceEvent> host(String host) {
        Objects.requireNonNull(host, "host");
        return e -> host.equals(e.host());
    }

    private static boolean endsWith(String endpoint, String suffix) {
        return endpoint != null && endpoint.endsWith(suffix);
    }
}
