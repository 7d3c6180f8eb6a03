package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import java.util.Set;

/**
 * How to run a scenario.
 *
 * @param ablations mechanisms switched off to show why they exist, e.g. {@code time-wait}
 * @param viewTimes virtual times (ns) at which to show the views, besides the scenario's own moments
 * @param viewEvery show the views every this many ns of virtual time; 0 for never
 */
public record ScenarioOptions(long seed, Sysctls sysctls, Set<String> ablations, java.util.List<Long> viewTimes,
                              long viewEvery) {
    public static final String ABLATE_TIME_WAIT = "time-wait";

    public static ScenarioOptions defaults() {
        return new ScenarioOptions(1, Sysctls.linux(), Set.of(), java.util.List.of(), 0);
    }

    public boolean ablated(String mechanism) {
        return ablations.contains(mechanism);
    }
}
