package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.host.Stack;
import io.jtcp.link.sim.SimHost;
import io.jtcp.link.sim.SimNetwork;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.State;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.TcpFlags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stage every scenario plays on: a client at 10.0.0.1 and a server at
 * 10.0.0.2 on a simulated network, with every trace event both recorded (so
 * tests assert on what happened) and passed to an outside sink (so people see it).
 */
public final class World {
    public static final String CLIENT_ADDRESS = "10.0.0.1", SERVER_ADDRESS = "10.0.0.2";
    public static final IpAddress CLIENT = IpAddress.parse(CLIENT_ADDRESS), SERVER = IpAddress.parse(SERVER_ADDRESS);

    public final SimNetwork net;
    public final Stack client, server;
    public final List<TraceEvent> events = new ArrayList<>();

    /** A world whose events are only recorded, not passed on. */
    public World(long seed, Sysctls cfg) {
        this(seed, cfg, cfg, TraceSink.NONE);
    }

    public World(long seed, Sysctls cfg, TraceSink outside) {
        this(seed, cfg, cfg, outside);
    }

    public World(long seed, Sysctls clientCfg, Sysctls serverCfg, TraceSink outside) {
        net = new SimNetwork(seed);
        TraceSink record = events::add;
        TraceSink both = record.andThen(outside);
        net.addTap(new NetworkTrace(both));
        client = SimHost.create(net, "client", CLIENT_ADDRESS, clientCfg, seed).stack();
        server = SimHost.create(net, "server", SERVER_ADDRESS, serverCfg, seed).stack();
        client.setTrace(both);
        server.setTrace(both);
    }

    public static long ms(long n) { return Duration.ofMillis(n).toNanos(); }

    public static long seconds(long n) { return Duration.ofSeconds(n).toNanos(); }

    public Stack stack(String host) {
        return host.equals("client") ? client : server;
    }

    /** Connections either host still holds, TIME_WAIT entries included. */
    public int open() {
        return client.connectionCount() + client.timeWaitCount() + server.connectionCount() + server.timeWaitCount();
    }

    /** Runs until neither host holds a connection (TIME_WAIT included), within an hour of virtual time. */
    public boolean runUntilEmpty() {
        return net.runWhile(() -> open() > 0, net.now() + seconds(3600));
    }

    /** The "FROM -> TO" steps one host went through, in order. */
    public List<String> states(String host) {
        return stateEvents(host).stream().map(e -> e.from() + " -> " + e.to()).toList();
    }

    public List<TraceEvent.StateEvent> stateEvents(String host) {
        return events.stream().filter(e -> e instanceof TraceEvent.StateEvent && e.host().equals(host))
                .map(e -> (TraceEvent.StateEvent) e).toList();
    }

    public List<TraceEvent.StateEvent> stateEvents(String host, State to) {
        return stateEvents(host).stream().filter(e -> e.to() == to).toList();
    }

    public boolean sawCause(String host, Cause cause) {
        return stateEvents(host).stream().anyMatch(e -> e.cause().equals(cause.toString()));
    }

    /** Segments a host sent whose flags are exactly {@code flags} (tcpdump letters, e.g. "F." for FIN+ACK). */
    public List<TraceEvent.SegmentEvent> sent(String host, String flags) {
        return events.stream().filter(e -> e instanceof TraceEvent.SegmentEvent s && e.host().equals(host)
                        && TraceEvent.SegmentEvent.OUT.equals(s.dir()) && TcpFlags.tcpdump(s.segment().flags).equals(flags))
                .map(e -> (TraceEvent.SegmentEvent) e).toList();
    }

    /** The bare ACKs carrying SND.UNA - 1 that {@code host} sent on {@code c}: keepalive and zero-window probes alike. */
    public List<TraceEvent.SegmentEvent> probes(String host, Connection c) {
        int probeSeq = c.status(net.now()).sndUna() - 1;
        return sent(host, ".").stream()
                .filter(s -> s.segment().payloadLength == 0 && s.segment().seq == probeSeq).toList();
    }

    public List<TraceEvent.DropEvent> drops(String host) {
        return events.stream().filter(e -> e instanceof TraceEvent.DropEvent && e.host().equals(host))
                .map(e -> (TraceEvent.DropEvent) e).toList();
    }
}
