package io.jtcp.scenario.soak;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of a virtual-time soak: sizes, virtual and wall durations, failures, and
 * what the stacks still hold (which must be nothing).
 */
public record SoakReport(String name, int connections, long bytes, long virtualNanos, long wallNanos, boolean drained,
                         long failures, List<String> firstFailures, Leftovers client, Leftovers server,
                         long timeWaitReused, long connectRetries, boolean tsWrapped, long corruptDrops, long pawsDrops) {
    /** Everything arrived, everything ended, nothing is left. */
    public boolean passed() {
        return drained && failures == 0 && client.none() && server.none();
    }

    public String summary() {
        return String.format(Locale.ROOT,
                "%s: %s — %d connections, %.1f MiB, %.2f virtual days in %.1f s wall; failures %d; TIME_WAIT reused %d, "
                        + "connect retries %d, TSval wrapped %s, corrupt drops %d, PAWS drops %d; left: client %s, server %s%s",
                name, passed() ? "PASS" : "FAIL", connections, bytes / 1048576.0, virtualNanos / 86_400e9, wallNanos / 1e9,
                failures, timeWaitReused, connectRetries, tsWrapped, corruptDrops, pawsDrops, client, server,
                firstFailures.isEmpty() ? "" : "\n  " + String.join("\n  ", firstFailures));
    }
}
