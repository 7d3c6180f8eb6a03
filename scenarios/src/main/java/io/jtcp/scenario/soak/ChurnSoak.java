package io.jtcp.scenario.soak;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.host.Stack;
import io.jtcp.link.sim.LinkParams;
import io.jtcp.link.sim.SimHost;
import io.jtcp.link.sim.SimNetwork;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpAddress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Connection churn over a hostile link in virtual time. Connections start in waves
 * ({@code waveSize} at once, {@code waveGap} apart, {@code burstWaves} waves a burst),
 * the bursts spread evenly over {@code duration}. Each client sends a request of up to
 * {@code maxRequest} bytes and half-closes; the server answers up to {@code maxReply}
 * bytes and closes. The client draws its ports from a range of {@code clientPorts}, so
 * under churn new connections must take over 4-tuples still in TIME_WAIT (tcp_tw_reuse=1)
 * or wait for a port (EADDRNOTAVAIL, retried a second later as an application would).
 * With {@code tsNearWrap} the client's timestamp clock is first wound (by idling the
 * network) to a quarter of the run before 2^32 ms, so TSval wraps in the middle of it.
 */
public final class ChurnSoak {
    private static final IpAddress CLIENT = IpAddress.parse("10.0.0.1");
    private static final IpAddress SERVER = IpAddress.parse("10.0.0.2");
    private static final int PORT = 80;
    public static final String TIME_WAIT_REUSED = "TIME_WAIT reused (TWRecycled)";
    public static final String TS_WRAPPED = "client TSval wrapped";
    public static final String CORRUPT_DROPS = "corrupt packets dropped";

    /** The soak's size and link. */
    public record Config(int connections, Duration duration, int waveSize, int burstWaves, Duration waveGap,
                         int maxRequest, int maxReply, double loss, double duplicate, double reorder, double corrupt,
                         int clientPorts, boolean tsNearWrap, long seed) {
        /** The CI size: a few seconds of wall clock. */
        public static Config small() {
            return new Config(600, Duration.ofDays(1), 20, 5, Duration.ofSeconds(5), 16 << 10, 4 << 10,
                    0.10, 0.05, 0.05, 0.01, 40, true, 2026);
        }

        public Config withConnections(int n) {
            return new Config(n, duration, waveSize, burstWaves, waveGap, maxRequest, maxReply, loss, duplicate, reorder,
                    corrupt, clientPorts, tsNearWrap, seed);
        }

        public Config withDuration(Duration d) {
            return new Config(connections, d, waveSize, burstWaves, waveGap, maxRequest, maxReply, loss, duplicate, reorder,
                    corrupt, clientPorts, tsNearWrap, seed);
        }

        public Config withSizes(int request, int reply) {
            return new Config(connections, duration, waveSize, burstWaves, waveGap, request, reply, loss, duplicate, reorder,
                    corrupt, clientPorts, tsNearWrap, seed);
        }

        public Config withWaves(int size, int perBurst, Duration gap, int ports) {
            return new Config(connections, duration, size, perBurst, gap, maxRequest, maxReply, loss, duplicate, reorder,
                    corrupt, ports, tsNearWrap, seed);
        }

        public Config withSeed(long s) {
            return new Config(connections, duration, waveSize, burstWaves, waveGap, maxRequest, maxReply, loss, duplicate,
                    reorder, corrupt, clientPorts, tsNearWrap, s);
        }

        int perBurst() { return waveSize * burstWaves; }

        int bursts() { return (connections + perBurst() - 1) / perBurst(); }
    }

    private final Config config;
    private final PrintStream progress;
    private final SoakLedger ledger = new SoakLedger();
    private SimNetwork net;
    private Stack client, server;
    private long connectRetries;

    /** {@code progress} gets a line every tenth of the connections (null: quiet). */
    public ChurnSoak(Config config, PrintStream progress) {
        this.config = config;
        this.progress = progress;
    }

    public SoakLedger ledger() { return ledger; }

    public Stack client() { return client; }

    public Stack server() { return server; }

