package io.jtcp.packetdrill;

import io.jtcp.wire.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * packetdrill's command line, as far as it concerns a stack in virtual time. Flags that
 * only steer a kernel under test are accepted and ignored. {@code --flag=value} and
 * {@code --flag value} both work; scripts' own leading option lines go through {@link #apply}.
 */
public final class RunnerOptions {
    /** packetdrill's three address modes (config.c's finalize_*_config). */
    public static final List<String> IP_VERSIONS = List.of("ipv4", "ipv4-mapped-ipv6", "ipv6");
    public String ipVersion = "ipv4";
    /** --local_ip and --remote_ip; null takes the mode's default ({@link #localIp()}, {@link #remoteIp()}). */
    public IpAddress localIp;
    public IpAddress remoteIp;
    public int bindPort = 8080;
    public int connectPort = 8080;
    public int mtu = 1500;
    public long toleranceUsecs = 4000;
    /** packetdrill's default: a timing error may also be 12.5% of the time since the previous event. */
    public double tolerancePercent = 12.5;
    /** packetdrill's --tcp_ts_tick_usecs: when set, outbound TS val is checked against the script's. */
    public long tcpTsTickUsecs;
    public final Map<String, String> defines = new LinkedHashMap<>();
    public final List<String> initScripts = new ArrayList<>();
    public long seed = 1;

    private static final List<String> IGNORED = List.of("gateway_ip", "netmask_ip", "speed", "send_omit_free", "non_fatal",
            "dry_run", "verbose", "so_filename", "so_flags", "strict_segments", "debug", "tun_dev", "persistent_tun_dev",
            "no_tcp_ts_ecr_scaled", "tcp_ts_ecr_scaled", "local_linklocal_ip", "wire_client", "wire_server",
            "wire_server_ip", "wire_server_port", "wire_client_dev", "wire_server_dev", "mtu_check", "mss");

    public RunnerOptions copy() {
        RunnerOptions o = new RunnerOptions();
        o.ipVersion = ipVersion;
        o.localIp = localIp;
        o.remoteIp = remoteIp;
        o.bindPort = bindPort;
        o.connectPort = connectPort;
        o.mtu = mtu;
        o.toleranceUsecs = toleranceUsecs;
        o.tolerancePercent = tolerancePercent;
        o.tcpTsTickUsecs = tcpTsTickUsecs;
        o.defines.putAll(defines);
        o.initScripts.addAll(initScripts);
        o.seed = seed;
        return o;
    }

