package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Segment;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Two connections joined by a lossless link with a fixed one-way delay, in virtual
 * time: no host, no wall clock. After every delivery or timer the {@code apps} step
 * runs, so a test plays both applications (write what fits, read what arrived).
 */
final class LinkedPair {
    final Connection client, server;
    long now;
    /** The largest window the server offered, in bytes (the field times its scale). */
    long serverWindowMax;
    private final long delay;
    private final PriorityQueue<Flight> flights =
            new PriorityQueue<>(Comparator.comparingLong(Flight::at).thenComparingLong(Flight::order));
    private long order;

    private record Flight(long at, long order, Connection to, Segment segment) {}

    LinkedPair(Sysctls cfg, Consumer<SocketOptions> clientOpts, Consumer<SocketOptions> serverOpts, Duration oneWay) {
        delay = oneWay.toNanos();
        IpAddress a = IpAddress.parse("10.0.0.1"), b = IpAddress.parse("10.0.0.2");
        SocketOptions co = new SocketOptions(cfg), so = new SocketOptions(cfg);
        clientOpts.accept(co);
        serverOpts.accept(so);
        Connection[] ends = new Connection[2];
        client = new Connection(cfg, co, new FourTuple(a, 40000, b, 80), 1000, 0,
                seg -> send(ends[1], seg), new ConnectionEvents() {});
        server = new Connection(cfg, so, new FourTuple(b, 80, a, 40000), 9000, 0,
                seg -> { serverWindowMax = Math.max(serverWindowMax, (long) seg.window << scaleOf(ends[1], seg)); send(ends[0], seg); },
                new ConnectionEvents() {});
        ends[0] = client;
        ends[1] = server;
    }

    private static int scaleOf(Connection from, Segment seg) {
        return seg.syn() || !from.agreed.wscaleOk ? 0 : from.agreed.rcvWscale;
    }

    private void send(Connection to, Segment seg) {
        flights.add(new Flight(now + delay, order++, to, seg.copy()));
    }

    /** Opens the connection and runs until nothing is in flight and no timer is due before {@code limit}. */
    void run(Duration limit, Runnable apps) throws ErrnoException {
        server.openPassive(now);
        client.openActive(now);
        long end = now + limit.toNanos();
        while (true) {
            apps.run();
            long next = Math.min(client.nextDeadline(), server.nextDeadline());
            if (!flights.isEmpty()) next = Math.min(next, flights.peek().at());
            if (next > end || next == Long.MAX_VALUE) return;
            now = Math.max(now, next);
            Flight f = flights.peek();
            if (f != null && f.at() <= now) {
                flights.poll();
                f.to().segmentArrives(f.segment(), now);
            } else {
                if (client.nextDeadline() <= now) client.onTimer(now);
                if (server.nextDeadline() <= now) server.onTimer(now);
            }
        }
    }
}
