package io.jtcp.observe;

import io.jtcp.api.ConnectionStatus;

/**
 * A stack as {@code netstat -tano} prints it: netstat's state names and its timer
 * column, {@code timewait (59.76/0/0)} = timer, seconds left, retransmissions,
 * probes; {@code off (0.00/0/0)} when no timer runs.
 */
public final class NetstatView {
    private NetstatView() {}

    private static final String ROW = "%-5s %6d %6d %-23s %-23s %-11s %s%n";

    public static String format(StackSnapshot s) {
        StringBuilder b = new StringBuilder("Active Internet connections (servers and established)\n");
        b.append(String.format("%-5s %6s %6s %-23s %-23s %-11s %s%n", "Proto", "Recv-Q", "Send-Q", "Local Address",
                "Foreign Address", "State", "Timer"));
        for (StackSnapshot.Listener l : s.listeners()) {
            boolean v6 = isV6(l.local());
            b.append(String.format(ROW, v6 ? "tcp6" : "tcp", l.acceptQueue(), 0, address(l.local()), v6 ? ":::*" : "0.0.0.0:*",
                    "LISTEN", "off (0.00/0/0)"));
        }
        for (ConnectionStatus c : SsView.sorted(s.connections())) {
            b.append(String.format(ROW, isV6(c.tuple().local()) ? "tcp6" : "tcp", c.receiveQueue(), c.sendQueue(),
                    address(c.tuple().local()), address(c.tuple().remote()), SocketStates.netstat(c.state()), timer(c)));
        }
        return b.toString();
    }

    /** Whether an endpoint as ss writes it ({@code [fd00::1]:80}, or {@code *:80} for dual-stack ::) is IPv6. */
    private static boolean isV6(String endpoint) {
        return endpoint.startsWith("[") || endpoint.startsWith("*");
    }

    /** netstat's spelling of an endpoint: IPv6 without brackets ({@code fd00::1:80}, {@code :::80} for ::), IPv4 as is. */
    static String address(String endpoint) {
        if (endpoint.startsWith("*")) return "::" + endpoint.substring(1);
        if (!endpoint.startsWith("[")) return endpoint;
        int close = endpoint.indexOf(']');
        return endpoint.substring(1, close) + endpoint.substring(close + 1);
    }

    static String timer(ConnectionStatus c) {
        String name = c.timer().equals("persist") ? "probe" : c.timer();
        return String.format("%s (%.2f/%d/%d)", name, c.timerRemaining() / 1e9, c.retries(), c.probes());
    }
}
