package io.jtcp.observe;

import io.jtcp.api.ConnectionStatus;
import io.jtcp.tcp.State;
import io.jtcp.tcp.TcpInfo;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A stack as {@code ss -tan} prints it, with {@code -o} (timers) and {@code -i}
 * (TCP internals) when asked, and {@code ss -s}'s summary.
 */
public final class SsView {
    private SsView() {}

    private static final String ROW = "%-10s %-6d %-6d %21s %21s";

    public static String format(StackSnapshot s, boolean timers, boolean info) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-10s %-6s %-6s %21s %21s%n", "State", "Recv-Q", "Send-Q",
                "Local Address:Port", "Peer Address:Port"));
        for (StackSnapshot.Listener l : s.listeners()) {
            b.append(String.format(ROW, "LISTEN", l.acceptQueue(), l.backlog(), l.local(), anyPeer(l.local()))).append('\n');
        }
        for (ConnectionStatus c : sorted(s.connections())) {
            b.append(String.format(ROW, SocketStates.ss(c.state()), c.receiveQueue(), c.sendQueue(),
                    c.tuple().local(), c.tuple().remote()));
            if (timers && !c.timer().equals("off")) {
                b.append(" timer:(").append(c.timer()).append(',').append(duration(c.timerRemaining()))
                        .append(',').append(c.timerCount()).append(')');
            }
            b.append('\n');
            if (info && c.info() != null) b.append('\t').append(internals(c)).append('\n');
        }
        return b.toString();
    }

    /**
     * A listener's peer column as ss writes it for the listener's family: {@code *:*} beside a
     * dual-stack {@code *:80}, {@code [::]:*} for IPv6, {@code 0.0.0.0:*} for IPv4.
     */
    static String anyPeer(String local) {
        return local.startsWith("*") ? "*:*" : local.startsWith("[") ? "[::]:*" : "0.0.0.0:*";
    }

    /**
     * ss's own rendering of a timer (print_ms_timer): minutes, then seconds, then
     * milliseconds, each dropped once a larger unit makes it noise: {@code 59sec},
     * {@code 1.500ms} for 1.5 s, {@code 200ms}, {@code 119min}, {@code 2min5sec}.
     */
    static String duration(long nanos) {
        long total = nanos / 1_000_000;
        long minutes = total / 60_000, secs = total / 1000 % 60, millis = total % 1000;
        StringBuilder b = new StringBuilder();
        if (minutes > 0) {
            millis = 0;
            b.append(minutes).append("min");
            if (minutes > 9) secs = 0;
        }
        if (secs > 0) {
            if (secs > 9) millis = 0;
            b.append(secs).append(millis > 0 ? "." : "sec");
        }
        if (millis > 0) b.append(String.format("%03dms", millis));
        if (b.isEmpty()) b.append("0ms");
        return b.toString();
    }

    /**
     * The {@code -i} line, printed from TCP_INFO in the order and units of iproute2's
     * tcp_show_info (tcp_stats_print): options, the congestion control's name, scales,
     * RTO/RTT/ATO in ms, sizes, cwnd and ssthresh in segments, byte and segment counts, ss's
     * {@code send} rate (cwnd * mss per srtt), ages in ms, delivered and busy time, then the
     * scoreboard (unacked, retrans:now/total, lost, sacked, reordering when not 3), queues and
     * windows; zero fields and an ssthresh of 0xFFFF or more (unset) are left out as ss
     * leaves them out. jtcp has no pacing, delivery rate, app_limited mark or dsack_dups, so
     * those never appear.
     */
    private static String internals(ConnectionStatus c) {
        TcpInfo i = c.info();
        StringBuilder b = new StringBuilder();
        if ((i.options() & TcpInfo.TCPI_OPT_TIMESTAMPS) != 0) b.append(" ts");
        if ((i.options() & TcpInfo.TCPI_OPT_SACK) != 0) b.append(" sack");
        if ((i.options() & TcpInfo.TCPI_OPT_ECN) != 0) b.append(" ecn");
        if ((i.options() & TcpInfo.TCPI_OPT_ECN_SEEN) != 0) b.append(" ecnseen");
        if (c.congestion() != null) b.append(' ').append(c.congestion());
        if ((i.options() & TcpInfo.TCPI_OPT_WSCALE) != 0) b.append(" wscale:").append(i.sndWscale()).append(',').append(i.rcvWscale());
        field(b, "rto", ms(i.rto()), i.rto());
        field(b, "backoff", Long.toString(i.backoff()), i.backoff());
        if (i.rtt() > 0) b.append(" rtt:").append(ms(i.rtt())).append('/').append(ms(i.rttvar()));
        field(b, "ato", ms(i.ato()), i.ato());
        field(b, "mss", Long.toString(i.sndMss()), i.sndMss());
        field(b, "pmtu", Long.toString(i.pmtu()), i.pmtu());
        field(b, "rcvmss", Long.toString(i.rcvMss()), i.rcvMss());
        field(b, "advmss", Long.toString(i.advmss()), i.advmss());
        field(b, "cwnd", Long.toString(i.sndCwnd()), i.sndCwnd());
        if (i.sndSsthresh() < 0xFFFF) field(b, "ssthresh", Long.toString(i.sndSsthresh()), i.sndSsthresh());
        count(b, "bytes_sent", i.bytesSent());
        count(b, "bytes_retrans", i.bytesRetrans());
        count(b, "bytes_acked", i.bytesAcked());
        count(b, "bytes_received", i.bytesReceived());
        count(b, "segs_out", i.segsOut());
        count(b, "segs_in", i.segsIn());
        count(b, "data_segs_out", i.dataSegsOut());
        count(b, "data_segs_in", i.dataSegsIn());
        // ss's own estimate, not a TCP_INFO field: a window per smoothed RTT.
        if (i.rtt() > 0 && i.sndMss() > 0 && i.sndCwnd() > 0) {
            b.append(" send ").append(bandwidth(i.sndCwnd() * i.sndMss() * 8_000_000.0 / i.rtt())).append("bps");
        }
        count(b, "lastsnd", i.lastDataSent());
        count(b, "lastrcv", i.lastDataRecv());
        count(b, "lastack", i.lastAckRecv());
        count(b, "delivered", i.delivered());
        if (i.busyTime() > 0) {
            b.append(" busy:").append(i.busyTime() / 1000).append("ms");
            if (i.rwndLimited() > 0) {
                b.append(" rwnd_limited:").append(i.rwndLimited() / 1000).append("ms(")
                 .append(String.format(Locale.ROOT, "%.1f", 100.0 * i.rwndLimited() / i.busyTime())).append("%)");
            }
        }
        count(b, "unacked", i.unacked());
        if (i.retrans() > 0 || i.totalRetrans() > 0) b.append(" retrans:").append(i.retrans()).append('/').append(i.totalRetrans());
        count(b, "lost", i.lost());
        count(b, "sacked", i.sacked());
        if (i.reordering() != 3) b.append(" reordering:").append(i.reordering());
        count(b, "rcv_ssthresh", i.rcvSsthresh());
        count(b, "notsent", i.notsentBytes());
        if (i.minRtt() != TcpInfo.NO_RTT && i.minRtt() > 0) b.append(" minrtt:").append(ms(i.minRtt()));
        count(b, "snd_wnd", i.sndWnd());
        count(b, "rcv_wnd", i.rcvWnd());
        if (c.orphan()) b.append(" orphan");
        return b.substring(1);
    }

    private static void field(StringBuilder b, String name, String text, long value) {
        if (value != 0) b.append(' ').append(name).append(':').append(text);
    }

    private static void count(StringBuilder b, String name, long value) {
        field(b, name, Long.toString(value), value);
    }

    /** Bits per second as ss's sprint_bw writes them: {@code 11.6M}, {@code 920.5K}, {@code 1.2G}, plain below 1000. */
    static String bandwidth(double bps) {
        if (bps > 1e9) return String.format(Locale.ROOT, "%.1fG", bps / 1e9);
        if (bps > 1e6) return String.format(Locale.ROOT, "%.1fM", bps / 1e6);
        if (bps > 1e3) return String.format(Locale.ROOT, "%.1fK", bps / 1e3);
        return new BigDecimal(bps).round(new MathContext(6)).stripTrailingZeros().toPlainString();  // %g
    }

    /** Microseconds as ss prints milliseconds with %g: {@code 200}, {@code 0.034}, {@code 1.5}. */
    static String ms(long micros) {
        long whole = micros / 1000, frac = micros % 1000;
        if (frac == 0) return Long.toString(whole);
        String f = String.format("%03d", frac);
        int end = f.length();
        while (f.charAt(end - 1) == '0') end--;
        return whole + "." + f.substring(0, end);
    }

    /** {@code ss -s}: totals, then one count per state. */
    public static String summary(StackSnapshot s) {
        int[] perState = new int[State.values().length];
        for (ConnectionStatus c : s.connections()) perState[c.state().ordinal()]++;
        perState[State.LISTEN.ordinal()] += s.listeners().size();
        // Like Linux's tcp_orphan_count: closed by their application but not yet in TIME_WAIT.
        long orphans = s.connections().stream().filter(c -> c.orphan() && c.state() != State.TIME_WAIT).count();
        int total = s.connections().size() + s.listeners().size();
        StringBuilder b = new StringBuilder();
        b.append(String.format("TCP:   %d (estab %d, closed %d, orphaned %d, synrecv %d, timewait %d)%n", total,
                perState[State.ESTABLISHED.ordinal()], perState[State.CLOSED.ordinal()], orphans,
                perState[State.SYN_RECEIVED.ordinal()], perState[State.TIME_WAIT.ordinal()]));
        for (State st : State.values()) {
            if (perState[st.ordinal()] > 0) b.append(String.format("  %-11s %d%n", SocketStates.ss(st), perState[st.ordinal()]));
        }
        return b.toString();
    }

    static List<ConnectionStatus> sorted(List<ConnectionStatus> all) {
        return all.stream().sorted(Comparator.comparing((ConnectionStatus c) -> c.tuple().localPort())
                .thenComparing(c -> c.tuple().remoteAddr()).thenComparing(c -> c.tuple().remotePort())).toList();
    }
}
