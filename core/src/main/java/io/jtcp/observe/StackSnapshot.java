package io.jtcp.observe;

import io.jtcp.api.ConnectionStatus;
import io.jtcp.wire.DropReason;
import java.util.List;
import java.util.Map;

/**
 * Everything the views show of one stack at one moment: its sockets (TIME_WAIT
 * entries and orphans included), its listeners, its counters under their Linux
 * names, and its drops by reason. A plain value: take one at any moment of a run
 * and format it as often as needed.
 *
 * @param counters in display order, e.g. {@code TcpActiveOpens}, {@code TcpExtTW}
 */
public record StackSnapshot(String host, String address, long timeNanos, List<ConnectionStatus> connections,
                            List<Listener> listeners, Map<String, Long> counters, Map<DropReason, Long> drops) {

    /** A listening socket as ss shows it: Recv-Q is the accept queue, Send-Q the backlog. */
    public record Listener(String local, int acceptQueue, int backlog, int synQueue) {}
}
