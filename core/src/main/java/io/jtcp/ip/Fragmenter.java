package io.jtcp.ip;

import io.jtcp.wire.Bytes;
import io.jtcp.wire.Checksum;

import java.util.Arrays;

/**
 * Splits an outgoing IP datagram larger than the MTU into fragments (Linux's ip_fragment
 * and ip6_fragment, slow path), handing each to a {@link Sink} in order. A rare path: one
 * scratch buffer per call, reused for every fragment.
 */
public final class Fragmenter {
    private Fragmenter() {}

    /** Takes one fragment, valid during the call only: copy it to keep it. */
    @FunctionalInterface
    public interface Sink {
        void fragment(byte[] buf, int off, int len);
    }

    private static final int DF = 0x4000, MF = 0x2000, OFFSET_MASK = 0x1fff;
    private static final int OPT_END = 0, OPT_NOP = 1, OPT_COPIED = 0x80;
    private static final int V6_HEADER = 40, V6_FRAGMENT_HEADER = 8, NEXT_FRAGMENT = 44;
    private static final int HOP_BY_HOP = 0, ROUTING = 43, DEST_OPTIONS = 60;

    /**
     * Fragments the IPv4 datagram at {@code packet[off...]} (its total length field says how
     * long) for {@code mtu}: each fragment carries the header, its options reduced to those
     * with the copied flag past the first (ip_options_fragment fills the rest with NOPs), a
     * multiple of 8 bytes except the last, MF on all but the last (the last keeps MF if the
     * datagram was itself a non-last fragment), and a fresh checksum. Returns how many
     * fragments went to the sink; 0, and none, if DF is set: the caller then answers
     * "fragmentation needed" or EMSGSIZE as ip_fragment does (FragFails). A datagram that fits
     * goes to the sink whole.
     */
    public static int fragment4(byte[] packet, int off, int mtu, Sink sink) {
        int total = Bytes.u16(packet, off + 2);
        if (total <= mtu) {
            sink.fragment(packet, off, total);
            return 1;
        }
        int flags = Bytes.u16(packet, off + 6);
        if ((flags & DF) != 0) return 0;
        int headerLength = (packet[off] & 0x0f) * 4;
        int chunk = (mtu - headerLength) & ~7;
        if (chunk < 8) throw new IllegalArgumentException("MTU " + mtu + " leaves no room past a " + headerLength + "-byte header");
        int firstOffset = (flags & OFFSET_MASK) * 8;
        boolean datagramMoreFragments = (flags & MF) != 0;
        int payload = total - headerLength;

        byte[] out = new byte[headerLength + chunk];
        System.arraycopy(packet, off, out, 0, headerLength);
        int count = 0;
        for (int pos = 0; pos < payload; pos += chunk) {
            int n = Math.min(chunk, payload - pos);
            boolean more = pos + n < payload || datagramMoreFragments;
            if (count == 1) keepCopiedOptions(out, headerLength);
            Bytes.put16(out, 2, headerLength + n);
            Bytes.put16(out, 6, (firstOffset + pos) / 8 | (more ? MF : 0));
            Bytes.put16(out, 10, 0);
            Bytes.put16(out, 10, Checksum.ipv4Header(out, 0, headerLength));
            System.arraycopy(packet, off + headerLength + pos, out, headerLength, n);
            sink.fragment(out, 0, headerLength + n);
            count++;
        }
        return count;
    }

    /** Replaces the options a non-first fragment does not carry with NOPs, keeping the header's length (RFC 791). */
    private static void keepCopiedOptions(byte[] h, int headerLength) {
        for (int i = 20; i < headerLength; ) {
            int type = h[i] & 0xff;
            if (type == OPT_END) return;
            if (type == OPT_NOP) {
                i++;
                continue;
            }
            int length = i + 1 < headerLength ? h[i + 1] & 0xff : 0;
            if (length < 2 || i + length > headerLength) return;
            if ((type & OPT_COPIED) == 0) Arrays.fill(h, i, i + length, (byte) OPT_NOP);
            i += length;
        }
    }

    /**
     * Fragments the IPv6 packet at {@code packet[off...]} (its payload length field says how
     * long) for {@code mtu}, as RFC 8200 §4.5 and ip6_fragment do: each fragment repeats the
     * per-fragment headers, found as ip6_find_1stfragopt finds them (hop-by-hop, routing, and
     * destination options ahead of a routing header or of the upper layer), then a fragment
     * header naming what followed them, offset in 8-byte units, M on all but the last and
     * {@code id}, then a multiple of 8 bytes of the rest except in the last. Returns how many
     * fragments went to the sink; a packet that fits goes whole.
     */
    public static int fragment6(byte[] packet, int off, int mtu, int id, Sink sink) {
        int total = V6_HEADER + Bytes.u16(packet, off + 4);
        if (total <= mtu) {
            sink.fragment(packet, off, total);
            return 1;
        }
        int field = off + 6, pos = off + V6_HEADER;
        boolean routingSeen = false;
        for (int next = packet[field] & 0xff;
             next == HOP_BY_HOP || next == ROUTING || next == DEST_OPTIONS && !routingSeen;
             next = packet[field] & 0xff) {
            routingSeen |= next == ROUTING;
            field = pos;
            pos += ((packet[pos + 1] & 0xff) + 1) * 8;
        }
        int unfragmentable = pos - off;
        int nextHeaderAt = field - off;
        int chunk = (mtu - unfragmentable - V6_FRAGMENT_HEADER) & ~7;
        if (chunk < 8) throw new IllegalArgumentException("MTU " + mtu + " leaves no room past " + unfragmentable + " bytes of headers");
        int payload = total - unfragmentable;
        int firstNext = packet[field] & 0xff;

        int headers = unfragmentable + V6_FRAGMENT_HEADER;
        byte[] out = new byte[headers + chunk];
        System.arraycopy(packet, off, out, 0, unfragmentable);
        out[nextHeaderAt] = NEXT_FRAGMENT;
        out[unfragmentable] = (byte) firstNext;
        out[unfragmentable + 1] = 0;
        Bytes.put32(out, unfragmentable + 4, id);
        int count = 0;
        for (int p = 0; p < payload; p += chunk) {
            int n = Math.min(chunk, payload - p);
            Bytes.put16(out, 4, headers - V6_HEADER + n);
            Bytes.put16(out, unfragmentable + 2, p | (p + n < payload ? 1 : 0));
            System.arraycopy(packet, off + unfragmentable + p, out, headers, n);
            sink.fragment(out, 0, headers + n);
            count++;
        }
        return count;
    }
}
