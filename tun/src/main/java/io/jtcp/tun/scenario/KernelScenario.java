package io.jtcp.tun.scenario;

import io.jtcp.scenario.Explanation;
import java.util.List;

/**
 * One of the seeds' stories played against the Linux kernel, in real time: jtcp on a TUN
 * device, the kernel's JDK sockets in a private network namespace. jtcp plays the side the
 * story is about (or both sides, one act each); the kernel's side is shown by what
 * {@code ss -tan -o} says in the namespace at the telling moments.
 */
public interface KernelScenario {
    /** The command-line name, the simulator scenario's where the story is the same. */
    String name();

    /** One line for {@code scenario --list --peer kernel}. */
    String title();

    /**
     * jtcp's sysctls this story sets before the user's {@code --sysctl}s, as
     * {@code NAME=VALUE}: real time runs at one second a second, so TIME_WAIT is shortened.
     */
    default List<String> defaultSysctls() {
        return List.of("msl=500ms");
    }

    /** Plays the story; the explanation's lines refer to what the trace and the views just showed. */
    Explanation run(KernelRun run) throws Exception;
}
