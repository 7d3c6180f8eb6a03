package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.host.Listening;
import io.jtcp.tcp.Connection;
import io.jtcp.api.ConnectionStatus;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import io.jtcp.wire.FourTuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static io.jtcp.scenario.World.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random bind/connect/close/listen sequences between two hosts with a four-port
 * ephemeral range, under random tcp_tw_reuse and tcp_max_tw_buckets. Invariants:
 * connect never hands out a 4-tuple that is still in TIME_WAIT unless the entry was
 * taken over (TWRecycled): by tcp_tw_reuse for an ephemeral port, or by a connect from
 * a bound port (Linux's tcp_twsk_unique), and once everything is closed and TIME_WAIT
 * has run out, no port share is left behind.
 */
class PortTablePropertiesTest {

    sealed interface Step {}

    /** Connect from an ephemeral port (localPort 0) or a fixed one, to server port 80 or 81. */
    record Connect(int localPort, int serverPort, boolean reuseAddr) implements Step {}

    record CloseClient(int pick) implements Step {}

    record CloseServer(int pick) implements Step {}

    /** Closes the listener on the port if there is one, else listens there. */
    record ToggleListener(int port, boolean reuseAddr) implements Step {}

    record Advance(long millis) implements Step {}

    @Property(tries = 150)
    void portsNeverLeakAndTimeWaitTuplesAreNeverReusedUnlessAllowed(
            @ForAll("reuse") int twReuse, @ForAll("buckets") int maxTwBuckets, @ForAll("steps") List<Step> steps)
            throws Exception {
        Sysctls cfg = Sysctls.linux().set("ip_local_port_range", "40000 40003")
                .set("tcp_tw_reuse", Integer.toString(twReuse))
                .set("tcp_max_tw_buckets", Integer.toString(maxTwBuckets));
        World p = new World(7, cfg);
        List<Connection> clients = new ArrayList<>(), servers = new ArrayList<>();
        Map<Integer, Listening> listeners = new HashMap<>();
        for (int port : new int[] {80, 81}) listeners.put(port, listen(p, cfg, port, false, servers));

        for (Step step : steps) {
            long now = p.net.now();
            switch (step) {
                case Connect c -> {
                    Set<FourTuple> inTimeWait = p.client.connections().stream()
                            .filter(s -> s.state() == State.TIME_WAIT).map(ConnectionStatus::tuple)
                            .collect(Collectors.toSet());
                    long recycled = p.client.counters().timeWaitRecycled;
                    SocketOptions opts = new SocketOptions(cfg);
                    opts.reuseAddr = c.reuseAddr();
                    try {
                        Connection conn = p.client.connect(c.localPort(), SERVER, c.serverPort(), opts,
                                new App(p.net), now);
                        clients.add(conn);
                        if (inTimeWait.contains(conn.tuple())) {
                            // tcp_tw_reuse governs ephemeral ports only; a connect from a bound port takes over
                            // a TIME_WAIT with timestamps (on here) whatever it says (tcp_twsk_unique without twp).
                            assertThat(twReuse != 0 || c.localPort() != 0)
                                    .as("a TIME_WAIT 4-tuple handed to an ephemeral connect without tcp_tw_reuse").isTrue();
                            assertThat(p.client.counters().timeWaitRecycled).isEqualTo(recycled + 1);
                        }
                    } catch (ErrnoException e) {
                        assertThat(e.errno()).isIn(Errno.EADDRINUSE, Errno.EADDRNOTAVAIL);
                    }
                }
                case CloseClient c -> {
                    if (!clients.isEmpty()) clients.remove(c.pick() % clients.size()).close(now);
                }
                case CloseServer c -> {
                    if (!servers.isEmpty()) servers.remove(c.pick() % servers.size()).close(now);
                }
                case ToggleListener t -> {
                    Listening l = listeners.remove(t.port());
                    if (l != null) {
                        l.close(now);
                    } else {
                        try {
                            listeners.put(t.port(), listen(p, cfg, t.port(), t.reuseAddr(), servers));
                        } catch (ErrnoException e) {
                            assertThat(e.errno()).isEqualTo(Errno.EADDRINUSE);
                        }
                    }
                }
                case Advance a -> p.net.runUntil(now + ms(a.millis()));
            }
        }

        long now = p.net.now();
        listeners.values().forEach(l -> l.close(now));
        clients.forEach(c -> c.close(now));
        servers.forEach(c -> c.close(now));
        p.net.runUntil(now + seconds(1));
        // Connections accepted during the last second may still be waiting for their application.
        servers.forEach(c -> c.close(p.net.now()));
        assertThat(p.runUntilEmpty()).isTrue();
        for (var host : List.of(p.client, p.server)) {
            assertThat(host.connectionCount()).as(host.name() + " TCBs").isZero();
            assertThat(host.timeWaitCount()).as(host.name() + " TIME_WAIT entries").isZero();
            assertThat(host.portsInUse()).as(host.name() + " ports").isZero();
            assertThat(host.nextDeadline()).as(host.name() + " timers").isEqualTo(Long.MAX_VALUE);
        }
    }

    private static Listening listen(World p, Sysctls cfg, int port, boolean reuseAddr, List<Connection> servers)
            throws ErrnoException {
        SocketOptions opts = new SocketOptions(cfg);
        opts.reuseAddr = reuseAddr;
        return p.server.listen(port, 16, opts, (l, now) -> {
            for (Connection c; (c = l.accept((conn, t) -> new App(p.net))) != null; ) servers.add(c);
        });
    }

    @Provide
    Arbitrary<Integer> reuse() {
        return Arbitraries.of(0, 1, 2);
    }

    @Provide
    Arbitrary<Integer> buckets() {
        return Arbitraries.of(0, 2, 262_144);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> connect = Combinators.combine(
                Arbitraries.of(0, 0, 0, 40000, 40001, 50000),
                Arbitraries.of(80, 81),
                Arbitraries.of(false, true)).as(Connect::new);
        Arbitrary<Step> closeClient = Arbitraries.integers().between(0, 50).map(CloseClient::new);
        Arbitrary<Step> closeServer = Arbitraries.integers().between(0, 50).map(CloseServer::new);
        Arbitrary<Step> toggle = Combinators.combine(Arbitraries.of(80, 81), Arbitraries.of(false, true))
                .as(ToggleListener::new);
        Arbitrary<Step> advance = Arbitraries.of(1L, 50L, 1_200L, 30_000L, 61_000L).map(Advance::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, connect),
                net.jqwik.api.Tuple.of(3, closeClient),
                net.jqwik.api.Tuple.of(3, closeServer),
                net.jqwik.api.Tuple.of(1, toggle),
                net.jqwik.api.Tuple.of(3, advance)).list().ofMinSize(1).ofMaxSize(40);
    }
}
