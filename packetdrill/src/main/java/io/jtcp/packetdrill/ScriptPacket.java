package io.jtcp.packetdrill;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A scripted TCP segment: {@code < S. 0:0(0) ack 1 win 65535 <mss 1460>}.
 * {@code ack} is null without the {@code ack} keyword, {@code window} null when not
 * given (outbound: unchecked), {@code options} null for {@code <...>} (unchecked).
 * {@code ipInfo} holds a {@code [ect0]}-style annotation's text, or null.
 */
record ScriptPacket(boolean inbound, String flags, long seq, int length, Long ack, Integer window, Integer urgent,
                    List<TcpOption> options, String ipInfo) {

    long end() { return seq + length; }

    boolean has(char flag) { return flags.indexOf(flag) >= 0; }

    String render() {
        StringBuilder b = new StringBuilder(inbound ? "<" : ">");
        if (ipInfo != null) b.append(' ').append(ipInfo);
        b.append(' ').append(flags.isEmpty() ? "-" : flags).append(' ')
                .append(seq).append(':').append(end()).append('(').append(length).append(')');
        if (ack != null) b.append(" ack ").append(ack);
        if (window != null) b.append(" win ").append(window);
        if (urgent != null) b.append(" urg ").append(urgent);
        if (options == null) b.append(" <...>");
        else if (!options.isEmpty()) b.append(" <").append(options.stream().map(TcpOption::render).collect(Collectors.joining(","))).append('>');
        return b.toString();
    }
}
