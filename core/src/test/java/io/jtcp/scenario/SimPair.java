package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.host.Stack;
import io.jtcp.link.sim.SimHost;
import io.jtcp.link.sim.SimNetwork;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.State;
import io.jtcp.wire.Ip4;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two jtcp hosts on a simulated network, a client at 10.0.0.1 and a server at
 * 10.0.0.2, with every trace event recorded so a test can assert on what
 * happened rather than on printed text.
 */
final class SimPair {
    static final int CLIENT = Ip4.parse("10.0.0.1"), SERVER = Ip4.parse("10.0.0.2");

    final SimNetwork net;
    final Stack client, server;
    final List<TraceEvent> events = new ArrayList<>();

    SimPair(long seed, Sysctls cfg) {
        net = new SimNetwork(seed);
        TraceSink record = events::add;
        net.addTap(new NetworkTrace(record));
        client = SimHost.create(net, "client", "10.0.0.1", cfg, seed).stack();
        server = SimHost.create(net, "server", "10.0.0.2", cfg, seed).stack();
        client.setTrace(record);
        server.setTrace(record);
    }

    static long ms(long n) { return Duration.ofMillis(n).toNanos(); }

    static long seconds(long n) { return Duration.ofSeconds(n).toNanos(); }

    /** Runs until both hosts hold no connection at all (TIME_WAIT included), within an hour of virtual time. */
    boolean runUntilEmpty() {
        return net.runWhile(() -> client.connectionCount() + client.timeWaitCount()
                + server.connectionCount() + server.timeWaitCount() > 0, net.now() + seconds(3600));
    }

    /** The "from -> to" steps one host went through, in order. */
    List<String> states(String host) {
        return events.stream().filter(e -> e instanceof TraceEvent.StateEvent && e.host().equals(host))
                .map(e -> ((TraceEvent.StateEvent) e).from() + " -> " + ((TraceEvent.StateEvent) e).to())
                .toList();
    }

    List<TraceEvent.StateEvent> stateEvents(String host, State to) {
        return events.stream().filter(e -> e instanceof TraceEvent.StateEvent s && e.host().equals(host) && s.to() == to)
                .map(e -> (TraceEvent.StateEvent) e).toList();
    }

    boolean sawCause(String host, Cause cause) {
        return events.stream().anyMatch(e -> e instanceof TraceEvent.StateEvent s && e.host().equals(host)
                && s.cause().equals(cause.toString()));
    }

    /** Segments a host sent, with the given flags exactly (tcpdump letters, e.g. "F." for FIN+ACK). */
    List<TraceEvent.SegmentEvent> sent(String host, String flags) {
        return events.stream().filter(e -> e instanceof TraceEvent.SegmentEvent s && e.host().equals(host)
                        && TraceEvent.SegmentEvent.OUT.equals(s.dir())
                        && io.jtcp.wire.TcpFlags.tcpdump(s.segment().flags).equals(flags))
                .map(e -> (TraceEvent.SegmentEvent) e).toList();
    }
}
