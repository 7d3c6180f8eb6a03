package io.jtcp.tun;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The write side's gluing and the virtio-net header, without a device. */
class SegmentCoalescerTest {
    private final byte[] frameBytes = new byte[TunDevice.MAX_FRAME];
    private final MemorySegment frame = MemorySegment.ofArray(frameBytes);
    private final List<byte[]> frames = new ArrayList<>();
    private final SegmentCoalescer glue = new SegmentCoalescer(frame, true, true, len -> frames.add(Arrays.copyOf(frameBytes, len)));

    private static final IpAddress A = IpAddress.parse("10.77.0.2"), B = IpAddress.parse("10.77.0.1");
    private static final IpAddress A6 = IpAddress.parse("fd77::2"), B6 = IpAddress.parse("fd77::1");

    private static byte[] segment(IpAddress src, IpAddress dst, int seq, int ack, int flags, byte[] payload, int off, int len) {
        Segment s = new Segment();
        s.srcAddr = src;
        s.dstAddr = dst;
        s.srcPort = 40000;
        s.dstPort = 7;
        s.seq = seq;
        s.ack = ack;
        s.flags = flags;
        s.window = 5000;
        s.hasTimestamps = true;
        s.tsVal = 11;
        s.tsEcr = 22;
        s.payload(payload, off, len);
        byte[] out = new byte[PacketCodec.MAX_PACKET_LENGTH];
        int n = PacketCodec.encode(s, out, 0, false, true);
        return Arrays.copyOf(out, n);
    }

