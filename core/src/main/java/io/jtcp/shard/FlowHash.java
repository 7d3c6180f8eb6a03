package io.jtcp.shard;

import io.jtcp.wire.IpAddress;

/**
 * The one hash that decides which shard owns a flow: seeded, cheap (three 64-bit mixes,
 * no table, no allocation) and symmetric, so a packet and its reply hash alike, as
 * Linux's flow dissector makes its hash (__flow_hash_consistentify orders the two ends)
 * and as RSS does with a symmetric Toeplitz key. Symmetry lets two sharded hosts that
 * share a seed (the in-memory network, the scale benchmark) keep both ends of a flow on
 * shards of the same index; it is not needed for correctness, since each host steers by
 * its own hash.
 *
 * <p>Not Toeplitz: a software hash has no NIC to agree with, and the kernel's TUN queue
 * choice is keyed by a secret we cannot read anyway, so steering corrects what the link
 * gets wrong (docs/architecture.md, "Scale").
 */
public final class FlowHash {
    private final long seed;

    public FlowHash(long seed) {
        this.seed = seed;
    }

    /** The hash of the flow between {@code a}:{@code aPort} and {@code b}:{@code bPort}, either way round. */
    public int hash(IpAddress a, int aPort, IpAddress b, int bPort) {
        return hash(a.hi(), a.lo(), aPort, b.hi(), b.lo(), bPort);
    }

    /** As above on raw address halves (IPv4 as its v4-mapped form, as {@link IpAddress} holds it). */
    public int hash(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        long ea = endpoint(aHi, aLo, aPort), eb = endpoint(bHi, bLo, bPort);
        // + and ^ both commute: the two ends may come in either order.
        return (int) mix(seed ^ (ea + eb) ^ Long.rotateLeft(ea ^ eb, 29));
    }

    /** Which of {@code shards} a hash selects: the high bits, scaled (no modulo bias worth a division). */
    public static int shardOf(int hash, int shards) {
        return (int) (((hash & 0xffff_ffffL) * shards) >>> 32);
    }

    /** The shard of the flow, in one call. */
    public int shardOf(IpAddress a, int aPort, IpAddress b, int bPort, int shards) {
        return shardOf(hash(a, aPort, b, bPort), shards);
    }

    private long endpoint(long hi, long lo, int port) {
        return mix(hi * 0x9e37_79b9_7f4a_7c15L ^ lo + seed ^ (long) port << 47);
    }

    /** Stafford's variant 13 of MurmurHash3's finalizer (SplittableRandom's mixer). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
        return z ^ (z >>> 31);
    }
}
