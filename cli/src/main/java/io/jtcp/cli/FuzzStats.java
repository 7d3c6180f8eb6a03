package io.jtcp.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a libFuzzer run (Jazzer's engine) reports, read from its status lines:
 * {@code #N DONE cov: C ft: F corp: K/...} and {@code Done N runs in S second(s)}.
 * Coverage is libFuzzer's count of covered edges of the instrumented (io.jtcp) code.
 */
record FuzzStats(long executions, long seconds, long edges, long features, long corpus) {
    private static final Pattern STATUS = Pattern.compile("^#(\\d+)\\s+\\w+\\s+cov: (\\d+) ft: (\\d+) corp: (\\d+)/");
    private static final Pattern DONE = Pattern.compile("^Done (\\d+) runs in (\\d+) second");

    static final FuzzStats NONE = new FuzzStats(0, 0, 0, 0, 0);

    /** These stats updated by one line of the run's output; lines of other kinds change nothing. */
    FuzzStats read(String line) {
        Matcher s = STATUS.matcher(line);
        if (s.find()) {
            return new FuzzStats(Long.parseLong(s.group(1)), seconds, Long.parseLong(s.group(2)),
                    Long.parseLong(s.group(3)), Long.parseLong(s.group(4)));
        }
        Matcher d = DONE.matcher(line);
        if (d.find()) return new FuzzStats(Long.parseLong(d.group(1)), Long.parseLong(d.group(2)), edges, features, corpus);
        return this;
    }

    String describe() {
        long rate = seconds > 0 ? executions / seconds : executions;
        return String.format("%,d executions in %d s (%,d/s), coverage %,d edges (%,d features), corpus %,d inputs",
                executions, seconds, rate, edges, features, corpus);
    }
}
