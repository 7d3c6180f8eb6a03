package io.jtcp.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.api.ConnectionStatus;
import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.tcp.Connection;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.IcmpWriter;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;
import io.jtcp.wire.PacketCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The steering plan of docs/architecture.md ("Scale") at 64 shards, in virtual time on one
 * thread: two sharded hosts open connections to each other in both directions (active
 * opens on random shards, passive ones on the listener every shard has), while a
 * simulated NIC puts every arriving packet on a random queue, so nearly every packet
 * lands on the wrong shard and must be steered. A router on the path drops packets over
 * 1,000 bytes with ICMP fragmentation needed, which must reach the shard of the quoted
 * connection for its transfer to finish. Nothing may be lost or misrouted: every byte of
 * every flow comes back, no segment finds no socket, every connection and TIME_WAIT entry
 * sits on the shard its hash names, each ICMP error is counted by the shard the test
 * expects, and the steering counters balance.
 */
class SteeringSimulationTest {
    private static final int SHARDS = 64, FLOWS_EACH_WAY = 256, PATH_MTU = 1000;
    private static final IpAddress A = IpAddress.parse("10.0.0.1"), B = IpAddress.parse("10.0.0.2"),
            ROUTER = IpAddress.parse("10.0.0.254");
    private static final Sysctls CFG = Sysctls.linux();

    private final ArrayDeque<byte[]> wire = new ArrayDeque<>();
    private final SplittableRandom nic = new SplittableRandom(13);
    private final FlowHash hashA = new FlowHash(0xA), hashB = new FlowHash(0xB);
    private long now = 1_000_000_000L;
    private final ShardedStacks a = hosts("a", A, hashA), b = hosts("b", B, hashB);
    /** Packets the NIC queued to each host. */
    private long queuedToA, queuedToB;
    /** ICMP errors sent to each host, by the shard that owns the quoted connection. */
    private final long[] icmpForA = new long[SHARDS], icmpForB = new long[SHARDS];
    private final List<Flow> flows = new ArrayList<>();

    private ShardedStacks hosts(String name, IpAddress address, FlowHash hash) {
        return new ShardedStacks(name, address, CFG, SHARDS, hash, address.v4(), now,
                k -> (p, off, len) -> wire.add(Arrays.copyOfRange(p, off, off + len)), 4096);
    }

    /** One connection: the client sends {@code size} bytes, the server echoes them, and the client closes once all came back. */
    private final class Flow {
        final int size;
        final int clientShard;
        Connection client;
        long echoed;
        boolean done;

        Flow(int size, int clientShard) {
            this.size = size;
            this.clientShard = clientShard;
        }

        final SocketHandler handler = new SocketHandler() {
            @Override
            public void established(Connection c, long t) {
                try {
                    assertThat(c.send(new byte[size], 0, size, t)).isEqualTo(size);
                } catch (ErrnoException e) {
                    throw new AssertionError(e);
                }
            }

            @Override
            public void readable(Connection c, long t) {
                byte[] buf = new byte[8192];
                try {
                    for (int n; (n = c.receive(buf, 0, buf.length, t)) > 0; ) echoed += n;
                    if (echoed == size && !done) {
                        done = true;
                        c.close(t);
                    }
                } catch (ErrnoException e) {
                    throw new AssertionError(e);
                }
            }
        };
    }

    /** The server's side: echoes what arrives, and closes at the client's FIN. */
    private static SocketHandler echo() {
        return new SocketHandler() {
            @Override
            public void readable(Connection c, long t) {
                byte[] buf = new byte[8192];
                try {
                    for (int n; (n = c.receive(buf, 0, buf.length, t)) != 0; ) {
                        if (n < 0) {
                            c.close(t);
                            return;
                        }
                        assertThat(c.send(buf, 0, n, t)).isEqualTo(n);
                    }
                } catch (ErrnoException e) {
                    throw new AssertionError(e);
                }
            }
        };
    }

    @Test
    void sixtyFourShardsLoseAndMisrouteNothing() throws ErrnoException {
        a.listen(80, k -> (c, t) -> echo());
        b.listen(80, k -> (c, t) -> echo());
        SplittableRandom app = new SplittableRandom(7);
        for (int i = 0; i < FLOWS_EACH_WAY; i++) {
            open(a, hashA, B, new Flow(i % 4 == 0 ? 3000 : 1 + app.nextInt(500), app.nextInt(SHARDS)));
            open(b, hashB, A, new Flow(i % 4 == 1 ? 3000 : 1 + app.nextInt(500), app.nextInt(SHARDS)));
        }
        for (int ms = 0; ms < 30_000 && !flows.stream().allMatch(f -> f.done); ms++) step();
        for (int ms = 0; ms < 100; ms++) step();  // the servers' FINs and the clients' last ACKs

        for (Flow f : flows) {
            assertThat(f.done).as("flow from shard %d of %s", f.clientShard, f.client.tuple()).isTrue();
            assertThat(f.echoed).isEqualTo(f.size);
        }
        assertNothingLostOrMisrouted(a, hashA, queuedToA, icmpForA);
        assertNothingLostOrMisrouted(b, hashB, queuedToB, icmpForB);
        // The NIC's random choice agreed with the hash about one time in 64: steering carried the rest.
        assertThat(a.steering().counters(0).forwarded + b.steering().counters(0).forwarded).isPositive();
    }

