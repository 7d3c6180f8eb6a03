package io.jtcp.config;

import java.time.Duration;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tunable of a jtcp stack, named after the Linux sysctl it mirrors. Immutable;
 * {@link #set(String, String)} returns a changed copy. Two profiles: {@link #linux()}
 * (Linux's defaults, TIME_WAIT 60 s) and {@link #rfc()} (RFC 9293's MSL of 2 minutes,
 * TIME_WAIT 4 minutes, RFC 1337 protection on).
 *
 * <p>Names without a Linux sysctl of their own ({@code msl}, {@code rto_*},
 * {@code delayed_ack}, {@code mtu}) describe constants Linux compiles in.
 * {@code tcp_isn_mode} is jtcp's alone: a teaching switch that turns off RFC 6528's
 * initial sequence numbers (see {@link IsnMode}). {@code tcp_tw_recycle} is Linux's up to
 * 4.11 (removed in 4.12), kept off by default to show why it went (docs/scenarios.md, tw-recycle-nat).
 */
public record Sysctls(
        Duration msl,
        Duration tcpFinTimeout,
        int tcpTwReuse,
        int tcpMaxTwBuckets,
        boolean tcpRfc1337,
        int tcpSyncookies,
        int tcpMaxSynBacklog,
        int somaxconn,
        boolean tcpAbortOnOverflow,
        Duration tcpKeepaliveTime,
        Duration tcpKeepaliveIntvl,
        int tcpKeepaliveProbes,
        int ipLocalPortRangeLow,
        int ipLocalPortRangeHigh,
        boolean tcpTimestamps,
        boolean tcpSack,
        boolean tcpWindowScaling,
        int tcpSynRetries,
        int tcpSynLinearTimeouts,
        int tcpSynackRetries,
        int tcpRetries2,
        int tcpOrphanRetries,
        Duration rtoInitial,
        Duration rtoMin,
        Duration rtoMax,
        Duration delayedAck,
        int mtu,
        BufferSizes tcpRmem,
        BufferSizes tcpWmem,
        int rmemMax,
        int wmemMax,
        boolean tcpModerateRcvbuf,
        int tcpAdvWinScale,
        int tcpAppWin,
        IsnMode tcpIsnMode,
        boolean tcpTwRecycle,
        int tcpFastopen,
        FastOpenKeys tcpFastopenKey,
        CongestionAlgorithm tcpCongestionControl,
        IpSysctls ip,
        TcpMem tcpMem) {

    /**
     * How a host picks a connection's initial sequence number.
     * {@code RFC6528} (always, outside a lesson): a 4-microsecond clock plus a keyed hash of the 4-tuple.
     * {@code FIXED}: the keyed hash alone, so every incarnation of a 4-tuple starts at the same number,
     * as a naive stack might; it exists only to show what the clock in RFC 6528 defends against
     * (the old-duplicate scenario).
     */
    public enum IsnMode { RFC6528, FIXED }

    public Sysctls {
        requirePositive("msl", msl);
        requirePositive("tcp_fin_timeout", tcpFinTimeout);
        requireRange("tcp_tw_reuse", tcpTwReuse, 0, 2);
        requireRange("tcp_max_tw_buckets", tcpMaxTwBuckets, 0, Integer.MAX_VALUE);
        requireRange("tcp_syncookies", tcpSyncookies, 0, 2);
        requireRange("tcp_max_syn_backlog", tcpMaxSynBacklog, 1, Integer.MAX_VALUE);
        requireRange("somaxconn", somaxconn, 1, 65535);
        requirePositive("tcp_keepalive_time", tcpKeepaliveTime);
        requirePositive("tcp_keepalive_intvl", tcpKeepaliveIntvl);
        requireRange("tcp_keepalive_probes", tcpKeepaliveProbes, 1, 127);
        requireRange("ip_local_port_range", ipLocalPortRangeLow, 1, 65535);
        requireRange("ip_local_port_range", ipLocalPortRangeHigh, ipLocalPortRangeLow, 65535);
        requireRange("tcp_syn_retries", tcpSynRetries, 1, 127);
        requireRange("tcp_syn_linear_timeouts", tcpSynLinearTimeouts, 0, 127);
        requireRange("tcp_synack_retries", tcpSynackRetries, 1, 255);
        requireRange("tcp_retries2", tcpRetries2, 1, 255);
        requireRange("tcp_orphan_retries", tcpOrphanRetries, 0, 255);
        requirePositive("rto_initial", rtoInitial);
        requirePositive("rto_min", rtoMin);
        requirePositive("rto_max", rtoMax);
        if (rtoMin.compareTo(rtoMax) > 0) throw new IllegalArgumentException("rto_min exceeds rto_max");
        requirePositive("delayed_ack", delayedAck);
        requireRange("mtu", mtu, 68, 65535);
        if (tcpRmem == null || tcpWmem == null) throw new IllegalArgumentException("tcp_rmem and tcp_wmem are required");
        requireRange("rmem_max", rmemMax, 256, Integer.MAX_VALUE);
        requireRange("wmem_max", wmemMax, 256, Integer.MAX_VALUE);
        requireRange("tcp_adv_win_scale", tcpAdvWinScale, -31, 31);
        requireRange("tcp_app_win", tcpAppWin, 0, 31);
        if (tcpIsnMode == null) throw new IllegalArgumentException("tcp_isn_mode must be rfc6528 or fixed");
        if (tcpCongestionControl == null) throw new IllegalArgumentException("tcp_congestion_control is required");
        if (ip == null) throw new IllegalArgumentException("the IP layer's sysctls are required");
        if (tcpMem == null) throw new IllegalArgumentException("tcp_mem is required");
    }

    /** Linux's defaults: TIME_WAIT is a fixed 60 s (TCP_TIMEWAIT_LEN), so the MSL is taken as 30 s. */
    public static Sysctls linux() {
        return new Sysctls(
                Duration.ofSeconds(30), Duration.ofSeconds(60), 2, 262_144, false, 1, 1024, 4096, false,
                Duration.ofSeconds(7200), Duration.ofSeconds(75), 9, 32768, 60999,
                true, true, true, 6, 4, 5, 15, 0,
                Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(120),
                Duration.ofMillis(40), 1500,
                new BufferSizes(4096, 131_072, 33_554_432), new BufferSizes(4096, 16_384, 4_194_304),
                4_194_304, 4_194_304, true, 1, 31, IsnMode.RFC6528, false, 1, null,
                CongestionAlgorithm.CUBIC, IpSysctls.linux(), TcpMem.ofThisJvm());
    }

    /** RFC 9293's numbers: MSL 2 minutes (TIME_WAIT 4 minutes), and RFC 1337's TIME_WAIT assassination fix. */
    public static Sysctls rfc() {
        return linux().set("msl", "120").set("tcp_rfc1337", "1");
    }

    public static Sysctls profile(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "linux" -> linux();
            case "rfc" -> rfc();
            default -> throw new IllegalArgumentException("unknown profile '" + name + "' (linux, rfc)");
        };
    }

    /**
     * TIME_WAIT's length: twice the maximum segment lifetime (RFC 9293 §3.4.2).
     * {@code msl.plus(msl)}, not {@code multipliedBy(2)}: the JDK's {@code Duration.multipliedBy}
     * goes through BigDecimal, and the first use of BigDecimal in a JVM runs its static
     * initializer (tens of ms on a busy machine). That happened on the stack's thread in
     * the middle of the first FIN that took a connection to TIME_WAIT, before the final
     * ACK was written, late enough for the peer's loss probe to resend its FIN.
     */
    public Duration timeWait() {
        return msl.plus(msl);
    }

    /** The MSS this host offers over IPv4: its MTU less the 20-byte IPv4 and 20-byte TCP headers. */
    public int mss() {
        return mss(false);
    }

    /** The MSS this host offers: its MTU less the TCP header and the IPv4 (20) or IPv6 (40) header. */
    public int mss(boolean v6) {
        return mtu - (v6 ? 60 : 40);
    }

    /** One of the IP layer's integer sysctls. */
    public int ip(IpSysctl s) {
        return ip.get(s);
    }

    /** How many retries an orphan gets before it is dropped: Linux reads 0 as 8. */
    public int orphanRetries() {
        return tcpOrphanRetries == 0 ? 8 : tcpOrphanRetries;
    }

    /**
     * A copy with one setting changed. Accepts Linux's full names
     * ({@code net.ipv4.tcp_tw_reuse}), the short ones ({@code tcp_tw_reuse}) and
     * dashes for underscores. Durations are in seconds unless suffixed with {@code ms}.
     */
    public Sysctls set(String name, String value) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (key.startsWith("net.")) key = key.substring("net.".length());
        if (key.startsWith("ipv4.")) key = key.substring("ipv4.".length());
        if (key.startsWith("core.")) key = key.substring("core.".length());
        Setter setter = SETTERS.get(key);
        if (setter == null) {
            IpSysctl ipSysctl = IpSysctl.named(key);
            if (ipSysctl != null) return withIp(ipSysctl, Integer.decode(value.trim()));
            throw new IllegalArgumentException("unknown sysctl '" + name + "'; known: " + String.join(", ", SETTERS.keySet())
                    + ", and the IP layer's: " + String.join(", ", java.util.Arrays.stream(IpSysctl.values()).map(IpSysctl::sysctlName).toList()));
        }
        try {
            return setter.apply(this, value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad value '" + value + "' for " + key, e);
        }
    }

    /** {@code name=value} as on the command line ({@code --sysctl net.ipv4.tcp_tw_reuse=1}). */
    public Sysctls set(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("expected NAME=VALUE, got '" + assignment + "'");
        return set(assignment.substring(0, eq), assignment.substring(eq + 1));
    }

    /** Every setting by its sysctl name, in declaration order, for display. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (var e : GETTERS.entrySet()) m.put(e.getKey(), e.getValue().apply(this));
        for (IpSysctl s : IpSysctl.values()) m.put(s.sysctlName(), Integer.toString(ip.get(s)));
        return m;
    }

    /** A copy with one of the IP layer's sysctls changed. */
    public Sysctls withIp(IpSysctl s, int value) {
        IpSysctls next = ip.with(s, value);
        return with(b -> b.ip = next);
    }

    private interface Setter extends BiFunction<Sysctls, String, Sysctls> {}

    private static final Map<String, Setter> SETTERS = new LinkedHashMap<>();
    private static final Map<String, java.util.function.Function<Sysctls, String>> GETTERS = new LinkedHashMap<>();

    private static void duration(String name, java.util.function.Function<Sysctls, Duration> get, BiFunction<Sysctls, Duration, Sysctls> with) {
        SETTERS.put(name, (s, v) -> with.apply(s, parseDuration(v)));
        GETTERS.put(name, s -> formatDuration(get.apply(s)));
    }

    private static void integer(String name, java.util.function.ToIntFunction<Sysctls> get, BiFunction<Sysctls, Integer, Sysctls> with) {
        SETTERS.put(name, (s, v) -> with.apply(s, Integer.parseInt(v)));
        GETTERS.put(name, s -> Integer.toString(get.applyAsInt(s)));
    }

    private static void flag(String name, java.util.function.Predicate<Sysctls> get, BiFunction<Sysctls, Boolean, Sysctls> with) {
        SETTERS.put(name, (s, v) -> with.apply(s, parseFlag(v)));
        GETTERS.put(name, s -> get.test(s) ? "1" : "0");
    }

    private static void buffers(String name, java.util.function.Function<Sysctls, BufferSizes> get,
                                BiFunction<Sysctls, BufferSizes, Sysctls> with) {
        SETTERS.put(name, (s, v) -> with.apply(s, BufferSizes.parse(v)));
        GETTERS.put(name, s -> get.apply(s).toString());
    }

    static {
        duration("msl", Sysctls::msl, (s, v) -> s.with(b -> b.msl = v));
        duration("tcp_fin_timeout", Sysctls::tcpFinTimeout, (s, v) -> s.with(b -> b.tcpFinTimeout = v));
        integer("tcp_tw_reuse", Sysctls::tcpTwReuse, (s, v) -> s.with(b -> b.tcpTwReuse = v));
        integer("tcp_max_tw_buckets", Sysctls::tcpMaxTwBuckets, (s, v) -> s.with(b -> b.tcpMaxTwBuckets = v));
        flag("tcp_rfc1337", Sysctls::tcpRfc1337, (s, v) -> s.with(b -> b.tcpRfc1337 = v));
        integer("tcp_syncookies", Sysctls::tcpSyncookies, (s, v) -> s.with(b -> b.tcpSyncookies = v));
        integer("tcp_max_syn_backlog", Sysctls::tcpMaxSynBacklog, (s, v) -> s.with(b -> b.tcpMaxSynBacklog = v));
        integer("somaxconn", Sysctls::somaxconn, (s, v) -> s.with(b -> b.somaxconn = v));
        flag("tcp_abort_on_overflow", Sysctls::tcpAbortOnOverflow, (s, v) -> s.with(b -> b.tcpAbortOnOverflow = v));
        duration("tcp_keepalive_time", Sysctls::tcpKeepaliveTime, (s, v) -> s.with(b -> b.tcpKeepaliveTime = v));
        duration("tcp_keepalive_intvl", Sysctls::tcpKeepaliveIntvl, (s, v) -> s.with(b -> b.tcpKeepaliveIntvl = v));
        integer("tcp_keepalive_probes", Sysctls::tcpKeepaliveProbes, (s, v) -> s.with(b -> b.tcpKeepaliveProbes = v));
        SETTERS.put("ip_local_port_range", (s, v) -> {
            String[] lh = v.split("[\\s,-]+");
            if (lh.length != 2) throw new IllegalArgumentException("ip_local_port_range needs 'LOW HIGH', got '" + v + "'");
            int low = Integer.parseInt(lh[0]), high = Integer.parseInt(lh[1]);
            return s.with(b -> { b.ipLocalPortRangeLow = low; b.ipLocalPortRangeHigh = high; });
        });
        GETTERS.put("ip_local_port_range", s -> s.ipLocalPortRangeLow + " " + s.ipLocalPortRangeHigh);
        flag("tcp_timestamps", Sysctls::tcpTimestamps, (s, v) -> s.with(b -> b.tcpTimestamps = v));
        flag("tcp_sack", Sysctls::tcpSack, (s, v) -> s.with(b -> b.tcpSack = v));
        flag("tcp_window_scaling", Sysctls::tcpWindowScaling, (s, v) -> s.with(b -> b.tcpWindowScaling = v));
        integer("tcp_syn_retries", Sysctls::tcpSynRetries, (s, v) -> s.with(b -> b.tcpSynRetries = v));
        integer("tcp_syn_linear_timeouts", Sysctls::tcpSynLinearTimeouts, (s, v) -> s.with(b -> b.tcpSynLinearTimeouts = v));
        integer("tcp_synack_retries", Sysctls::tcpSynackRetries, (s, v) -> s.with(b -> b.tcpSynackRetries = v));
        integer("tcp_retries2", Sysctls::tcpRetries2, (s, v) -> s.with(b -> b.tcpRetries2 = v));
        integer("tcp_orphan_retries", Sysctls::tcpOrphanRetries, (s, v) -> s.with(b -> b.tcpOrphanRetries = v));
        duration("rto_initial", Sysctls::rtoInitial, (s, v) -> s.with(b -> b.rtoInitial = v));
        duration("rto_min", Sysctls::rtoMin, (s, v) -> s.with(b -> b.rtoMin = v));
        duration("rto_max", Sysctls::rtoMax, (s, v) -> s.with(b -> b.rtoMax = v));
        duration("delayed_ack", Sysctls::delayedAck, (s, v) -> s.with(b -> b.delayedAck = v));
        integer("mtu", Sysctls::mtu, (s, v) -> s.with(b -> b.mtu = v));
        buffers("tcp_rmem", Sysctls::tcpRmem, (s, v) -> s.with(b -> b.tcpRmem = v));
        buffers("tcp_wmem", Sysctls::tcpWmem, (s, v) -> s.with(b -> b.tcpWmem = v));
        SETTERS.put("tcp_mem", (s, v) -> s.with(b -> b.tcpMem = TcpMem.parse(v)));
        GETTERS.put("tcp_mem", s -> s.tcpMem.toString());
        integer("rmem_max", Sysctls::rmemMax, (s, v) -> s.with(b -> b.rmemMax = v));
        integer("wmem_max", Sysctls::wmemMax, (s, v) -> s.with(b -> b.wmemMax = v));
        flag("tcp_moderate_rcvbuf", Sysctls::tcpModerateRcvbuf, (s, v) -> s.with(b -> b.tcpModerateRcvbuf = v));
        integer("tcp_adv_win_scale", Sysctls::tcpAdvWinScale, (s, v) -> s.with(b -> b.tcpAdvWinScale = v));
        integer("tcp_app_win", Sysctls::tcpAppWin, (s, v) -> s.with(b -> b.tcpAppWin = v));
        SETTERS.put("tcp_isn_mode", (s, v) -> {
            IsnMode mode = switch (v.toLowerCase(Locale.ROOT)) {
                case "rfc6528" -> IsnMode.RFC6528;
                case "fixed" -> IsnMode.FIXED;
                default -> throw new IllegalArgumentException("tcp_isn_mode is rfc6528 or fixed, got '" + v + "'");
            };
            return s.with(b -> b.tcpIsnMode = mode);
        });
        GETTERS.put("tcp_isn_mode", s -> s.tcpIsnMode.name().toLowerCase(Locale.ROOT));
        flag("tcp_tw_recycle", Sysctls::tcpTwRecycle, (s, v) -> s.with(b -> b.tcpTwRecycle = v));
        // A bit mask, written in hex as often as not (0x70403).
        SETTERS.put("tcp_fastopen", (s, v) -> s.with(b -> b.tcpFastopen = Integer.decode(v)));
        GETTERS.put("tcp_fastopen", s -> Integer.toString(s.tcpFastopen));
        // Unset (null): the stack makes a random key at first use, as tcp_fastopen_init_key_once does.
        SETTERS.put("tcp_fastopen_key", (s, v) -> s.with(b -> b.tcpFastopenKey = FastOpenKeys.parse(v)));
        GETTERS.put("tcp_fastopen_key", s -> s.tcpFastopenKey == null ? "00000000-00000000-00000000-00000000" : s.tcpFastopenKey.toString());
        SETTERS.put("tcp_congestion_control", (s, v) -> s.with(b -> b.tcpCongestionControl = CongestionAlgorithm.named(v)));
        GETTERS.put("tcp_congestion_control", s -> s.tcpCongestionControl.linuxName());
    }

    /** A mutable twin used only to build changed copies without a 27-argument constructor call per setting. */
    private static final class Builder {
        Duration msl, tcpFinTimeout, tcpKeepaliveTime, tcpKeepaliveIntvl, rtoInitial, rtoMin, rtoMax, delayedAck;
        int tcpTwReuse, tcpMaxTwBuckets, tcpSyncookies, tcpMaxSynBacklog, somaxconn, tcpKeepaliveProbes,
                ipLocalPortRangeLow, ipLocalPortRangeHigh, tcpSynRetries, tcpSynLinearTimeouts, tcpSynackRetries, tcpRetries2,
                tcpOrphanRetries, mtu, rmemMax, wmemMax, tcpAdvWinScale, tcpAppWin, tcpFastopen;
        FastOpenKeys tcpFastopenKey;
        CongestionAlgorithm tcpCongestionControl;
        IpSysctls ip;
        TcpMem tcpMem;
        BufferSizes tcpRmem, tcpWmem;
        boolean tcpRfc1337, tcpAbortOnOverflow, tcpTimestamps, tcpSack, tcpWindowScaling, tcpModerateRcvbuf, tcpTwRecycle;
        IsnMode tcpIsnMode;

        Builder(Sysctls s) {
            msl = s.msl; tcpFinTimeout = s.tcpFinTimeout; tcpTwReuse = s.tcpTwReuse; tcpMaxTwBuckets = s.tcpMaxTwBuckets;
            tcpRfc1337 = s.tcpRfc1337; tcpSyncookies = s.tcpSyncookies; tcpMaxSynBacklog = s.tcpMaxSynBacklog;
            somaxconn = s.somaxconn; tcpAbortOnOverflow = s.tcpAbortOnOverflow; tcpKeepaliveTime = s.tcpKeepaliveTime; tcpKeepaliveIntvl = s.tcpKeepaliveIntvl;
            tcpKeepaliveProbes = s.tcpKeepaliveProbes; ipLocalPortRangeLow = s.ipLocalPortRangeLow;
            ipLocalPortRangeHigh = s.ipLocalPortRangeHigh; tcpTimestamps = s.tcpTimestamps; tcpSack = s.tcpSack;
            tcpWindowScaling = s.tcpWindowScaling; tcpSynRetries = s.tcpSynRetries;
            tcpSynLinearTimeouts = s.tcpSynLinearTimeouts; tcpSynackRetries = s.tcpSynackRetries;
            tcpRetries2 = s.tcpRetries2; tcpOrphanRetries = s.tcpOrphanRetries; rtoInitial = s.rtoInitial;
            rtoMin = s.rtoMin; rtoMax = s.rtoMax; delayedAck = s.delayedAck; mtu = s.mtu; tcpRmem = s.tcpRmem;
            tcpWmem = s.tcpWmem; rmemMax = s.rmemMax; wmemMax = s.wmemMax; tcpModerateRcvbuf = s.tcpModerateRcvbuf;
            tcpAdvWinScale = s.tcpAdvWinScale; tcpAppWin = s.tcpAppWin; tcpIsnMode = s.tcpIsnMode; tcpTwRecycle = s.tcpTwRecycle;
            tcpFastopen = s.tcpFastopen; tcpFastopenKey = s.tcpFastopenKey;
            tcpCongestionControl = s.tcpCongestionControl; ip = s.ip; tcpMem = s.tcpMem;
        }

        Sysctls build() {
            return new Sysctls(msl, tcpFinTimeout, tcpTwReuse, tcpMaxTwBuckets, tcpRfc1337, tcpSyncookies,
                    tcpMaxSynBacklog, somaxconn, tcpAbortOnOverflow, tcpKeepaliveTime, tcpKeepaliveIntvl, tcpKeepaliveProbes,
                    ipLocalPortRangeLow, ipLocalPortRangeHigh, tcpTimestamps, tcpSack, tcpWindowScaling,
                    tcpSynRetries, tcpSynLinearTimeouts, tcpSynackRetries, tcpRetries2, tcpOrphanRetries, rtoInitial, rtoMin, rtoMax,
                    delayedAck, mtu, tcpRmem, tcpWmem, rmemMax, wmemMax, tcpModerateRcvbuf, tcpAdvWinScale, tcpAppWin,
                    tcpIsnMode, tcpTwRecycle, tcpFastopen, tcpFastopenKey, tcpCongestionControl, ip, tcpMem);
        }
    }

    private Sysctls with(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    private static Duration parseDuration(String v) {
        if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
        if (v.endsWith("s")) v = v.substring(0, v.length() - 1).trim();
        if (v.contains(".")) return Duration.ofNanos(Math.round(Double.parseDouble(v) * 1e9));
        return Duration.ofSeconds(Long.parseLong(v));
    }

    private static String formatDuration(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : d.toMillis() + "ms";
    }

    private static boolean parseFlag(String v) {
        return switch (v) {
            case "1", "true", "on" -> true;
            case "0", "false", "off" -> false;
            default -> throw new IllegalArgumentException("expected 0 or 1, got '" + v + "'");
        };
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
    }

    private static void requireRange(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) throw new IllegalArgumentException(name + " must be in " + lo + ".." + hi + ", got " + v);
    }
}
