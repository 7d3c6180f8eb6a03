package io.jtcp.packetdrill;

import io.jtcp.wire.Ip4;
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
    public String ipVersion = "ipv4";
    public int localIp = Ip4.parse("192.168.0.1");
    public int remoteIp = Ip4.parse("192.0.2.1");
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
                case "ip_version" -> ipVersion = require(name, value);
                case "local_ip" -> localIp = ipv4(name, value, localIp);
                case "remote_ip" -> remoteIp = ipv4(name, value, remoteIp);
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

    /** An IPv4 address; an IPv6 one (jtcp has no IPv6) marks the script ipv6, so it is reported unsupported. */
    private int ipv4(String name, String value, int unchanged) {
        if (require(name, value).contains(":")) {
            ipVersion = "ipv6";
            return unchanged;
        }
        return Ip4.parse(value);
    }

    private static String require(String name, String value) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException("--" + name + " needs a value");
        return value;
    }
}
