package io.jtcp.wire;

import io.jtcp.config.IpSysctl;
import io.jtcp.config.IpSysctls;

/**
 * How many options and bytes a hop-by-hop or destination options header may carry before
 * the packet is dropped: Linux's {@code net.ipv6.max_hbh_opts_number}, {@code max_dst_opts_number},
 * {@code max_hbh_length} and {@code max_dst_opts_length}. A negative option count also
 * drops every unknown option silently, with no parameter problem (ip6_parse_tlv).
 * Built once when the sysctls change, so decoding reads four ints and allocates nothing.
 */
public record Ip6OptionLimits(int maxHopByHopOptions, int maxHopByHopLength,
                              int maxDestinationOptions, int maxDestinationLength) {
    /** Linux's defaults: 8 options (IP6_DEFAULT_MAX_HBH_OPTS_CNT, IP6_DEFAULT_MAX_DST_OPTS_CNT), any length. */
    public static final Ip6OptionLimits LINUX = of(IpSysctls.linux());

    public static Ip6OptionLimits of(IpSysctls s) {
        return new Ip6OptionLimits(s.get(IpSysctl.MAX_HBH_OPTS_NUMBER), s.get(IpSysctl.MAX_HBH_LENGTH),
                s.get(IpSysctl.MAX_DST_OPTS_NUMBER), s.get(IpSysctl.MAX_DST_OPTS_LENGTH));
    }
}
