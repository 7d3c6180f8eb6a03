package io.jtcp.cli;

import java.time.Duration;

/** {@code 1.5s}, {@code 200ms}, or plain seconds, as nanoseconds. */
final class Durations {
    private Durations() {}

    static long parse(String text) {
        String t = text.trim();
        try {
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))).toNanos();
            if (t.endsWith("s")) t = t.substring(0, t.length() - 1);
            return Math.round(Double.parseDouble(t) * 1e9);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (like 1.5s or 200ms).");
        }
    }
}
