package io.jtcp.shard;

/**
 * Which shard owns an arriving IP packet, read straight from its bytes (no decode, no
 * allocation), by the rules docs/architecture.md ("Scale") gives:
 *
 * <ul>
 * <li>TCP and UDP: the {@link FlowHash} of the 4-tuple. A UDP port opened on every shard
 *     is balanced by that hash as Linux's SO_REUSEPORT group balances datagrams.
 * <li>ICMP and ICMPv6 errors (unreachable, time exceeded, parameter problem, packet too
 *     big, and IPv4's source quench and redirect): the 4-tuple of the quoted packet,
 *     which the shard owning that connection sent, so the error reaches its socket.
 * <li>Fragments: the address pair alone (ports are in the first fragment only), so all
 *     fragments of a datagram meet on one shard, as a NIC's RSS hashes fragments by
 *     2-tuple.
 * <li>Everything else (echo, other protocols): the address pair.
 * <li>A packet too short or malformed to read: {@link #HERE}, the queue it came on,
 *     whose stack counts and drops it.
 * </ul>
 */
public final class PacketOwner {
    /** The packet stays on the shard whose queue it arrived on. */
    public static final int HERE = -1;
    private static final int TCP = 6, UDP = 17, ICMP = 1, ICMPV6 = 58, FRAGMENT6 = 44;

    private final FlowHash hash;
    private final int shards;

    public PacketOwner(FlowHash hash, int shards) {
        if (shards < 1) throw new IllegalArgumentException("shards " + shards);
        this.hash = hash;
        this.shards = shards;
    }

    public int shards() { return shards; }

    /** The owning shard, or {@link #HERE}. */
    public int ownerOf(byte[] p, int off, int len) {
        if (shards == 1) return 0;
        long h = flowHash(p, off, len, true);
        return h == UNREADABLE ? HERE : FlowHash.shardOf((int) h, shards);
    }

    /** flowHash's answer for a packet it cannot read; every real hash is a non-negative 32-bit value. */
    private static final long UNREADABLE = -1;

    /** The flow hash of the packet at {@code off}; {@code errorsLookInside} follows ICMP errors into the quoted packet once. */
    private long flowHash(byte[] p, int off, int len, boolean errorsLookInside) {
        if (len < 1) return UNREADABLE;
        int version = (p[off] & 0xff) >>> 4;
        if (version == 4) return flowHash4(p, off, len, errorsLookInside);
        if (version == 6) return flowHash6(p, off, len, errorsLookInside);
        return UNREADABLE;
    }

    private long flowHash4(byte[] p, int off, int len, boolean errorsLookInside) {
        if (len < 20) return UNREADABLE;
        int ihl = (p[off] & 0x0f) * 4;
        if (ihl < 20 || len < ihl) return UNREADABLE;
        long src = 0xffff_0000_0000L | u32(p, off + 12), dst = 0xffff_0000_0000L | u32(p, off + 16);
        int protocol = p[off + 9] & 0xff;
        boolean fragment = (u16(p, off + 6) & 0x3fff) != 0;  // MF or an offset
        int l4 = off + ihl, l4len = len - ihl;
        if (fragment) return unsigned(hash.hash(0, src, 0, 0, dst, 0));
        if ((protocol == TCP || protocol == UDP) && l4len >= 4) {
            return unsigned(hash.hash(0, src, u16(p, l4), 0, dst, u16(p, l4 + 2)));
        }
        if (protocol == ICMP && errorsLookInside && l4len >= 8 + 20 && isIcmp4Error(p[l4] & 0xff)) {
            long inner = flowHash(p, l4 + 8, l4len - 8, false);
            if (inner != UNREADABLE) return inner;
        }
        return unsigned(hash.hash(0, src, 0, 0, dst, 0));
    }

    private long flowHash6(byte[] p, int off, int len, boolean errorsLookInside) {
        if (len < 40) return UNREADABLE;
        long srcHi = u64(p, off + 8), srcLo = u64(p, off + 16), dstHi = u64(p, off + 24), dstLo = u64(p, off + 32);
        int next = p[off + 6] & 0xff, at = off + 40, end = off + len;
        // Past the extension headers Linux's ipv6_skip_exthdr would skip; a fragment header ends the walk.
        while ((next == 0 || next == 43 || next == 60 || next == FRAGMENT6) && at + 8 <= end) {
            if (next == FRAGMENT6) return unsigned(hash.hash(srcHi, srcLo, 0, dstHi, dstLo, 0));
            int extLen = ((p[at + 1] & 0xff) + 1) * 8;
            next = p[at] & 0xff;
            at += extLen;
        }
        if (at > end) return UNREADABLE;
        if ((next == TCP || next == UDP) && end - at >= 4) {
            return unsigned(hash.hash(srcHi, srcLo, u16(p, at), dstHi, dstLo, u16(p, at + 2)));
        }
        // ICMPv6 errors are types 1-127 (RFC 4443 §2.1).
        if (next == ICMPV6 && errorsLookInside && end - at >= 8 + 40 && (p[at] & 0xff) < 128) {
            long inner = flowHash(p, at + 8, end - at - 8, false);
            if (inner != UNREADABLE) return inner;
        }
        return unsigned(hash.hash(srcHi, srcLo, 0, dstHi, dstLo, 0));
    }

    private static long unsigned(int hash) {
        return hash & 0xffff_ffffL;
    }

    /** Destination unreachable, source quench, redirect, time exceeded, parameter problem (RFC 792). */
    private static boolean isIcmp4Error(int type) {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    private static int u16(byte[] p, int at) {
        return (p[at] & 0xff) << 8 | p[at + 1] & 0xff;
    }

    private static long u32(byte[] p, int at) {
        return (long) u16(p, at) << 16 | u16(p, at + 2);
    }

    private static long u64(byte[] p, int at) {
        return u32(p, at) << 32 | u32(p, at + 4);
    }
}
