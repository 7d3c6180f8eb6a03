package io.jtcp.cli;

import io.jtcp.config.Sysctls;
import java.util.Objects;

/**
 * What {@code jtcp demo} was asked to do, parsed and checked.
 *
 * @param serverClosesFirst the server, not the client, calls close first (so it ends in TIME_WAIT)
 * @param seed              seed of the simulator's random choices (ISNs, ports, loss)
 * @param loss              probability in [0, 1] that the simulated link loses a segment
 * @param profile           the sysctl profile's name, {@code linux} or {@code rfc}
 * @param sysctls           that profile's settings
 * @param jsonl             print the trace as JSON Lines instead of text
 * @param pcap              write the segments to this pcap file, or null
 * @param svg               write a ladder diagram to this SVG file, or null
 */
public record DemoOptions(boolean serverClosesFirst, long seed, double loss, String profile, Sysctls sysctls, boolean jsonl,
                          java.nio.file.Path pcap, java.nio.file.Path svg) {
    public DemoOptions {
        if (!(loss >= 0 && loss <= 1)) throw new IllegalArgumentException("loss must be in [0, 1], got " + loss);
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(sysctls, "sysctls");
    }
}
