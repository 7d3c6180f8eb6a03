package io.jtcp.bench;

import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.tcp.Connection;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.wire.IpPacket;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The established fast path, per segment: decoding a data segment, encoding one, and a
 * whole exchange through two stacks (two full data segments out through Output and the
 * encoder, in through the decoder and Connection.segmentArrives, read by the
 * application, and the ACK they cause processed by the sender). Run with -prof gc: the
 * target is 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SegmentBench {
    private MemLink link;
    private Connection client;
    private final byte[] payload = new byte[2 * 1448];
    private final byte[] sink = new byte[1 << 16];
    private final IpPacket decodedIp = new IpPacket();
    private final Segment decoded = new Segment();
    private final Segment toEncode = new Segment();
    private final byte[] packet = new byte[PacketCodec.MAX_PACKET_LENGTH];
    private int packetLength;
    private long readBytes;

    @Setup
    public void setup() throws ErrnoException {
        link = MemLink.realTime();
        Sysctls cfg = Sysctls.linux();
        long now = link.now();
        Stack a = link.attach(new Stack("a", Churn.CLIENT, cfg, link.sink(), 1, now));
        Stack b = link.attach(new Stack("b", Churn.SERVER, cfg, link.sink(), 2, now));
        SocketHandler reader = new SocketHandler() {
            @Override
            public void readable(Connection c, long t) {
                try {
                    for (int n; (n = c.receive(sink, 0, sink.length, t)) > 0; ) readBytes += n;
                } catch (ErrnoException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        b.listen(80, (c, t) -> reader);
        SocketOptions o = new SocketOptions(cfg);
        o.noDelay = true;
        client = a.connect(0, Churn.SERVER, 80, o, new SocketHandler() {}, now);
        link.run();
        toEncode.srcAddr = Churn.CLIENT;
        toEncode.dstAddr = Churn.SERVER;
        toEncode.srcPort = 40000;
        toEncode.dstPort = 80;
        toEncode.seq = 1000;
        toEncode.ack = 2000;
        toEncode.flags = io.jtcp.wire.TcpFlags.ACK | io.jtcp.wire.TcpFlags.PSH;
        toEncode.window = 500;
        toEncode.hasTimestamps = true;
        toEncode.tsVal = 1;
        toEncode.tsEcr = 2;
        toEncode.payload(payload, 0, 1448);
        packetLength = PacketCodec.encode(toEncode, packet, 0);
    }

    @Benchmark
    public int decode() {
        // As the stack decodes: the IP layer, then TCP, each into its reused holder.
        PacketCodec.decodeIp(packet, 0, packetLength, decodedIp);
        PacketCodec.decode(decodedIp, decoded, true);
        return decoded.seq;
    }

    @Benchmark
    public int encode() {
        return PacketCodec.encode(toEncode, packet, 0);
    }

    /** Two full data segments and their ACK, end to end through both stacks. */
    @Benchmark
    public long dataAndAck() throws ErrnoException {
        int sent = client.send(payload, 0, payload.length, link.now());
        link.run();
        return sent + readBytes;
    }
}