    public SoakReport run() throws ErrnoException {
        long wallStart = System.nanoTime();
        net = new SimNetwork(config.seed());
        net.setDefaultLink(LinkParams.DEFAULT.withLoss(config.loss()).withDuplicate(config.duplicate())
                .withReorder(config.reorder(), Duration.ofMillis(10)).withCorrupt(config.corrupt()));
        Sysctls cfg = Sysctls.linux();
        Sysctls clientCfg = cfg.set("ip_local_port_range", "40000 " + (40000 + config.clientPorts() - 1)).set("tcp_tw_reuse", "1");
        client = SimHost.create(net, "client", CLIENT.toString(), clientCfg, config.seed() * 2 + 1).stack();
        server = SimHost.create(net, "server", SERVER.toString(), cfg, config.seed() * 2 + 2).stack();
        long tsStart = config.tsNearWrap() ? windClientClockNearWrap() : -1;
        long start = net.now();
        server.listen(PORT, (c, now) -> SoakPeer.server(ledger));
        schedule(start);

        long duration = config.duration().toNanos();
        long limit = start + duration + Duration.ofDays(1).toNanos();
        int[] reported = {0};
        boolean drained = net.runWhile(() -> {
            if (progress != null && ledger.done() * 10L / config.connections() > reported[0]) {
                reported[0] = (int) (ledger.done() * 10L / config.connections());
                progress.printf("  %d/%d connections done at %.2f virtual days, %.0f s wall%n", ledger.done(),
                        config.connections(), (net.now() - start) / 86_400e9, (System.nanoTime() - wallStart) / 1e9);
            }
            return !ledger.allDone() || client.connectionCount() + server.connectionCount()
                    + client.timeWaitCount() + server.timeWaitCount() > 0;
        }, limit);
        long virtual = net.now() - start;
        boolean tsWrapped = tsStart >= 0 && tsStart + virtual / 1_000_000L >= 1L << 32;
        Map<String, Long> facts = new LinkedHashMap<>();
        facts.put(TIME_WAIT_REUSED, client.counters().asMap(0).getOrDefault("TcpExtTWRecycled", 0L));
        facts.put("connect retries (EADDRNOTAVAIL)", connectRetries);
        facts.put(TS_WRAPPED, tsWrapped ? 1L : 0L);
        facts.put(CORRUPT_DROPS, drops(DropReason.TCP_BAD_CHECKSUM) + drops(DropReason.IP_BAD_CHECKSUM));
        facts.put("PAWS drops", drops(DropReason.PAWS));
        return new SoakReport("churn", config.connections(), ledger.bytes(), virtual, System.nanoTime() - wallStart, drained,
                ledger.failureCount(), ledger.failures(5).stream().map(SoakTransfer::describe).toList(),
                Leftovers.of(client, 0), Leftovers.of(server, 1), facts);
    }

    /**
     * Learns the client's timestamp clock from a SYN to a closed port, then lets the idle network
     * run until that clock stands a quarter of the run (at most a day) before 2^32 ms.
     */
    private long windClientClockNearWrap() throws ErrnoException {
        TimestampClock clock = new TimestampClock(CLIENT);
        net.addTap(clock);
        client.connect(SERVER, PORT, new io.jtcp.host.SocketHandler() {}, net.now());
        if (!net.runUntilIdle(net.now() + Duration.ofMinutes(10).toNanos()) || !clock.sampled()) {
            throw new IllegalStateException("the clock probe did not finish");
        }
        long lead = Math.min(config.duration().toMillis() / 4, Duration.ofDays(1).toMillis());
        net.runFor(clock.nanosUntil((1L << 32) - lead, net.now()));
        return clock.tsValAt(net.now());
    }

    private void schedule(long start) {
        SplittableRandom sizes = new SplittableRandom(config.seed());
        long burstInterval = config.duration().toNanos() / config.bursts();
        for (int i = 0; i < config.connections(); i++) {
            SoakTransfer t = ledger.add(sizes.nextInt(config.maxRequest() + 1), sizes.nextInt(config.maxReply() + 1));
            int burst = i / config.perBurst();
            int wave = i % config.perBurst() / config.waveSize();
            connectAt(t, start + burst * burstInterval + wave * config.waveGap().toNanos());
        }
    }

    private void connectAt(SoakTransfer t, long at) {
        net.at(at, () -> {
            try {
                client.connect(SERVER, PORT, SoakPeer.client(ledger, t), net.now());
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EADDRNOTAVAIL) throw new IllegalStateException("connect #" + t.id, e);
                connectRetries++;
                connectAt(t, net.now() + 1_000_000_000L);
            }
        });
    }

    private long drops(DropReason r) {
        return client.counters().drops(r) + server.counters().drops(r);
    }
}
