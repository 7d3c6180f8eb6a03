package io.jtcp.observe;

import io.jtcp.tcp.ConnectionStatus;
import io.jtcp.tcp.State;
import java.util.Comparator;
import java.util.List;

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
            b.append(String.format(ROW, "LISTEN", l.acceptQueue(), l.backlog(), l.local(), "0.0.0.0:*")).append('\n');
        }
        for (ConnectionStatus c : sorted(s.connections())) {
            b.append(String.format(ROW, SocketStates.ss(c.state()), c.receiveQueue(), c.sendQueue(),
                    c.tuple().local(), c.tuple().remote()));
            if (timers && !c.timer().equals("off")) {
                b.append(" timer:(").append(c.timer()).append(',').append(duration(c.timerRemaining()))
                        .append(',').append(c.timerCount()).append(')');
            }
            b.append('\n');
            if (info && c.state() != State.TIME_WAIT) b.append('\t').append(internals(c)).append('\n');
        }
        return b.toString();
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

    /** The {@code -i} line: congestion control, scales, RTO and RTT in ms, MSS and windows in segments. */
    private static String internals(ConnectionStatus c) {
        StringBuilder b = new StringBuilder("reno");
        if (c.timestamps()) b.append(" ts");
        if (c.sack()) b.append(" sack");
        if (c.sndWscale() >= 0) b.append(" wscale:").append(c.sndWscale()).append(',').append(c.rcvWscale());
        b.append(" rto:").append(c.rto() / 1_000_000);
        b.append(" rtt:").append(millis(c.srtt())).append('/').append(millis(c.rttvar()));
        b.append(" mss:").append(c.sndMss()).append(" advmss:").append(c.advertisedMss());
        b.append(" cwnd:").append(segments(c.cwnd(), c.sndMss()));
        if (c.ssthresh() != Long.MAX_VALUE) b.append(" ssthresh:").append(segments(c.ssthresh(), c.sndMss()));
        b.append(" snd_wnd:").append(c.sndWnd()).append(" rcv_wnd:").append(c.rcvWnd());
        if (c.retransmittedSegments() > 0) b.append(" retrans:").append(c.retries()).append('/').append(c.retransmittedSegments());
        if (c.orphan()) b.append(" orphan");
        return b.toString();
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

    private static String millis(long nanos) {
        double ms = nanos / 1e6;
        return ms == Math.rint(ms) ? Long.toString((long) ms) : String.format("%.3f", ms);
    }

    private static long segments(long bytes, int mss) {
        return mss <= 0 ? 0 : Math.max(1, bytes / mss);
    }
}
