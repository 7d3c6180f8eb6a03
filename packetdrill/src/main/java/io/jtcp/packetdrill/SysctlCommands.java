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

    /** Output redirections a command may end with ({@code > /dev/null 2>&1}); they change nothing here. */
    private static final String REDIRECTS = "(\\s*\\d?>&?\\s*\\S+)*\\s*";
    private static final Pattern PROC = Pattern.compile("echo\\s+\"?([^\">]*?)\"?\\s*>\\s*/proc/sys/([\\w/.-]+)\\s*");

    /** Linux sysctls that change nothing jtcp models; scripts (and defaults.sh) set them freely. */
    static final List<String> NO_EFFECT = List.of(
            "tcp_ecn_option", "tcp_fastopen_blackhole_timeout_sec",
            "tcp_thin_linear_timeouts", "tcp_min_tso_segs", "tcp_tso_win_divisor", "tcp_autocorking",
            "tcp_pacing_ss_ratio", "tcp_pacing_ca_ratio", "tcp_limit_output_bytes", "tcp_no_metrics_save",
            "tcp_mtu_probing", "tcp_base_mss", "tcp_fack", "tcp_allowed_congestion_control", "tcp_notsent_lowat", "tcp_tso_rtt_log",
            "tcp_adv_win_scale", "tcp_workaround_signed_windows",
            "tcp_invalid_ratelimit", "tcp_challenge_ack_limit", "tcp_comp_sack_nr", "tcp_comp_sack_delay_ns",
            "tcp_comp_sack_slack_ns", "tcp_backlog_ack_defer", "tcp_shrink_window", "tcp_plb_enabled",
            "tcp_pingpong_thresh", "tcp_rto_min_us", "tcp_migrate_req", "tcp_reflect_tos", "tcp_retries1",
            "ip_no_pmtu_disc", "ip_forward", "default_qdisc", "optmem_max",
            "rmem_default", "wmem_default", "busy_poll", "busy_read", "netdev_max_backlog");

    /** The sysctls after {@code command}, run from {@code scriptDir}. */
    static Sysctls apply(String command, Path scriptDir, Sysctls s) throws UnsupportedFeature {
        for (String part : command.replace("\\\n", " ").split(";|&&|\\n")) {
            String line = part.strip();
            if (line.isEmpty()) continue;
            Sysctls next = sysctlLine(line, s);
            if (next != null) {
                s = next;
                continue;
            }
            if (hasNoEffect(line)) continue;
            Path file = shellScript(line, scriptDir);
            if (file == null) throw new UnsupportedFeature("command `" + line + "`");
            s = fromShellScript(file, s);
        }
        return s;
    }

    /**
     * Commands that change nothing jtcp models: {@code ethtool -K dev tso off gso off}
     * (device offloads: jtcp hands the device one MSS-sized packet at a time, never a
     * super-segment, so there is nothing to turn off), {@code ip tcp_metrics flush}
     * (jtcp keeps no per-destination metrics cache), and the
     * {@code /tmp/sysctl_restore_$PPID.sh} script that set_sysctls.py writes to undo its
     * changes (each script gets a fresh stack, so there is nothing to restore), and
     * {@code nstat > /dev/null} (or {@code nstat -n}, {@code nstat -r}), which only brings
     * nstat's history file up to date so a later nstat shows deltas: the counters of a
     * fresh stack start at zero, and nothing reads the output.
     */
    private static boolean hasNoEffect(String line) {
        return OFFLOADS.matcher(line).matches() || METRICS_FLUSH.matcher(line).matches() || RESTORE.matcher(line).matches()
                || NSTAT_HISTORY.matcher(line).matches();
    }

    private static final Pattern OFFLOADS = Pattern.compile("ethtool\\s+-K\\s+\\S+(\\s+[a-z-]+\\s+(on|off))+" + REDIRECTS);
    private static final Pattern METRICS_FLUSH = Pattern.compile("ip\\s+tcp_metrics\\s+flush(\\s+all)?" + REDIRECTS);
    private static final Pattern NSTAT_HISTORY = Pattern.compile("nstat(\\s+-[nr]+)*" + REDIRECTS);
    private static final Pattern RESTORE = Pattern.compile("/tmp/sysctl_restore_\\S*\\.sh" + REDIRECTS);

    /**
     * A sysctl line's effect, or null if the line is not a sysctl: {@code sysctl [-q|-w|-e]
     * NAME=VALUE...}, {@code echo VALUE > /proc/sys/NAME}, or upstream's
     * {@code set_sysctls.py /proc/sys/NAME=VALUE...}. {@code $((...))} in values is
     * evaluated as the shell would.
     */
    private static Sysctls sysctlLine(String raw, Sysctls s) throws UnsupportedFeature {
        String line;
        try {
            line = ShellArithmetic.expand(raw);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedFeature(e.getMessage());
        }
        Matcher m = PROC.matcher(line);
        if (m.matches()) return set(m.group(2).replace('/', '.'), m.group(1).strip(), s);
        List<String> words = ShellWords.split(line);
        if (words.isEmpty()) return null;
        String program = words.get(0);
        boolean sysctl = program.equals("sysctl");
        boolean setSysctls = program.endsWith("/set_sysctls.py") || program.equals("set_sysctls.py");
        if (!sysctl && !setSysctls) return null;
        for (String w : words.subList(1, words.size())) {
            if (sysctl && w.startsWith("-")) continue;
            int eq = w.indexOf('=');
            if (eq <= 0) throw new UnsupportedFeature("command `" + raw + "`");
            String name = w.substring(0, eq);
            if (setSysctls) {
                if (!name.startsWith("/proc/sys/")) throw new UnsupportedFeature("command `" + raw + "`");
                name = name.substring("/proc/sys/".length());
            }
            s = set(name.replace('/', '.'), w.substring(eq + 1).strip(), s);
        }
        return s;
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

    private static Sysctls set(String fullName, String value, Sysctls s) throws UnsupportedFeature {
        String name = fullName.toLowerCase(Locale.ROOT).replaceFirst("^net\\.(ipv4|core)\\.", "");
        if (NO_EFFECT.contains(name)) return s;
        try {
            return s.set(name, value);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("unknown sysctl")) throw new UnsupportedFeature("sysctl " + fullName);
            throw new UnsupportedFeature("sysctl " + fullName + "=" + value + " (" + e.getMessage() + ")");
        }
    }
}
