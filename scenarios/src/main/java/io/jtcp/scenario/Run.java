package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import java.util.List;

/** One run of a scenario: its options, its world, and where its output goes. */
public final class Run {
    public final ScenarioOptions options;
    private final Reporter reporter;
    private World world;

    public Run(ScenarioOptions options, Reporter reporter) {
        this.options = options;
        this.reporter = reporter;
    }

    /** The world, both hosts with the run's sysctls. */
    public World world() {
        return world != null ? world : world(options.sysctls(), options.sysctls());
    }

    /** Builds the world with settings of the scenario's choosing; only before {@link #world()} is first used. */
    public World world(Sysctls client, Sysctls server) {
        if (world != null) throw new IllegalStateException("the world is already built");
        world = new World(options.seed(), client, server, reporter.trace());
        for (long t : options.viewTimes()) world.net.at(t, () -> show("--ss-at"));
        if (options.viewEvery() > 0) scheduleEvery(options.viewEvery());
        return world;
    }

    private void scheduleEvery(long every) {
        world.net.at(world.net.now() + every, () -> {
            show("--ss-every");
            if (world.open() > 0) scheduleEvery(every);
        });
    }

    /** Shows both hosts' views now, saying why this moment matters. */
    public void show(String moment) {
        long now = world().net.now();
        reporter.views(now, moment, List.of(world.client.snapshot(now), world.server.snapshot(now)));
    }

    /** Shows the views at a later virtual time. */
    public void showAt(long time, String moment) {
        world().net.at(time, () -> show(moment));
    }

    /** A user-visible note in the trace, e.g. a call an application made. */
    public Reporter reporter() {
        return reporter;
    }
}
