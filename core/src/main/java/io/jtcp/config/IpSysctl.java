package io.jtcp.config;

/**
 * The integer tunables added since {@link Sysctls}' record fields: the IP layer's and those of
 * TCP's loss recovery and congestion control, named as Linux names them under {@code net.ipv4}
 * and {@code net.ipv6} (the latter with their {@code ipv6.} prefix), with Linux's defaults and
 * the ranges Linux accepts. Their values live in {@link IpSysctls}.
 */
public enum IpSysctl {
    /** ms between ICMP errors to one destination (icmpv4_xrlim_allow's inet_peer token bucket). */
    ICMP_RATELIMIT("icmp_ratelimit", 1000, 0, Integer.MAX_VALUE),
    /** Which ICMP types icmp_ratelimit limits, one bit per type: unreachable, source quench, time exceeded, parameter problem. */
    ICMP_RATEMASK("icmp_ratemask", 0x1818, 0, Integer.MAX_VALUE),
    /** The host-wide ICMP error budget a second (icmp_global_allow), and its burst. */
    ICMP_MSGS_PER_SEC("icmp_msgs_per_sec", 1000, 0, Integer.MAX_VALUE),
    ICMP_MSGS_BURST("icmp_msgs_burst", 50, 0, Integer.MAX_VALUE),
    ICMP_ECHO_IGNORE_ALL("icmp_echo_ignore_all", 0, 0, 1),
    /** Bytes of fragments held for reassembly before new ones are refused, and the level eviction brings it back to. */
    IPFRAG_HIGH_THRESH("ipfrag_high_thresh", 4 * 1024 * 1024, 0, Integer.MAX_VALUE),
    IPFRAG_LOW_THRESH("ipfrag_low_thresh", 3 * 1024 * 1024, 0, Integer.MAX_VALUE),
    /** Seconds an incomplete IPv4 datagram is kept. */
    IPFRAG_TIME("ipfrag_time", 30, 1, Integer.MAX_VALUE),
    /** 1: ignore "fragmentation needed" and send without DF; 0 (the default): path MTU discovery. */
    IP_NO_PMTU_DISC("ip_no_pmtu_disc", 0, 0, 3),
    /** The lowest path MTU a "fragmentation needed" may set for IPv4 (IPv6's is fixed at 1280). */
    MIN_PMTU("route.min_pmtu", 552, 68, 65535),
    /** Seconds a learned path MTU lasts before the route's MTU is tried again. */
    MTU_EXPIRES("route.mtu_expires", 600, 0, Integer.MAX_VALUE),
    /** Packetization-layer PMTUD (RFC 4821): 0 off, 1 after an ICMP black hole is suspected, 2 always. */
    TCP_MTU_PROBING("tcp_mtu_probing", 0, 0, 2),
    TCP_BASE_MSS("tcp_base_mss", 1024, 48, 65535),
    IP_DEFAULT_TTL("ip_default_ttl", 64, 1, 255),
    /** 1: an IPv6 socket bound to :: takes IPv6 only (IPV6_V6ONLY's default); 0, Linux's default, dual stack. */
    BINDV6ONLY("ipv6.bindv6only", 0, 0, 1),
    ICMPV6_RATELIMIT("ipv6.icmp.ratelimit", 1000, 0, Integer.MAX_VALUE),
    ICMPV6_ECHO_IGNORE_ALL("ipv6.icmp.echo_ignore_all", 0, 0, 1),
    IP6FRAG_HIGH_THRESH("ipv6.ip6frag_high_thresh", 4 * 1024 * 1024, 0, Integer.MAX_VALUE),
    IP6FRAG_LOW_THRESH("ipv6.ip6frag_low_thresh", 3 * 1024 * 1024, 0, Integer.MAX_VALUE),
    /** Seconds an incomplete IPv6 datagram is kept: 60 on Linux, twice IPv4's. */
    IP6FRAG_TIME("ipv6.ip6frag_time", 60, 1, Integer.MAX_VALUE),
    /**
     * The most non-padding options a hop-by-hop or destination options header may carry; a negative
     * value also drops any unknown option without a parameter problem (ip6_parse_tlv).
     */
    MAX_HBH_OPTS_NUMBER("ipv6.max_hbh_opts_number", 8, -Integer.MAX_VALUE, Integer.MAX_VALUE),
    MAX_DST_OPTS_NUMBER("ipv6.max_dst_opts_number", 8, -Integer.MAX_VALUE, Integer.MAX_VALUE),
    /** The longest hop-by-hop or destination options header, in bytes (ipv6_parse_hopopts, ipv6_destopt_rcv). */
    MAX_HBH_LENGTH("ipv6.max_hbh_length", Integer.MAX_VALUE, 0, Integer.MAX_VALUE),
    MAX_DST_OPTS_LENGTH("ipv6.max_dst_opts_length", Integer.MAX_VALUE, 0, Integer.MAX_VALUE),
    IPV6_MTU_EXPIRES("ipv6.route.mtu_expires", 600, 0, Integer.MAX_VALUE),
    HOP_LIMIT("ipv6.conf.default.hop_limit", 64, 1, 255),
    /** net.core.rmem_default and wmem_default: a datagram socket's SO_RCVBUF / SO_SNDBUF until it sets one (sock_init_data). */
    /**
     * Loss detection, a bit mask: 1 RACK (RFC 8985), 2 keeps RACK's reordering window static,
     * 4 stops RACK's window from closing once tcp_reordering segments are SACKed
     * (TCP_RACK_NO_DUPTHRESH). As on Linux 6.18, RACK runs whether or not bit 1 is set.
     */
    TCP_RECOVERY("tcp_recovery", 1, 0, 7),
    /** Tail loss probes (RFC 8985 §7): on at 3 and 4 (Linux's values), off otherwise. */
    TCP_EARLY_RETRANS("tcp_early_retrans", 3, 0, 4),
    /** F-RTO (RFC 5682) after a timeout: 0 off, 1 basic, 2 the SACK-enhanced version (Linux's default). */
    TCP_FRTO("tcp_frto", 2, 0, 2),
    /** D-SACK (RFC 2883): sent for duplicate data, and taken as the signal to undo a spurious retransmission. */
    TCP_DSACK("tcp_dsack", 1, 0, 1),
    /** ECN (RFC 3168): 0 off, 1 asked for on outgoing connections and answered on incoming ones, 2 (default) answered only. */
    TCP_ECN("tcp_ecn", 2, 0, 2),
    /** Stop setting ECT when the network seems to mangle it (tcp_ecn_fallback). */
    TCP_ECN_FALLBACK("tcp_ecn_fallback", 1, 0, 1),
    /** The initial reordering degree, in segments: RFC 6675's DupThresh. */
    TCP_REORDERING("tcp_reordering", 3, 1, 1024),
    TCP_MAX_REORDERING("tcp_max_reordering", 300, 1, 1024),
    /** Restart from the initial window after an idle longer than the RTO (RFC 5681 §4.1, tcp_cwnd_restart). */
    TCP_SLOW_START_AFTER_IDLE("tcp_slow_start_after_idle", 1, 0, 1),
    /** Seconds over which the minimum RTT is tracked (RACK's and HyStart++'s min_rtt). */
    TCP_MIN_RTT_WLEN("tcp_min_rtt_wlen", 300, 0, 86_400),
    /**
     * Orphans (sockets their application closed, still finishing) beyond which a closing socket is
     * reset instead ("too many orphaned sockets", tcp_too_many_orphans): Linux's default is half
     * the established hash table, the same number as tcp_max_tw_buckets' default.
     */
    TCP_MAX_ORPHANS("tcp_max_orphans", 262_144, 0, Integer.MAX_VALUE),
    RMEM_DEFAULT("rmem_default", 212_992, 256, Integer.MAX_VALUE),
    WMEM_DEFAULT("wmem_default", 212_992, 256, Integer.MAX_VALUE);

    private final String sysctlName;
    private final int linuxDefault, min, max;

    IpSysctl(String sysctlName, int linuxDefault, int min, int max) {
        this.sysctlName = sysctlName;
        this.linuxDefault = linuxDefault;
        this.min = min;
        this.max = max;
    }

    public String sysctlName() { return sysctlName; }

    public int linuxDefault() { return linuxDefault; }

    int check(int value) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(sysctlName + " must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    static IpSysctl named(String name) {
        for (IpSysctl s : values()) if (s.sysctlName.equals(name)) return s;
        return null;
    }
}
