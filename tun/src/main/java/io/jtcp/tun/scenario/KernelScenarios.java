package io.jtcp.tun.scenario;

import java.util.List;
import java.util.Optional;

/** Every kernel-peer scenario, in the order {@code scenario --list --peer kernel} shows them. */
public final class KernelScenarios {
    private KernelScenarios() {}

    public static List<KernelScenario> all() {
        return List.of(
                new HandshakeStory(),
                new CloseStory(false),
                new CloseStory(true),
                new HalfCloseStory(),
                new LostFinalAckStory(),
                new RstAbortStory(),
                new AddressInUseStory(),
                new KeepaliveStory(),
                new SimultaneousCloseStory());
    }

    public static Optional<KernelScenario> named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
