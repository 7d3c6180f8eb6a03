package io.jtcp.ip;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;

import java.util.Arrays;

/**
 * The fragments of one datagram held so far (Linux's inet_frag_queue): their byte ranges
 * kept sorted by offset and never overlapping, the end the datagram is known to reach,
 * and what the first fragment brought (its IP header, TTL, TOS) for the whole datagram
 * and for the ICMP error sent when the queue times out.
 */
final class FragmentQueue {
    enum Insert { ADDED, DUPLICATE, OVERLAP }

    final FragmentKey key;
    final long deadline;
    /** Creation order, to break deadline ties in the expiry order. */
    final long serial;
    /** Bytes charged against the family's threshold for this queue and its fragments. */
    long memory;

    /** The largest end seen, or the end the last fragment set ({@link #lastIn}): Linux's q.len. */
    int len;
    boolean lastIn;
    /** Bytes held (Linux's q.meat): complete when both ends are in and this reaches {@link #len}. */
    int meat;
    /** Linux's ip4_frag_ecn bits: one per ECN codepoint seen, for ip_frag_ecn_table. */
    int ecnSeen;
    /** Any fragment had DF set: Linux sets DF on the reassembled header then (q.max_size). */
    boolean dontFragment;

    /** The first fragment's header as it arrived (IPv6: through the fragment header), or null until it comes. */
    byte[] firstHeader;
    IpAddress src, dst;
    int protocol, ttl, tos;

    private int[] offsets = new int[4];
    private int[] ends = new int[4];
    private byte[][] data = new byte[4][];
    private int count;

    FragmentQueue(FragmentKey key, long deadline, long serial) {
        this.key = key;
        this.deadline = deadline;
        this.serial = serial;
    }

    boolean firstIn() { return firstHeader != null; }

    boolean complete() { return firstIn() && lastIn && meat == len; }

    /**
     * Adds {@code [offset, end)} copied from {@code buf[from...]}, as Linux's
     * inet_frag_queue_insert does: bytes that all lie inside a contiguous stretch already held
     * are a duplicate (dropped, the queue kept); any other intersection is an overlap.
     */
    Insert insert(int offset, int end, byte[] buf, int from) {
        int i = firstEndingAfter(offset);
        if (i < count && offsets[i] < end) {
            if (offsets[i] > offset) return Insert.OVERLAP;
            int covered = ends[i];
            for (int j = i + 1; covered < end && j < count && offsets[j] == covered; j++) covered = ends[j];
            return covered >= end ? Insert.DUPLICATE : Insert.OVERLAP;
        }
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
            data = Arrays.copyOf(data, count * 2);
        }
        System.arraycopy(offsets, i, offsets, i + 1, count - i);
        System.arraycopy(ends, i, ends, i + 1, count - i);
        System.arraycopy(data, i, data, i + 1, count - i);
        offsets[i] = offset;
        ends[i] = end;
        data[i] = Arrays.copyOfRange(buf, from, from + end - offset);
        count++;
        meat += end - offset;
        return Insert.ADDED;
    }

    /** The first held fragment whose end lies past {@code offset}: the only one that can intersect a range starting there. */
    private int firstEndingAfter(int offset) {
        int lo = 0, hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] <= offset) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Copies the datagram's {@link #len} bytes to {@code out[at...]}; only when {@link #complete()}. */
    void copyPayload(byte[] out, int at) {
        for (int i = 0; i < count; i++) System.arraycopy(data[i], 0, out, at + offsets[i], data[i].length);
    }

    /** The first fragment as it arrived, header and the bytes it carried: what ICMP "reassembly time exceeded" quotes. */
    void firstFragment(IpPacket out) {
        byte[] first = data[0];
        out.buf = new byte[firstHeader.length + first.length];
        System.arraycopy(firstHeader, 0, out.buf, 0, firstHeader.length);
        System.arraycopy(first, 0, out.buf, firstHeader.length, first.length);
        out.headerOffset = 0;
        out.payloadOffset = firstHeader.length;
        out.payloadLength = first.length;
        out.src = src;
        out.dst = dst;
        out.protocol = protocol;
        out.ttl = ttl;
        out.tos = tos;
        out.dontFragment = dontFragment;
        out.fragment = true;
        out.fragmentOffset = 0;
        out.moreFragments = true;
    }

    int fragments() { return count; }
}