    /**
     * Reads packetdrill flags from {@code args}; returns the arguments that are not flags
     * (the scripts). Throws IllegalArgumentException for an unknown flag or a bad value.
     */
    public List<String> parse(List<String> args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-D")) {
                if (i + 1 >= args.size()) throw new IllegalArgumentException("-D needs NAME=VALUE");
                define(args.get(++i));
            } else if (a.startsWith("-D") && a.length() > 2) {
                define(a.substring(2));
            } else if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (takesValue(name) && i + 1 < args.size()) {
                    value = args.get(++i);
                }
                set(name, value);
            } else {
                rest.add(a);
            }
        }
        return rest;
    }

    /** A script's own {@code --name=value} line. */
    void apply(String optionLine) {
        parse(List.of(optionLine.split("\\s+")));
    }

    private void define(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("-D expects NAME=VALUE, got '" + assignment + "'");
        defines.put(assignment.substring(0, eq), assignment.substring(eq + 1));
    }

    private static final List<String> BOOLEAN_FLAGS = List.of("send_omit_free", "non_fatal", "dry_run", "verbose",
            "strict_segments", "debug", "no_tcp_ts_ecr_scaled", "tcp_ts_ecr_scaled", "mtu_check", "wire_client", "wire_server");

    private static boolean takesValue(String name) {
        return !BOOLEAN_FLAGS.contains(name);
    }

    private void set(String name, String value) {
        try {
            switch (name) {
                case "ip_version" -> ipVersion = ipVersion(require(name, value));
                case "local_ip" -> localIp = address(name, value);
                case "remote_ip" -> remoteIp = address(name, value);
                case "bind_port" -> bindPort = Integer.parseInt(require(name, value));
                case "connect_port" -> connectPort = Integer.parseInt(require(name, value));
                case "mtu" -> mtu = Integer.parseInt(require(name, value));
                case "tolerance_usecs" -> toleranceUsecs = Long.parseLong(require(name, value));
                case "tolerance_percent" -> tolerancePercent = Double.parseDouble(require(name, value));
                case "tcp_ts_tick_usecs" -> tcpTsTickUsecs = Long.parseLong(require(name, value));
                case "init_scripts" -> initScripts.addAll(List.of(require(name, value).split(",")));
                case "define" -> define(require(name, value));
                case "seed" -> seed = Long.parseLong(require(name, value));
                default -> {
                    if (!IGNORED.contains(name) && !name.startsWith("wire_")) {
                        throw new IllegalArgumentException("unknown packetdrill option --" + name);
                    }
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad value '" + value + "' for --" + name);
        }
    }

    private static String ipVersion(String value) {
        if (!IP_VERSIONS.contains(value)) throw new IllegalArgumentException("bad --ip_version: " + value);
        return value;
    }

    /** An address of either family; packetdrill's remote_ip may carry a prefix length, which a stack in virtual time has no use for. */
    private static IpAddress address(String name, String value) {
        String text = require(name, value).replaceFirst("/\\d+$", "");
        try {
            return IpAddress.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad address '" + value + "' for --" + name);
        }
    }

    /** Packets on the wire are IPv6 (config->wire_protocol == AF_INET6) only in ipv6 mode; ipv4-mapped-ipv6 sends IPv4. */
    public boolean wireIpv6() {
        return ipVersion.equals("ipv6");
    }

    /** The family socket(..., ...) takes when the script writes {@code ...} (config->socket_domain): AF_INET6 but in ipv4 mode. */
    public int socketDomain() {
        return ipVersion.equals("ipv4") ? Symbols.AF_INET : Symbols.AF_INET6;
    }

    /**
     * The stack's address. IPv4 is config.c's range (192.168.0.0/16; upstream picks a random
     * host, here the .1 run_all.py passes); IPv6 its ULA fd3d:fa7b:d17d::/48 (upstream
     * randomizes the low 32 bits; here ::1, so runs repeat).
     */
    public IpAddress localIp() {
        if (localIp != null) return localIp;
        return IpAddress.parse(wireIpv6() ? "fd3d:fa7b:d17d::1" : "192.168.0.1");
    }

    /** The scripted peer: TEST-NET-1 192.0.2.1 (RFC 5737) or 2001:db8::1 (RFC 3849), config.c's defaults. */
    public IpAddress remoteIp() {
        if (remoteIp != null) return remoteIp;
        return IpAddress.parse(wireIpv6() ? "2001:db8::1" : "192.0.2.1");
    }

    /** The prefix length of the stack's address: config.c's 255.255.0.0 netmask, or DEFAULT_V6_LIVE_PREFIX_LEN. */
    public int localPrefixLength() {
        return wireIpv6() ? 48 : 16;
    }

    /**
     * The options upstream's run_all.py passes for one mode: its addresses, and for ipv6
     * --mtu=1520, the device MTU that keeps scripts' {@code <mss 1460>} true with IPv6's
     * 40-byte header; the -D values it sets that depend on the family.
     */
    public static RunnerOptions runAll(String ipVersion) {
        RunnerOptions o = new RunnerOptions();
        o.ipVersion = ipVersion(ipVersion);
        boolean v6 = ipVersion.equals("ipv6");
        if (v6) {
            o.mtu = 1520;
            o.localIp = IpAddress.parse("fd3d:a0b:17d6::1");
            o.remoteIp = IpAddress.parse("fd3d:fa7b:d17d::1");
        } else {
            o.localIp = IpAddress.parse("192.168.0.1");
            o.remoteIp = IpAddress.parse("192.0.2.1");
            o.defines.put("CODE", "host_unreachable");
        }
        o.defines.put("CMSG_LEVEL_IP", ipVersion.equals("ipv4") ? "SOL_IP" : "SOL_IPV6");
        o.defines.put("CMSG_TYPE_RECVERR", ipVersion.equals("ipv4") ? "IP_RECVERR" : "IPV6_RECVERR");
        return o;
    }

    private static String require(String name, String value) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException("--" + name + " needs a value");
        return value;
    }
}
