package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.host.StackCounters;
import io.jtcp.link.sim.SimHost;
import io.jtcp.link.sim.SimNetwork;
import io.jtcp.tcp.Connection;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.SocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static io.jtcp.scenario.World.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's SYN flood (RFC 4987): 100,000 SYNs from spoofed, unreachable 10.x sources
 * over ten seconds of virtual time, while a real client connects twenty times. With
 * tcp_syncookies = 1 the server's memory stays bounded by its queues and every
 * legitimate connection succeeds through a cookie; with cookies off the SYN queue
 * stays full of half-open connections that will never complete, and the client's
 * SYNs are dropped until it gives up.
 */
class SynFloodTest {
    static final int SPOOFED_SYNS = 100_000, BATCH = 100, LEGIT_CONNECTS = 20, BACKLOG = 128;
    static final long BATCH_INTERVAL = ms(10), FLOOD_START = ms(1);

    private record Outcome(StackCounters counters, int maxServerConnections, int established, List<Errno> errors,
                           int serverConnectionsAfter) {}

    private Outcome flood(Sysctls cfg) throws Exception {
        SimNetwork net = new SimNetwork(31);
        Stack client = SimHost.create(net, "client", "10.0.0.1", cfg, 31).stack();
        Stack server = SimHost.create(net, "server", "10.0.0.2", cfg, 31).stack();
        server.listen(80, BACKLOG, new SocketOptions(cfg), (l, now) -> {
            while (l.accept((c, t) -> new App(net).closesOnEof(0)) != null) {
                // every accepted connection reads until end of stream, then closes
            }
        });

        int[] maxConnections = {0};
        SplittableRandom random = new SplittableRandom(99);
        for (int b = 0; b < SPOOFED_SYNS / BATCH; b++) {
            long at = FLOOD_START + b * BATCH_INTERVAL;
            net.at(at, () -> {
                for (int i = 0; i < BATCH; i++) net.inject(SynFloodScenario.spoofedSyn(random, SERVER, 80), at + i * (BATCH_INTERVAL / BATCH));
                maxConnections[0] = Math.max(maxConnections[0], server.connectionCount());
            });
        }

        int[] established = {0};
        List<Errno> errors = new ArrayList<>();
        for (int i = 0; i < LEGIT_CONNECTS; i++) {
            net.at(ms(250) + i * ms(500), () -> {
                try {
                    client.connect(SERVER, 80, new SocketHandler() {
                        @Override
                        public void established(Connection c, long now) {
                            established[0]++;
                            c.close(now);
                        }

                        @Override
                        public void closed(Connection c, Errno error, long now) {
                            if (error != null) errors.add(error);
                        }
                    }, net.now());
                } catch (ErrnoException e) {
                    throw new AssertionError(e);
                }
            });
        }
        long floodEnd = FLOOD_START + (SPOOFED_SYNS / BATCH) * BATCH_INTERVAL;
        // Sample the server's size through the flood and the client's retries after it.
        for (long t = 0; t < floodEnd + seconds(20); t += ms(5)) {
            net.runUntil(t);
            maxConnections[0] = Math.max(maxConnections[0], server.connectionCount());
        }
        // The spoofed half-open connections give up after tcp_synack_retries (1 + 2 + ... + 32 s = 63 s).
        net.runUntil(seconds(80));
        return new Outcome(server.counters(), maxConnections[0], established[0], errors, server.connectionCount());
    }

    @Test
    void withSyncookiesTheServerStaysSmallAndEveryLegitimateClientConnects() throws Exception {
        Sysctls cfg = Sysctls.linux().set("tcp_syncookies", "1");
        Outcome o = flood(cfg);

        assertThat(o.established()).isEqualTo(LEGIT_CONNECTS);
        assertThat(o.errors()).isEmpty();
        assertThat(o.maxServerConnections()).as("SYN queue + accept queue + a few")
                .isLessThanOrEqualTo(cfg.tcpMaxSynBacklog() + BACKLOG + 5)
                // in fact only the SYN queue's worth and the legitimate connection of the moment
                .isLessThanOrEqualTo(cfg.tcpMaxSynBacklog() + 5);
        StackCounters c = o.counters();
        // Only the first tcp_max_syn_backlog SYNs found room in the SYN queue; everything after got a cookie.
        assertThat(c.syncookiesSent).isEqualTo(SPOOFED_SYNS + LEGIT_CONNECTS - cfg.tcpMaxSynBacklog());
        assertThat(c.reqQFullDoCookies).isEqualTo(c.syncookiesSent);
        assertThat(c.syncookiesRecv).as("every legitimate connection came through a cookie").isEqualTo(LEGIT_CONNECTS);
        assertThat(c.syncookiesFailed).isZero();
        assertThat(c.passiveOpens).isEqualTo(LEGIT_CONNECTS);
        assertThat(c.listenDrops).isZero();
        assertThat(o.serverConnectionsAfter()).as("the spoofed half-open connections expired").isZero();
    }

    @Test
    void withoutSyncookiesTheSynQueueFillsAndTheLegitimateClientTimesOut() throws Exception {
        Sysctls cfg = Sysctls.linux().set("tcp_syncookies", "0").set("tcp_syn_retries", "2").set("tcp_syn_linear_timeouts", "0");
        Outcome o = flood(cfg);

        assertThat(o.established()).isZero();
        assertThat(o.errors()).hasSize(LEGIT_CONNECTS).containsOnly(Errno.ETIMEDOUT);
        assertThat(o.maxServerConnections()).isLessThanOrEqualTo(cfg.tcpMaxSynBacklog() + BACKLOG + 5);
        StackCounters c = o.counters();
        assertThat(c.syncookiesSent).isZero();
        // Every spoofed SYN past the SYN queue's room, and each legitimate SYN with its two retransmissions.
        assertThat(c.listenDrops).isEqualTo(SPOOFED_SYNS - cfg.tcpMaxSynBacklog() + 3L * LEGIT_CONNECTS);
        assertThat(c.reqQFullDrop).isEqualTo(c.listenDrops);
        assertThat(c.listenOverflows).as("the accept queue was never the problem").isZero();
        assertThat(o.serverConnectionsAfter()).isZero();
    }
}
