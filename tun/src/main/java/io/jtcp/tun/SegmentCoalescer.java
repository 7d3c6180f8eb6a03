package io.jtcp.tun;

import io.jtcp.wire.Checksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Glues the stack's consecutive TCP segments of one flow into one TSO super-segment for a
 * TUN device with a virtio-net header, the way Linux's TCP hands a TSO-capable device one
 * large skb and the device (here the kernel's GSO, tcp_gso_segment) cuts it: one IP and TCP
 * header, then the payloads back to back, with gso_size the first segment's payload. The
 * stack still segments for the peer's MSS; this only undoes the per-packet cost of the
 * device between.
 *
 * <p>A segment joins the held one when the kernel's cutting would give it back unchanged:
 * same addresses, ports, IP fields (TOS, TTL, DF; the IPv4 ID is renumbered by GSO),
 * acknowledgment, window, options byte for byte, flags (ACK, ECE) with PSH or FIN allowed on
 * the last only (tcp_gso_segment clears them on all but the last); its sequence number
 * follows the held bytes; its payload is at most gso_size, and a shorter one or one with PSH
 * or FIN ends the super-segment. A segment that starts one has payload and no SYN, RST, FIN,
 * PSH, URG or CWR (CWR would be cleared from the segments after the first).
 *
 * <p>With checksum offload every TCP packet goes out with a partial checksum (NEEDS_CSUM,
 * csum_start at the TCP header, csum_offset 16, the pseudo header's sum in the field): the
 * kernel finishes it per segment, or, delivering locally, never needs to (CHECKSUM_PARTIAL
 * counts as verified). Without it nothing is glued and packets pass with a plain header.
 *
 * <p>Frames are built in the device's native write buffer: one copy from the stack's
 * buffer, no allocation. One thread at a time.
 */
final class SegmentCoalescer {
    /** Sends the first {@code len} bytes of the frame buffer; false when the device refused it (queue full). */
    interface FrameWriter {
        boolean writeFrame(int len) throws NativeException;
    }

    private static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, CWR = 0x80;
    private static final int MAX_HEADERS = 40 + 60;
    private static final int MAX_IP_PAYLOAD = 65535;

    private final MemorySegment frame;
    private final int headerSize;
    private final boolean partialChecksum;
    private final FrameWriter out;

    /** The held super-segment's IP and TCP headers (its first segment's, flags as they grow), authoritative until flush. */
    private final byte[] held = new byte[MAX_HEADERS];
    private int heldSegments;
    private int ipHeaderLength, headersLength;
    private int gsoSize, heldPayload, heldSeq;
    private int frameLength;

    private long packetsWritten, packetsRefused, superSegments, segmentsGlued;

    /**
     * @param frame           where frames are built (the device's write buffer)
     * @param vnetHeader      frames start with a {@link VnetHeader}
     * @param partialChecksum the device does checksum offload (TUN_F_CSUM agreed): glue, and leave TCP checksums partial
     */
    SegmentCoalescer(MemorySegment frame, boolean vnetHeader, boolean partialChecksum, FrameWriter out) {
        if (partialChecksum && !vnetHeader) throw new IllegalArgumentException("a partial checksum needs the vnet header");
        this.frame = frame;
        this.headerSize = vnetHeader ? VnetHeader.SIZE : 0;
        this.partialChecksum = partialChecksum;
        this.out = out;
    }

    /** The stack's packet; the bytes are the caller's again when this returns. */
    void add(byte[] p, int off, int len) throws NativeException {
        if (!partialChecksum) {
            writeAlone(p, off, len);
            return;
        }
        int ipLen = tcpIpHeaderLength(p, off, len);
        if (ipLen < 0) {
            flush();
            writeAlone(p, off, len);
            return;
        }
        int t = off + ipLen;
        int hdrs = ipLen + ((p[t + 12] & 0xf0) >>> 2);
        int payload = len - hdrs;
        int flags = p[t + 13] & 0xff;
        if (heldSegments > 0 && joins(p, off, len, hdrs, payload, flags)) {
            append(p, off + hdrs, payload, flags);
            if (payload < gsoSize || (flags & (PSH | FIN)) != 0) flush();
            return;
        }
        flush();
        if (payload > 0 && hdrs <= MAX_HEADERS && (flags & (SYN | RST | FIN | PSH | URG | CWR)) == 0 && (flags & ACK) != 0) {
            hold(p, off, len, ipLen, hdrs, payload);
        } else {
            writeAlone(p, off, len);
        }
    }

    /** Sends what is held (the end of the stack's turn, or a packet that does not join). */
    void flush() throws NativeException {
        if (heldSegments == 0) return;
        int segments = heldSegments;
        heldSegments = 0;
        boolean v4 = (held[0] & 0xf0) == 0x40;
        int tcpLength = headersLength - ipHeaderLength + heldPayload;
        if (v4) {
            putU16(held, 2, ipHeaderLength + tcpLength);
            putU16(held, 10, 0);
            putU16(held, 10, Checksum.ipv4Header(held, 0, ipHeaderLength));
        } else {
            putU16(held, 4, tcpLength);
        }
        putU16(held, ipHeaderLength + 16, pseudoHeaderSum(held, 0, tcpLength));
        MemorySegment.copy(held, 0, frame, ValueLayout.JAVA_BYTE, headerSize, headersLength);
        int gsoType = segments == 1 ? VnetHeader.GSO_NONE : v4 ? VnetHeader.GSO_TCPV4 : VnetHeader.GSO_TCPV6;
        VnetHeader.write(frame, VnetHeader.F_NEEDS_CSUM, gsoType, segments == 1 ? 0 : headersLength,
                segments == 1 ? 0 : gsoSize, ipHeaderLength, 16);
        if (out.writeFrame(frameLength)) {
            packetsWritten += segments;
            if (segments > 1) {
                superSegments++;
                segmentsGlued += segments;
            }
        } else {
            packetsRefused += segments;
        }
    }

    /** Stack packets the device took, glued or not. */
    long packetsWritten() { return packetsWritten; }
    /** Stack packets in frames the device refused (EAGAIN: its queue was full). */
    long packetsRefused() { return packetsRefused; }
    /** Frames of more than one segment written. */
    long superSegments() { return superSegments; }
    /** Segments that went out inside those. */
    long segmentsGlued() { return segmentsGlued; }

    private boolean joins(byte[] p, int off, int len, int hdrs, int payload, int flags) {
        if (hdrs != headersLength || payload <= 0 || payload > gsoSize) return false;
        int t = ipHeaderLength;
        int seq = getInt(p, off + t + 4);
        if (seq != heldSeq + heldPayload) return false;
        if (((flags & ~(PSH | FIN)) & 0xff) != (held[t + 13] & 0xff)) return false;
        boolean v4 = (held[0] & 0xf0) == 0x40;
        // IPv4's total length covers its header, IPv6's payload length does not.
        if (headersLength - (v4 ? 0 : ipHeaderLength) + heldPayload + payload > MAX_IP_PAYLOAD) return false;
        for (int i = 0; i < hdrs; i++) {
            if (v4 && (i == 2 || i == 3 || i == 4 || i == 5 || i == 10 || i == 11)) continue; // length, ID, header checksum
            if (!v4 && (i == 4 || i == 5)) continue; // payload length
            if (i >= t + 4 && i < t + 8) continue; // sequence number
            if (i == t + 13 || i == t + 16 || i == t + 17) continue; // flags (checked above), checksum
            if (p[off + i] != held[i]) return false;
        }
        return true;
    }

    private void hold(byte[] p, int off, int len, int ipLen, int hdrs, int payload) {
        System.arraycopy(p, off, held, 0, hdrs);
        ipHeaderLength = ipLen;
        headersLength = hdrs;
        gsoSize = payload;
        heldPayload = payload;
        heldSeq = getInt(p, off + ipLen + 4);
        heldSegments = 1;
        MemorySegment.copy(p, off + hdrs, frame, ValueLayout.JAVA_BYTE, headerSize + hdrs, payload);
        frameLength = headerSize + len;
    }

    private void append(byte[] p, int payloadOff, int payload, int flags) {
        MemorySegment.copy(p, payloadOff, frame, ValueLayout.JAVA_BYTE, frameLength, payload);
        frameLength += payload;
        heldPayload += payload;
        heldSegments++;
        held[ipHeaderLength + 13] |= (byte) (flags & (PSH | FIN));
    }

    /** One packet as it is: TCP with a partial checksum when the device completes it, anything else untouched. */
    private void writeAlone(byte[] p, int off, int len) throws NativeException {
        MemorySegment.copy(p, off, frame, ValueLayout.JAVA_BYTE, headerSize, len);
        int ipLen = partialChecksum ? tcpIpHeaderLength(p, off, len) : -1;
        if (ipLen >= 0) {
            int sum = pseudoHeaderSum(p, off, len - ipLen);
            frame.set(ValueLayout.JAVA_BYTE, headerSize + ipLen + 16, (byte) (sum >>> 8));
            frame.set(ValueLayout.JAVA_BYTE, headerSize + ipLen + 17, (byte) sum);
            VnetHeader.write(frame, VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_NONE, 0, 0, ipLen, 16);
        } else if (headerSize != 0) {
            VnetHeader.writePlain(frame);
        }
        if (out.writeFrame(headerSize + len)) packetsWritten++;
        else packetsRefused++;
    }

    /**
     * The IP header's length if {@code p} is a whole TCP segment this class can handle (IPv4
     * without fragmentation, or IPv6 with TCP as its first next header, a full TCP header, the
     * IP length agreeing with {@code len}); -1 otherwise.
     */
    static int tcpIpHeaderLength(byte[] p, int off, int len) {
        if (len < 20) return -1;
        int version = (p[off] & 0xf0) >>> 4;
        int ipLen;
        if (version == 4) {
            ipLen = (p[off] & 0x0f) * 4;
            if (ipLen < 20 || p[off + 9] != Checksum.PROTO_TCP || (u16(p, off + 6) & 0x3fff) != 0 || u16(p, off + 2) != len) return -1;
        } else if (version == 6) {
            ipLen = 40;
            if (len < 40 || p[off + 6] != Checksum.PROTO_TCP || u16(p, off + 4) + 40 != len) return -1;
        } else {
            return -1;
        }
        if (len < ipLen + 20) return -1;
        int doff = (p[off + ipLen + 12] & 0xf0) >>> 2;
        return doff >= 20 && ipLen + doff <= len ? ipLen : -1;
    }

    /**
     * The TCP pseudo header's ones' complement sum (RFC 9293 §3.1; RFC 8200 §8.1), folded and
     * not inverted: what a partial checksum's field holds, so that summing from csum_start to
     * the end and inverting gives the checksum (Linux's ~tcp_v4_check(len, saddr, daddr, 0)).
     */
    static int pseudoHeaderSum(byte[] ip, int off, int tcpLength) {
        boolean v4 = (ip[off] & 0xf0) == 0x40;
        int addresses = v4 ? Checksum.partial(ip, off + 12, 8, 0) : Checksum.partial(ip, off + 8, 32, 0);
        return Checksum.fold((long) addresses + Checksum.PROTO_TCP + tcpLength);
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static void putU16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static int getInt(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }
}
