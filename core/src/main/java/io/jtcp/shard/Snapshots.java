package io.jtcp.shard;

import io.jtcp.api.ConnectionStatus;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.wire.DropReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One host's views from its shards' snapshots: ss and netstat list every shard's sockets,
 * a listener replicated on every shard shows once with its queues summed (what the
 * application sees through the merged accept), and nstat's counters and the drop reasons
 * are summed, so the views read as those of one host.
 */
public final class Snapshots {
    private Snapshots() {}

    public static StackSnapshot merge(String host, List<StackSnapshot> shards) {
        if (shards.isEmpty()) throw new IllegalArgumentException("no shards");
        List<ConnectionStatus> connections = new ArrayList<>();
        Map<String, StackSnapshot.Listener> listeners = new LinkedHashMap<>();
        Map<String, Long> counters = new LinkedHashMap<>();
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        long time = Long.MIN_VALUE;
        for (StackSnapshot s : shards) {
            time = Math.max(time, s.timeNanos());
            connections.addAll(s.connections());
            for (StackSnapshot.Listener l : s.listeners()) {
                listeners.merge(l.local(), l, (a, b) -> new StackSnapshot.Listener(a.local(), a.acceptQueue() + b.acceptQueue(),
                        a.backlog() + b.backlog(), a.synQueue() + b.synQueue()));
            }
            s.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
            s.drops().forEach((k, v) -> drops.merge(k, v, Long::sum));
        }
        return new StackSnapshot(host, shards.getFirst().address(), time, connections, List.copyOf(listeners.values()), counters, drops);
    }
}
