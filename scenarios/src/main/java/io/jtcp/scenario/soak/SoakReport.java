package io.jtcp.scenario.soak;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of a virtual-time soak: sizes, virtual and wall durations, failures, what
 * the stacks still hold (which must be nothing), and the soak's own facts (how often
 * TIME_WAIT was reused, how many times sequence numbers wrapped, ...), in insertion order.
 */
public record SoakReport(String name, int connections, long bytes, long virtualNanos, long wallNanos, boolean drained,
                         long failures, List<String> firstFailures, Leftovers client, Leftovers server,
                         Map<String, Long> facts) {
    /** Everything arrived, everything ended, nothing is left. */
    public boolean passed() {
        return drained && failures == 0 && client.none() && server.none();
    }

    public long fact(String key) {
        return facts.getOrDefault(key, 0L);
    }

    public String summary() {
        return String.format(Locale.ROOT, "%s: %s — %d connections, %.1f MiB, %.2f virtual days (%.0f s) in %.1f s wall; "
                        + "failures %d; %s; left: client %s, server %s%s",
                name, passed() ? "PASS" : "FAIL", connections, bytes / 1048576.0, virtualNanos / 86_400e9, virtualNanos / 1e9,
                wallNanos / 1e9, failures,
                facts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
                client, server, firstFailures.isEmpty() ? "" : "\n  " + String.join("\n  ", firstFailures));
    }
}
