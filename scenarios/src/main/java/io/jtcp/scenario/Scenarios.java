package io.jtcp.scenario;

import java.util.List;
import java.util.Optional;

/** Every scenario, in the order {@code scenario --list} shows them. */
public final class Scenarios {
    private Scenarios() {}

    public static List<Scenario> all() {
        return List.of(
                new HandshakeScenario(),
                new CloseScenario(false),
                new CloseScenario(true),
                new SimultaneousOpenScenario(),
                new SimultaneousCloseScenario(),
                new FinAckCombinedScenario(),
                new HalfCloseScenario(),
                new LostFinalAckScenario(),
                new OldDuplicateScenario(),
                new AddressInUseScenario(),
                new PortExhaustionScenario(),
                new HalfOpenKeepaliveScenario(),
                new FinWait2TimeoutScenario(),
                new SynFloodScenario(),
                new RstAbortScenario(),
                new TwRecycleNatScenario());
    }

    public static Optional<Scenario> named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