    private void open(ShardedStacks host, FlowHash hash, IpAddress server, Flow f) throws ErrnoException {
        f.client = host.shard(f.clientShard).connect(server, 80, f.handler, now);
        FourTuple t = f.client.tuple();
        // Port partitioning: the ephemeral port makes the reply hash back to the opener's shard.
        assertThat(hash.shardOf(t.localAddr(), t.localPort(), t.remoteAddr(), t.remotePort(), SHARDS)).isEqualTo(f.clientShard);
        flows.add(f);
    }

    /** Delivers everything on the wire, the NIC choosing queues at random, then one millisecond of timers. */
    private void step() {
        while (!wire.isEmpty()) {
            byte[] p = wire.poll();
            IpAddress dst = IpPacket.peekDestination(p, 0, p.length);
            boolean toA = dst.equals(A);
            if (p.length > PATH_MTU) {
                tooBig(p);
                continue;
            }
            ShardedStacks host = toA ? a : b;
            if (toA) queuedToA++;
            else queuedToB++;
            host.queueArrives(nic.nextInt(SHARDS), p, 0, p.length, now);
            for (int k = 0; k < SHARDS; k++) host.drainSteered(k, now);
        }
        now += 1_000_000;
        for (ShardedStacks host : List.of(a, b)) {
            for (int k = 0; k < SHARDS; k++) {
                Stack s = host.shard(k);
                if (s.nextDeadline() <= now) s.advance(now);
            }
        }
    }

    /** The router: a packet over the path MTU dies, and its sender hears why. */
    private void tooBig(byte[] p) {
        IpPacket offending = new IpPacket();
        assertThat(PacketCodec.decodeIp(p, 0, p.length, offending)).isNull();
        byte[] e = new byte[1280];
        int n = IcmpWriter.fragmentationNeeded(offending, PATH_MTU, ROUTER, 64, 1, e, 0);
        boolean toA = offending.src.equals(A);
        int srcPort = (p[20] & 0xff) << 8 | p[21] & 0xff, dstPort = (p[22] & 0xff) << 8 | p[23] & 0xff;
        FlowHash hash = toA ? hashA : hashB;
        (toA ? icmpForA : icmpForB)[hash.shardOf(offending.src, srcPort, offending.dst, dstPort, SHARDS)]++;
        wire.add(Arrays.copyOf(e, n));
    }

    private static void assertNothingLostOrMisrouted(ShardedStacks host, FlowHash hash, long queued, long[] icmpExpected) {
        long kept = 0, forwarded = 0, received = 0;
        for (int k = 0; k < SHARDS; k++) {
            Steering.Counters c = host.steering().counters(k);
            assertThat(c.ringFull).isZero();
            kept += c.kept;
            forwarded += c.forwarded;
            received += c.received;
            StackSnapshot s = host.shard(k).snapshot(0);
            for (ConnectionStatus cs : s.connections()) {
                FourTuple t = cs.tuple();
                assertThat(hash.shardOf(t.localAddr(), t.localPort(), t.remoteAddr(), t.remotePort(), SHARDS))
                        .as("shard of %s", t).isEqualTo(k);
            }
            assertThat(s.counters().get("IcmpInMsgs")).as("ICMP errors on shard %d", k).isEqualTo(icmpExpected[k]);
        }
        assertThat(kept + forwarded).isEqualTo(queued);
        assertThat(received).isEqualTo(forwarded);
        StackSnapshot merged = host.snapshot(0);
        assertThat(merged.drops().getOrDefault(DropReason.NO_SOCKET, 0L)).isZero();
        assertThat(merged.counters().get("TcpInSegs") + merged.counters().get("IcmpInMsgs")).isEqualTo(queued);
        // Each host's clients closed first: their TIME_WAIT entries, in the owner shards' tables, are all that is left.
        assertThat(merged.connections()).hasSize(FLOWS_EACH_WAY)
                .allSatisfy(cs -> assertThat(cs.state()).isEqualTo(io.jtcp.tcp.State.TIME_WAIT));
        assertThat(java.util.Arrays.stream(icmpExpected).sum()).isPositive();
    }
}