    private void add(byte[] p) throws NativeException {
        glue.add(p, 0, p.length);
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + 7);
        return b;
    }

    /** Decodes a frame's packet after finishing its partial checksum the way the kernel would: it must verify. */
    private static Segment decode(byte[] f) {
        MemorySegment h = MemorySegment.ofArray(f);
        byte[] packet = Arrays.copyOfRange(f, VnetHeader.SIZE, f.length);
        VnetHeader.completeChecksum(h, packet, packet.length);
        Segment s = new Segment();
        assertThat(PacketCodec.decode(packet, 0, packet.length, s, true)).isNull();
        return s;
    }

    @Test
    void contiguousSegmentsBecomeOneSuperSegmentThatTheKernelCanCut() throws Exception {
        byte[] data = pattern(3500);
        add(segment(A, B, 1000, 9, TcpFlags.ACK, data, 0, 1000));
        add(segment(A, B, 2000, 9, TcpFlags.ACK, data, 1000, 1000));
        add(segment(A, B, 3000, 9, TcpFlags.ACK, data, 2000, 1000));
        add(segment(A, B, 4000, 9, TcpFlags.ACK | TcpFlags.PSH, data, 3000, 500));
        // The short last segment closes the super-segment without waiting for the flush.
        assertThat(frames).hasSize(1);
        MemorySegment h = MemorySegment.ofArray(frames.getFirst());
        assertThat(VnetHeader.gsoType(h)).isEqualTo(VnetHeader.GSO_TCPV4);
        assertThat(VnetHeader.gsoSize(h)).isEqualTo(1000);
        assertThat(VnetHeader.flags(h)).isEqualTo(VnetHeader.F_NEEDS_CSUM);
        assertThat(VnetHeader.csumStart(h)).isEqualTo(20);
        assertThat(VnetHeader.csumOffset(h)).isEqualTo(16);
        assertThat(VnetHeader.hdrLen(h)).isEqualTo(20 + 32);
        Segment s = decode(frames.getFirst());
        assertThat(s.seq).isEqualTo(1000);
        assertThat(s.flags).isEqualTo(TcpFlags.ACK | TcpFlags.PSH);
        assertThat(s.hasTimestamps).isTrue();
        assertThat(Arrays.copyOfRange(s.payload, s.payloadOffset, s.payloadOffset + s.payloadLength)).isEqualTo(data);
        assertThat(glue.superSegments()).isEqualTo(1);
        assertThat(glue.segmentsGlued()).isEqualTo(4);
        assertThat(glue.packetsWritten()).isEqualTo(4);
    }

    @Test
    void ipv6SegmentsAreGluedToo() throws Exception {
        byte[] data = pattern(2000);
        add(segment(A6, B6, 5, 9, TcpFlags.ACK, data, 0, 1000));
        add(segment(A6, B6, 1005, 9, TcpFlags.ACK, data, 1000, 1000));
        glue.flush();
        assertThat(frames).hasSize(1);
        MemorySegment h = MemorySegment.ofArray(frames.getFirst());
        assertThat(VnetHeader.gsoType(h)).isEqualTo(VnetHeader.GSO_TCPV6);
        assertThat(VnetHeader.csumStart(h)).isEqualTo(40);
        Segment s = decode(frames.getFirst());
        assertThat(s.payloadLength).isEqualTo(2000);
    }

    @Test
    void whatGsoCouldNotRebuildIsNotGlued() throws Exception {
        byte[] data = pattern(1000);
        add(segment(A, B, 1000, 9, TcpFlags.ACK, data, 0, 1000));
        add(segment(A, B, 2500, 9, TcpFlags.ACK, data, 0, 1000));   // a hole before it
        add(segment(A, B, 3500, 10, TcpFlags.ACK, data, 0, 1000));  // another acknowledgment
        add(segment(A, B, 4500, 10, TcpFlags.ACK, data, 0, 0));     // a bare ACK
        add(segment(A, B, 4500, 10, TcpFlags.ACK | TcpFlags.FIN, data, 0, 100)); // FIN cannot start one
        glue.flush();
        assertThat(frames).hasSize(5);
        assertThat(glue.superSegments()).isZero();
        for (byte[] f : frames) {
            assertThat(VnetHeader.gsoType(MemorySegment.ofArray(f))).isEqualTo(VnetHeader.GSO_NONE);
            decode(f); // every one goes out with a partial checksum that completes to a valid one
        }
        assertThat(decode(frames.get(1)).seq).isEqualTo(2500);
    }

    @Test
    void aLongerSegmentStartsAfreshAndFlushSendsWhatIsHeld() throws Exception {
        byte[] data = pattern(3000);
        add(segment(A, B, 0, 9, TcpFlags.ACK, data, 0, 500));
        add(segment(A, B, 500, 9, TcpFlags.ACK, data, 500, 1000)); // larger than gso_size: cannot follow
        assertThat(frames).hasSize(1);
        glue.flush();
        assertThat(frames).hasSize(2);
        glue.flush();
        assertThat(frames).hasSize(2);
    }

    @Test
    void withoutChecksumOffloadPacketsPassUntouched() throws Exception {
        SegmentCoalescer plain = new SegmentCoalescer(frame, true, false, len -> frames.add(Arrays.copyOf(frameBytes, len)));
        byte[] data = pattern(2000);
        byte[] one = segment(A, B, 1000, 9, TcpFlags.ACK, data, 0, 1000);
        plain.add(one, 0, one.length);
        byte[] two = segment(A, B, 2000, 9, TcpFlags.ACK, data, 1000, 1000);
        plain.add(two, 0, two.length);
        assertThat(frames).hasSize(2);
        assertThat(Arrays.copyOfRange(frames.get(0), VnetHeader.SIZE, frames.get(0).length)).isEqualTo(one);
        assertThat(Arrays.copyOfRange(frames.get(0), 0, VnetHeader.SIZE)).containsOnly(0);
    }

    @Test
    void refusedFramesCountEverySegmentInThem() throws Exception {
        SegmentCoalescer full = new SegmentCoalescer(frame, true, true, len -> false);
        byte[] data = pattern(2000);
        byte[] one = segment(A, B, 1000, 9, TcpFlags.ACK, data, 0, 1000);
        byte[] two = segment(A, B, 2000, 9, TcpFlags.ACK, data, 1000, 1000);
        full.add(one, 0, one.length);
        full.add(two, 0, two.length);
        full.flush();
        assertThat(full.packetsRefused()).isEqualTo(2);
        assertThat(full.packetsWritten()).isZero();
    }

    @Test
    void vnetHeaderIsLittleEndianInItsTenBytes() {
        byte[] b = new byte[VnetHeader.SIZE];
        MemorySegment m = MemorySegment.ofArray(b);
        VnetHeader.write(m, VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV6, 74, 1448, 40, 16);
        assertThat(b).containsExactly(1, 4, 74, 0, (byte) 0xa8, 5, 40, 0, 16, 0);
        assertThat(VnetHeader.gsoSize(m)).isEqualTo(1448);
        assertThat(VnetHeader.hdrLen(m)).isEqualTo(74);
        assertThat(VnetHeader.checksumTrusted(m)).isTrue();
        VnetHeader.writePlain(m);
        assertThat(VnetHeader.checksumTrusted(m)).isFalse();
        b[0] = VnetHeader.F_DATA_VALID;
        assertThat(VnetHeader.checksumTrusted(m)).isTrue();
    }

    @Test
    void theLadderAsksForLessAtEachStep() {
        assertThat(TunOffloads.ALL.ladder()).containsExactly(TunOffloads.ALL.flags(), TunOffloads.TCP.flags(), TunOffloads.CSUM, 0);
        assertThat(TunOffloads.TCP.ladder()).containsExactly(TunOffloads.TCP.flags(), TunOffloads.CSUM, 0);
        assertThat(TunOffloads.HEADER_ONLY.ladder()).containsExactly(0);
        assertThat(TunOffloads.NONE.ladder()).isEmpty();
        assertThat(TunOffloads.TCP).hasToString("vnet_hdr csum tso4 tso6");
    }
}
