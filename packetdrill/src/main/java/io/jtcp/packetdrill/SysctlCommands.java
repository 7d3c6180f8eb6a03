package io.jtcp.packetdrill;

import io.jtcp.config.Sysctls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backquoted commands, read and never run: {@code sysctl -q net.ipv4.X=V},
 * {@code sysctl -w ...}, {@code echo V > /proc/sys/net/ipv4/X}, or a shell script that
 * holds such lines (upstream's {@code ../common/defaults.sh}, resolved against the
 * script's directory). Inside such a shell script, lines that are not sysctls
 * (comments, {@code set -e}, ip/tc device setup) are skipped; a command given directly
 * that is not a sysctl makes the script unsupported. Known sysctls go to
 * {@link Sysctls#set}; {@link #NO_EFFECT} lists Linux sysctls jtcp accepts and ignores.
 */
final class SysctlCommands {
    private SysctlCommands() {}

    private static final Pattern SYSCTL = Pattern.compile("sysctl\\s+(?:-[qwe]+\\s+)*([\\w./-]+)\\s*=\\s*\"?([^\";]*?)\"?\\s*");
    private static final Pattern PROC = Pattern.compile("echo\\s+\"?([^\">]*?)\"?\\s*>\\s*/proc/sys/([\\w/.-]+)\\s*");

    /** Linux sysctls that change nothing jtcp models; scripts (and defaults.sh) set them freely. */
    static final List<String> NO_EFFECT = List.of(
            "tcp_ecn", "tcp_ecn_fallback", "tcp_fastopen", "tcp_fastopen_key", "tcp_early_retrans", "tcp_recovery",
            "tcp_thin_linear_timeouts", "tcp_min_tso_segs", "tcp_tso_win_divisor", "tcp_autocorking",
            "tcp_pacing_ss_ratio", "tcp_pacing_ca_ratio", "tcp_limit_output_bytes", "tcp_no_metrics_save",
            "tcp_mtu_probing", "tcp_base_mss", "tcp_dsack", "tcp_fack", "tcp_frto",
            "tcp_slow_start_after_idle", "tcp_reordering", "tcp_max_reordering", "tcp_min_rtt_wlen",
            "tcp_congestion_control", "tcp_allowed_congestion_control", "tcp_notsent_lowat", "tcp_tso_rtt_log",
            "tcp_adv_win_scale", "tcp_abort_on_overflow", "tcp_workaround_signed_windows",
            "tcp_invalid_ratelimit", "tcp_challenge_ack_limit", "tcp_comp_sack_nr", "tcp_comp_sack_delay_ns",
            "tcp_comp_sack_slack_ns", "tcp_backlog_ack_defer", "tcp_shrink_window", "tcp_plb_enabled",
            "tcp_pingpong_thresh", "tcp_rto_min_us", "tcp_migrate_req", "tcp_reflect_tos", "tcp_retries1",
            "ip_no_pmtu_disc", "ip_forward", "default_qdisc", "optmem_max",
            "rmem_default", "wmem_default", "busy_poll", "busy_read", "netdev_max_backlog");

    /** The sysctls after {@code command}, run from {@code scriptDir}. */
    static Sysctls apply(String command, Path scriptDir, Sysctls s) throws UnsupportedFeature {
        for (String part : command.split(";|&&|\\n")) {
            String line = part.strip();
            if (line.isEmpty()) continue;
            Sysctls next = sysctlLine(line, s);
            if (next != null) {
                s = next;
                continue;
            }
            Path file = shellScript(line, scriptDir);
            if (file == null) throw new UnsupportedFeature("command `" + line + "`");
            s = fromShellScript(file, s);
        }
        return s;
    }

    /** A sysctl line's effect, or null if the line is not a sysctl. */
    private static Sysctls sysctlLine(String line, Sysctls s) throws UnsupportedFeature {
        Matcher m = SYSCTL.matcher(line);
        if (m.matches()) return set(m.group(1).replace('/', '.'), m.group(2).strip(), s);
        m = PROC.matcher(line);
        if (m.matches()) return set(m.group(2).replace('/', '.'), m.group(1).strip(), s);
        return null;
    }

    private static Path shellScript(String line, Path scriptDir) {
        String[] words = line.split("\\s+");
        String target = words[0].equals("sh") || words[0].equals("bash") || words[0].equals(".") || words[0].equals("source")
                ? (words.length > 1 ? words[1] : null) : words[0];
        if (target == null || !target.endsWith(".sh")) return null;
        Path p = scriptDir.resolve(target).normalize();
        return Files.isRegularFile(p) ? p : null;
    }

    private static Sysctls fromShellScript(Path file, Sysctls s) throws UnsupportedFeature {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UnsupportedFeature("unreadable shell script " + file);
        }
        for (String raw : lines) {
            String line = raw.strip();
            if (line.endsWith("\\")) line = line.substring(0, line.length() - 1).strip();
            Sysctls next = sysctlLine(line, s);
            if (next != null) s = next;
        }
        return s;
    }

    private static final Pattern ARITHMETIC = Pattern.compile("\\$\\(\\(([\\d\\s*+]+)\\)\\)");

    /** The shell's {@code $((15*1024*1024))}, as defaults.sh writes tcp_rmem's max: sums of products of integers. */
    static String expandArithmetic(String value) {
        return ARITHMETIC.matcher(value).replaceAll(m -> {
            long sum = 0;
            for (String term : m.group(1).split("\\+")) {
                long product = 1;
                for (String factor : term.split("\\*")) product *= Long.parseLong(factor.strip());
                sum += product;
            }
            return Long.toString(sum);
        });
    }

    private static Sysctls set(String fullName, String value, Sysctls s) throws UnsupportedFeature {
        String name = fullName.toLowerCase(Locale.ROOT).replaceFirst("^net\\.(ipv4|core)\\.", "");
        if (NO_EFFECT.contains(name)) return s;
        value = expandArithmetic(value);
        try {
            return s.set(name, value);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("unknown sysctl")) throw new UnsupportedFeature("sysctl " + fullName);
            throw new UnsupportedFeature("sysctl " + fullName + "=" + value + " (" + e.getMessage() + ")");
        }
    }
}
