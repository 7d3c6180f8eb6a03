package io.jtcp.tun;

import io.jtcp.wire.Checksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The virtio-net header ({@code struct virtio_net_hdr}, include/uapi/linux/virtio_net.h)
 * that precedes every packet on a TUN descriptor opened with IFF_VNET_HDR: ten bytes,
 * {@code flags, gso_type} (one byte each), then {@code hdr_len, gso_size, csum_start,
 * csum_offset} (16 bits each). A legacy TUN device on a little-endian machine speaks it in
 * little-endian order (tun_is_little_endian without TUNSETVNETLE/BE: the host's order),
 * which is what every machine jtcp's Native supports is.
 */
final class VnetHeader {
    private VnetHeader() {}

    /** sizeof(struct virtio_net_hdr): what TUNSETVNETHDRSZ is set to. */
    static final int SIZE = 10;

    /** The transport checksum is partial: the kernel (or we) fills it from csum_start, csum_offset on. */
    static final int F_NEEDS_CSUM = 1;
    /** The checksum was verified already (the kernel's CHECKSUM_UNNECESSARY). */
    static final int F_DATA_VALID = 2;

    static final int GSO_NONE = 0, GSO_TCPV4 = 1, GSO_UDP = 3, GSO_TCPV6 = 4, GSO_UDP_L4 = 5, GSO_ECN = 0x80;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static int flags(MemorySegment m) { return m.get(ValueLayout.JAVA_BYTE, 0) & 0xff; }
    static int gsoType(MemorySegment m) { return m.get(ValueLayout.JAVA_BYTE, 1) & 0xff; }
    static int hdrLen(MemorySegment m) { return m.get(U16, 2) & 0xffff; }
    static int gsoSize(MemorySegment m) { return m.get(U16, 4) & 0xffff; }
    static int csumStart(MemorySegment m) { return m.get(U16, 6) & 0xffff; }
    static int csumOffset(MemorySegment m) { return m.get(U16, 8) & 0xffff; }

    /** The checksum needs no verifying by us: the kernel left it partial (its own packet) or checked it. */
    static boolean checksumTrusted(MemorySegment m) {
        return (flags(m) & (F_NEEDS_CSUM | F_DATA_VALID)) != 0;
    }

    /**
     * Finishes a partial checksum (NEEDS_CSUM) in {@code packet}, the frame's packet without
     * its header: the sum from csum_start to the end, inverted, at csum_start + csum_offset,
     * as skb_checksum_help does. Other packets are left as they are.
     */
    static void completeChecksum(MemorySegment header, byte[] packet, int len) {
        if ((flags(header) & F_NEEDS_CSUM) == 0) return;
        int start = csumStart(header), at = start + csumOffset(header);
        if (at + 2 > len) return;
        int sum = Checksum.finish(Checksum.partial(packet, start, len - start, 0));
        if (sum == 0 && csumOffset(header) == 6) sum = 0xffff; // UDP sends a zero sum as all ones (RFC 768)
        packet[at] = (byte) (sum >>> 8);
        packet[at + 1] = (byte) sum;
    }

    static void write(MemorySegment m, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        m.set(ValueLayout.JAVA_BYTE, 0, (byte) flags);
        m.set(ValueLayout.JAVA_BYTE, 1, (byte) gsoType);
        m.set(U16, 2, (short) hdrLen);
        m.set(U16, 4, (short) gsoSize);
        m.set(U16, 6, (short) csumStart);
        m.set(U16, 8, (short) csumOffset);
    }

    /** A plain packet: no offload asked, checksums complete. */
    static void writePlain(MemorySegment m) {
        write(m, 0, GSO_NONE, 0, 0, 0, 0);
    }
}
