package io.jtcp.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The congestion-control algorithms a connection can run, by the names Linux gives them in
 * {@code tcp_congestion_control} and {@code TCP_CONGESTION}. {@code reno} is Linux's
 * name for RFC 5681's slow start and congestion avoidance, the loss response every
 * algorithm shares; {@code cubic} is RFC 9438's CUBIC, Linux's default since 2.6.19.
 */
public enum CongestionAlgorithm {
    RENO, CUBIC;

    public String linuxName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The algorithm by its Linux name; the error lists the names there are (Linux answers ENOENT). */
    public static CongestionAlgorithm named(String name) {
        for (CongestionAlgorithm a : values()) if (a.linuxName().equals(name.trim())) return a;
        throw new IllegalArgumentException("unknown congestion control '" + name + "'; available: " + available());
    }

    /** As /proc/sys/net/ipv4/tcp_available_congestion_control lists them. */
    public static String available() {
        return Arrays.stream(values()).map(CongestionAlgorithm::linuxName).collect(Collectors.joining(" "));
    }
}
