package io.jtcp.scenario.soak;

import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.link.sim.LinkParams;
import io.jtcp.link.sim.SimHost;
import io.jtcp.link.sim.SimNetwork;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sequence numbers that wrap many times at a high rate: one connection over a 10 Gbit/s
 * link with light loss, duplication and reordering moves {@code bytes} from a client
 * whose ISS starts {@code issBeforeWrap} below 2^32, so SND.NXT passes 2^32 once early
 * and then once every 4 GiB. At this rate a 32-bit sequence number comes round within
 * seconds, which is what PAWS (RFC 7323 §5) is for.
 *
 * <p>The ISS is placed without a hook into the stack: RFC 6528's ISN is a 4-microsecond
 * clock plus a keyed hash of the 4-tuple, so one aborted connect from a fixed port shows
 * the hash, and the idle network is run until the clock brings that 4-tuple's ISS to
 * the wanted number.
 */
public final class SeqWrapSoak {
    private static final IpAddress CLIENT = IpAddress.parse("10.0.1.1");
    private static final IpAddress SERVER = IpAddress.parse("10.0.1.2");
    private static final int CLIENT_PORT = 41000, PORT = 80;
    private static final long FOUR_GIB = 1L << 32;
    public static final String SEQ_WRAPS = "sequence wraps";
    public static final String START_ISS = "client ISS";

    public record Config(long bytes, long issBeforeWrap, double loss, double duplicate, double reorder, long seed) {
        /** The CI size: 32 MiB, one wrap. */
        public static Config small() {
            return new Config(32L << 20, 1 << 20, 0.001, 0.001, 0.001, 7);
        }

        public Config withBytes(long b) {
            return new Config(b, issBeforeWrap, loss, duplicate, reorder, seed);
        }
    }

    private final Config config;

    public SeqWrapSoak(Config config) {
        this.config = config;
    }

    public SoakReport run() throws ErrnoException {
        long wallStart = System.nanoTime();
        SimNetwork net = new SimNetwork(config.seed());
        net.setDefaultLink(new LinkParams(500_000, 0, config.loss(), config.duplicate(), config.reorder(), 100_000, 0,
                10_000_000_000L, 0, LinkParams.NO_ECN_MARKING));
        Sysctls cfg = Sysctls.linux();
        Stack client = SimHost.create(net, "client", CLIENT.toString(), cfg, config.seed() * 2 + 1).stack();
        Stack server = SimHost.create(net, "server", SERVER.toString(), cfg, config.seed() * 2 + 2).stack();
        SocketOptions opts = new SocketOptions(cfg);
        opts.reuseAddr = true;
        int target = (int) (FOUR_GIB - config.issBeforeWrap());

        long probeAt = net.now();
        Connection probe = client.connect(CLIENT_PORT, SERVER, PORT, opts, new SocketHandler() {}, probeAt);
        long ticks = (target - probe.iss()) & 0xffff_ffffL;  // 4-microsecond ISN clock ticks from the probe to the target
        probe.abort(net.now());
        net.runUntilIdle(net.now() + Duration.ofMinutes(1).toNanos());
        while (probeAt + ticks * 4_000L <= net.now()) ticks += FOUR_GIB;
        net.runUntil(probeAt + ticks * 4_000L);

        SoakLedger ledger = new SoakLedger();
        SoakTransfer t = ledger.add(config.bytes(), 0);
        server.listen(PORT, (c, now) -> SoakPeer.server(ledger));
        long start = net.now();
        Connection c = client.connect(CLIENT_PORT, SERVER, PORT, opts, SoakPeer.client(ledger, t), start);
        int iss = c.iss();
        boolean drained = net.runWhile(() -> !ledger.allDone() || client.connectionCount() + server.connectionCount()
                + client.timeWaitCount() + server.timeWaitCount() > 0, start + Duration.ofDays(1).toNanos());

        Map<String, Long> facts = new LinkedHashMap<>();
        facts.put(START_ISS, iss & 0xffff_ffffL);
        // SYN and FIN take one number each; the data between them decides how often 2^32 is passed.
        facts.put(SEQ_WRAPS, ((iss & 0xffff_ffffL) + config.bytes() + 2) / FOUR_GIB);
        facts.put("retransmitted segments", (long) client.counters().asMap(0).getOrDefault("TcpRetransSegs", 0L));
        facts.put("PAWS drops", client.counters().drops(DropReason.PAWS) + server.counters().drops(DropReason.PAWS));
        return new SoakReport("seqwrap", 1, config.bytes(), net.now() - start, System.nanoTime() - wallStart, drained,
                ledger.failureCount(), ledger.failures(1).stream().map(SoakTransfer::describe).toList(),
                Leftovers.of(client, 0), Leftovers.of(server, 1), facts);
    }
}
