package io.jtcp.observe;

import io.jtcp.wire.DropReason;
import java.util.Map;

/** A stack's counters the way {@code nstat -az} lists them, then its drops by reason. */
public final class NstatView {
    private NstatView() {}

    public static String format(StackSnapshot s) {
        StringBuilder b = new StringBuilder("#kernel\n");
        for (Map.Entry<String, Long> e : s.counters().entrySet()) {
            b.append(String.format("%-32s %d%n", e.getKey(), e.getValue()));
        }
        b.append("#drops by reason\n");
        for (Map.Entry<DropReason, Long> e : s.drops().entrySet()) {
            if (e.getValue() > 0) b.append(String.format("%-32s %d%n", e.getKey().name(), e.getValue()));
        }
        return b.toString();
    }
}
