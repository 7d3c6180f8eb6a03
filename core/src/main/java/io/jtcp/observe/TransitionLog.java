package io.jtcp.observe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every connection's state changes, each with its cause and the RFC 9293 section of
 * the rule, kept per connection: {@code TIME_WAIT: retransmitted FIN re-ACKed, 2MSL
 * timer restarted (3.10.7.4)}. A trace sink, so it can be attached to any run.
 */
public final class TransitionLog implements TraceSink {
    /** One step: when, from which state to which, and why. */
    public record Step(long timeNanos, String from, String to, String cause) {
        /** {@code FROM -> TO: cause}, or {@code STATE: cause} when the step restarts a state's timer. */
        @Override
        public String toString() {
            return (from.equals(to) ? to : from + " -> " + to) + ": " + cause;
        }
    }

    private final Map<String, List<Step>> byConnection = new LinkedHashMap<>();

    @Override
    public void accept(TraceEvent event) {
        if (event instanceof TraceEvent.StateEvent s) {
            byConnection.computeIfAbsent(key(s.host(), s.local(), s.remote()), k -> new ArrayList<>())
                    .add(new Step(s.timeNanos(), s.from().name(), s.to().name(), s.cause()));
        }
    }

    /** The steps of one connection as seen from {@code host}, oldest first; empty if none. */
    public List<Step> of(String host, String local, String remote) {
        return List.copyOf(byConnection.getOrDefault(key(host, local, remote), List.of()));
    }

    /** Every connection seen, as {@code host local > remote}, in order of first appearance. */
    public List<String> connections() {
        return List.copyOf(byConnection.keySet());
    }

    private static String key(String host, String local, String remote) {
        return host + " " + local + " > " + remote;
    }
}
