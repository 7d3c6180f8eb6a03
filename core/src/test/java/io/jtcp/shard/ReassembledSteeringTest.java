package io.jtcp.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.ip.Fragmenter;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fragments meet on the shard of their address pair; the datagram they make belongs to
 * the shard of its 4-tuple, and must go there before TCP sees it.
 */
class ReassembledSteeringTest {
    private static final int SHARDS = 8;
    private static final IpAddress CLIENT = IpAddress.parse("10.0.0.1"), SERVER = IpAddress.parse("10.0.0.2");
    private static final long NOW = 1_000_000_000L;

    @Test
    void aFragmentedSynIsAnsweredByTheShardThatOwnsItsTuple() throws ErrnoException {
        FlowHash hash = new FlowHash(9);
        /** Which shard sent each packet of the server host. */
        List<Integer> sentBy = new ArrayList<>();
        ShardedStacks server = new ShardedStacks("server", SERVER, Sysctls.linux(), SHARDS, hash, 3, NOW,
                k -> (p, off, len) -> sentBy.add(k), 64);
        server.listen(80, k -> (c, t) -> new SocketHandler() {});
        List<byte[]> fromClient = new ArrayList<>();
        Stack client = new Stack("client", CLIENT, Sysctls.linux(), (p, off, len) -> fromClient.add(Arrays.copyOfRange(p, off, off + len)),
                5, NOW);
        PacketOwner owner = new PacketOwner(hash, SHARDS);

        // A SYN whose tuple's shard is not the one its fragments meet on.
        byte[] syn;
        List<byte[]> fragments = new ArrayList<>();
        int tupleShard;
        do {
            fromClient.clear();
            client.connect(SERVER, 80, new SocketHandler() {}, NOW);
            syn = fromClient.getFirst();
            tupleShard = owner.ownerOf(syn, 0, syn.length);
            fragments.clear();
            fragment(syn, fragments);
        } while (owner.ownerOf(fragments.getFirst(), 0, fragments.getFirst().length) == tupleShard);
        int pairShard = owner.ownerOf(fragments.getFirst(), 0, fragments.getFirst().length);
        assertThat(fragments).hasSize(2);
        assertThat(owner.ownerOf(fragments.getLast(), 0, fragments.getLast().length)).isEqualTo(pairShard);

        // The NIC puts the fragments on queues that are neither shard's.
        int queue = 0;
        while (queue == pairShard || queue == tupleShard) queue++;
        for (byte[] f : fragments) server.queueArrives(queue, f, 0, f.length, NOW);
        for (int round = 0; round < 2; round++) for (int k = 0; k < SHARDS; k++) server.drainSteered(k, NOW);

        assertThat(sentBy).as("the SYN-ACK's sender").containsExactly(tupleShard);
        assertThat(server.shard(tupleShard).snapshot(NOW).listeners().getFirst().synQueue()).isEqualTo(1);
        assertThat(server.shard(pairShard).snapshot(NOW).listeners().getFirst().synQueue()).isZero();
    }

    /** The SYN as two IPv4 fragments (its DF bit cleared, as a middlebox that fragments it would need). */
    private static void fragment(byte[] packet, List<byte[]> out) {
        byte[] p = packet.clone();
        p[6] &= (byte) ~0x40;
        p[10] = 0;
        p[11] = 0;
        int sum = Checksum.ipv4Header(p, 0, 20);
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
        int half = 20 + ((p.length - 20) / 2 + 7) / 8 * 8;
        Fragmenter.fragment4(p, 0, half, (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len)));
    }
}
