package io.jtcp.tcp;

import static io.jtcp.wire.Seg.seg;

import io.jtcp.config.Sysctls;
import io.jtcp.link.PacketSink;
import io.jtcp.host.Stack;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.util.HashMap;
import java.util.Map;

/**
 * Test fixture: a stack at 10.0.0.2 listening on port 80, and peers that are no stack at
 * all, only crafted segments: each opens a connection from its own address and port with
 * sequence numbers starting at 1000 (so its next byte is 1001) and never acknowledges data.
 * Packets the stack sends to any other address go to {@link #elsewhere}.
 */
final class RawPeers {
    static final String ADDRESS = "10.0.0.2";
    static final int PORT = 80;

    final Stack stack;
    /** The stack's ISS towards each peer, from its SYN-ACK. */
    private final Map<Long, Integer> iss = new HashMap<>();
    private final Segment decoded = new Segment();
    /** Where packets for addresses other than raw peers' go. */
    PacketSink elsewhere = (p, o, n) -> { };
    /** Which destinations are raw peers (the rest go {@link #elsewhere}). */
    java.util.function.Predicate<IpAddress> isRawPeer = a -> true;
    long resetsSent;
    long now;

    RawPeers(Sysctls cfg) {
        stack = new Stack("host", IpAddress.parse(ADDRESS), cfg, this::fromStack, 1, 0);
    }

    private static long key(IpAddress address, int port) {
        return (long) address.hashCode() << 16 ^ port;
    }

    private void fromStack(byte[] packet, int offset, int length) {
        if (PacketCodec.decode(packet, offset, length, decoded) != null) throw new AssertionError("undecodable");
        if (!isRawPeer.test(decoded.dstAddr)) {
            elsewhere.send(packet, offset, length);
        } else if (decoded.flags == (TcpFlags.SYN | TcpFlags.ACK)) {
            iss.put(key(decoded.dstAddr, decoded.dstPort), decoded.seq);
        } else if ((decoded.flags & TcpFlags.RST) != 0) {
            resetsSent++;
        }
    }

    private void arrive(byte[] packet) {
        stack.packetArrives(packet, 0, packet.length, now);
    }

    /** SYN, SYN-ACK, ACK from {@code address}:{@code port}. */
    void handshake(String address, int port) {
        arrive(seg().from(address, port).to(ADDRESS, PORT).win(65535).mss(1460).sackOk().syn().seq(1000).encode());
        arrive(seg().from(address, port).to(ADDRESS, PORT).win(65535).seq(1001).ack(ackOf(address, port)).encode());
    }

    /** {@code length} bytes at {@code offset} past the peer's next byte: out of order when offset > 0. */
    void data(String address, int port, int offset, int length) {
        arrive(seg().from(address, port).to(ADDRESS, PORT).win(65535).seq(1001L + offset).ack(ackOf(address, port))
                .payload(new byte[length]).encode());
    }

    /** A reset at the peer's next sequence number, which the stack accepts at once. */
    void reset(String address, int port) {
        arrive(seg().from(address, port).to(ADDRESS, PORT).rst().seq(1001).encode());
    }

    private long ackOf(String address, int port) {
        Integer seq = iss.get(key(IpAddress.parse(address), port));
        if (seq == null) throw new AssertionError("no SYN-ACK to " + address + ":" + port);
        return seq + 1L;
    }
}
