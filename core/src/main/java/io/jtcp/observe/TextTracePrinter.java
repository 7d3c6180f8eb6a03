package io.jtcp.observe;

import io.jtcp.observe.TraceEvent.DropEvent;
import io.jtcp.observe.TraceEvent.LossEvent;
import io.jtcp.observe.TraceEvent.SegmentEvent;
import io.jtcp.observe.TraceEvent.StateEvent;
import io.jtcp.observe.TraceEvent.UserEvent;

/**
 * Prints a trace as text, one line an event, every line starting with the time in seconds:
 *
 * <pre>
 * 0.000000 10.0.0.1 connect 10.0.0.2:80
 * 0.000000 IP 10.0.0.1.49152 &gt; 10.0.0.2.80: Flags [S], seq 1000, win 65535, ..., length 0
 * 0.000000 10.0.0.1.49152 &gt; 10.0.0.2.80 CLOSED -&gt; SYN_SENT (connect)
 * 0.001000 drop 10.0.0.2.80 &lt; 10.0.0.1.49152 OUT_OF_WINDOW: seq 5000 beyond RCV.NXT+RCV.WND
 * 0.052000 10.0.0.1.49152 &gt; 10.0.0.2.80 TCPSackRecovery cwnd 10 Disorder
 * </pre>
 *
 * Segments are rendered by {@link TcpdumpFormat}; state and drop lines use tcpdump's
 * {@code address.port} form (a loss line names the counter Linux bumps, then the window), user lines the {@code address:port} a user would type.
 */
public final class TextTracePrinter extends LinePrinter {
    private final TcpdumpFormat tcpdump = new TcpdumpFormat();

    public TextTracePrinter(Appendable out) {
        super(out);
    }

    /** The line {@link #accept} prints for {@code event}, without the newline. */
    @Override
    public String line(TraceEvent event) {
        if (event instanceof SegmentEvent s) return tcpdump.format(s.timeNanos(), s.segment());
        StringBuilder b = new StringBuilder(96);
        TraceTime.appendSeconds(b, event.timeNanos());
        b.append(' ');
        switch (event) {
            case StateEvent s -> {
                b.append(dotted(s.local())).append(" > ").append(dotted(s.remote()))
                 .append(' ').append(s.from()).append(" -> ").append(s.to());
                if (s.cause() != null && !s.cause().isEmpty()) b.append(" (").append(oneLine(s.cause())).append(')');
            }
            case DropEvent d -> {
                b.append("drop ").append(d.local() == null ? d.host() : dotted(d.local()))
                 .append(" < ").append(dotted(d.remote())).append(' ').append(d.reason());
                if (d.detail() != null && !d.detail().isEmpty()) b.append(": ").append(oneLine(d.detail()));
            }
            case LossEvent l -> {
                b.append(dotted(l.local())).append(" > ").append(dotted(l.remote())).append(' ').append(l.event());
                if (l.detail() != null && !l.detail().isEmpty()) b.append(' ').append(oneLine(l.detail()));
            }
            case UserEvent u -> {
                b.append(u.host()).append(' ').append(u.call());
                String target = u.remote() != null ? u.remote() : u.local();
                if (target != null) b.append(' ').append(target);
                if (u.result() != null) b.append(" = ").append(oneLine(u.result()));
            }
            case SegmentEvent s -> throw new AssertionError("handled above");
        }
        return b.toString();
    }

    /** Forgets per-flow state (relative sequence numbers, if the formatter keeps them). */
    public void reset() {
        tcpdump.reset();
    }

    /**
     * {@code "10.0.0.1:49152"} as tcpdump writes it, {@code 10.0.0.1.49152}; IPv6 loses its
     * brackets, {@code [fd00::1]:80} is {@code fd00::1.80}; unknown is {@code *}.
     */
    static String dotted(String endpoint) {
        if (endpoint == null) return "*";
        int colon = endpoint.lastIndexOf(':');
        if (colon < 0) return endpoint;
        String addr = endpoint.substring(0, colon);
        if (addr.startsWith("[") && addr.endsWith("]")) addr = addr.substring(1, addr.length() - 1);
        return addr + '.' + endpoint.substring(colon + 1);
    }

    /** Keeps a free-text field from breaking the one-event-a-line rule. */
    private static String oneLine(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
