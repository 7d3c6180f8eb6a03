package io.jtcp.ip;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpPacket;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * One family's reassembly (Linux's per-netns fqdir for ipv4 or ipv6): the queues by key,
 * their expiry order, the bytes they hold against the family's high threshold, and the
 * Reasm* counters. The checks follow ip_frag_queue / ip6_frag_queue in their order.
 *
 * <p>Memory: each queue is charged {@link #QUEUE_COST} bytes while it lives and each held
 * fragment {@link #FRAGMENT_COST} plus the bytes it keeps (its payload, and for the first
 * fragment its IP header). These stand in for Linux's sizeof(struct ipq) and skb->truesize
 * and cover what the JVM spends, measured: a queue holding one 8-byte fragment (its
 * object, key, addresses, table entry, tree node and arrays) retained about 400 bytes
 * against 456 charged; small fragments in one queue retained under 40 bytes each past
 * their data against 64 charged. A fragment that would take the
 * charge past the threshold is refused, so the charge never exceeds it (Linux lets the
 * one fragment that crosses it in, then refuses until queues expire). There is no
 * eviction: ipfrag_low_thresh has done nothing since Linux 4.17.
 */
final class FragmentQueues {
    static final int QUEUE_COST = 384;
    static final int FRAGMENT_COST = 64;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int NOT_ECT = 1, CE = 8, ECN_INVALID = -1;
    private static final Comparator<FragmentQueue> BY_DEADLINE =
            Comparator.<FragmentQueue>comparingLong(q -> q.deadline).thenComparingLong(q -> q.serial);

    private final FragmentFamily family;
    private final Supplier<Sysctls> sysctls;
    private final ParameterProblem problem;
    private final Map<FragmentKey, FragmentQueue> table = new HashMap<>();
    private final TreeSet<FragmentQueue> byDeadline = new TreeSet<>(BY_DEADLINE);
    private final FragmentKey probe = new FragmentKey();
    private final IpPacket quote = new IpPacket();
    private long memory, serials;
    private DropReason drop;
    private long requests, reassembled, failures, timeouts, overlaps;

    FragmentQueues(FragmentFamily family, Supplier<Sysctls> sysctls, ParameterProblem problem) {
        this.family = family;
        this.sysctls = sysctls;
        this.problem = problem;
    }

    DropReason drop() { return drop; }

    long memory() { return memory; }

    int queues() { return table.size(); }

    long nextDeadline() { return byDeadline.isEmpty() ? Long.MAX_VALUE : byDeadline.first().deadline; }

    Reassembly.Result add(IpPacket f, long now, IpPacket whole) {
        requests++;
        drop = null;
        problem.clear();
        if (f.fragmentOffset == 0 && !f.moreFragments) {
            // RFC 6946 atomic fragment: a datagram of its own, never queued (ipv6_frag_rcv counts it reassembled).
            reassembled++;
            passThrough(f, whole);
            return Reassembly.Result.COMPLETE;
        }
        DropReason refused = family.headerProblem(f, problem);
        if (refused != null) return dropped(refused);

        int offset = f.fragmentOffset, end = family.end(f);
        int kept = Math.max(0, end - offset) + (offset == 0 ? f.payloadOffset - f.headerOffset : 0);
        long cost = FRAGMENT_COST + kept;
        long limit = sysctls.get().ip(family.highThresh);
        FragmentQueue q = table.get(probe.set(f.src, f.dst, f.fragmentId, family.keyProtocol(f)));
        if (q == null) {
            if (memory + QUEUE_COST + cost > limit) return failed(DropReason.FRAG_MEMORY_LIMIT);
            q = create(now);
        } else if (memory + cost > limit) {
            return failed(DropReason.FRAG_MEMORY_LIMIT);
        }

        if (!f.moreFragments) {
            if (end < q.len || q.lastIn && end != q.len) return discard(q, DropReason.FRAG_BAD_END);
            q.lastIn = true;
            q.len = end;
        } else if (end > q.len) {
            if (q.lastIn) return discard(q, DropReason.FRAG_BAD_END);
            q.len = end;
        }
        if (end <= offset) return discard(q, offset == 0 ? DropReason.FRAG_TINY_FIRST : DropReason.FRAG_EMPTY);
        if (end > family.maxEnd(f)) return discard(q, DropReason.FRAG_TOO_LONG);

        switch (q.insert(offset, end, f.buf, f.payloadOffset)) {
            case DUPLICATE -> {
                return dropped(DropReason.FRAG_DUPLICATE); // freed, not counted as a failure, the queue kept
            }
            case OVERLAP -> {
                overlaps++;
                return discard(q, DropReason.FRAG_OVERLAP);
            }
            case ADDED -> { }
        }
        charge(q, cost);
        if (offset == 0) keepFirst(q, f);
        q.ecnSeen |= 1 << (f.tos & 3);
        q.dontFragment |= f.dontFragment;
        return q.complete() ? assemble(q, whole) : Reassembly.Result.HELD;
    }

    /**
     * Drops every queue whose time is up, as ip_expire / ip6frag_expire_frag_queue do (each
     * a ReasmFails and a ReasmTimeout), handing {@code sink} the first fragment of those that
     * have it, for the ICMP "fragment reassembly time exceeded" Linux sends then.
     */
    int expire(long now, Reassembly.TimeExceeded sink) {
        int expired = 0;
        while (!byDeadline.isEmpty() && byDeadline.first().deadline - now <= 0) {
            FragmentQueue q = byDeadline.first();
            remove(q);
            failures++;
            timeouts++;
            expired++;
            if (q.firstIn()) {
                q.firstFragment(quote);
                quote.version = family == FragmentFamily.V6 ? 6 : 4;
                quote.fragmentId = q.key.id();
                sink.reassemblyTimedOut(quote);
            }
        }
        return expired;
    }

    void counters(Map<String, Long> into) {
        String p = family.counterPrefix;
        into.put(p + "ReasmReqds", requests);
        into.put(p + "ReasmOKs", reassembled);
        into.put(p + "ReasmFails", failures);
        into.put(p + "ReasmTimeout", timeouts);
        into.put(family.overlapPrefix + "ReasmOverlaps", overlaps);
    }

    private FragmentQueue create(long now) {
        long lifetime = sysctls.get().ip(family.time) * NANOS_PER_SECOND;
        FragmentQueue q = new FragmentQueue(probe.copy(), now + lifetime, serials++);
        table.put(q.key, q);
        byDeadline.add(q);
        charge(q, QUEUE_COST);
        return q;
    }

    private void charge(FragmentQueue q, long bytes) {
        q.memory += bytes;
        memory += bytes;
    }

    private void remove(FragmentQueue q) {
        table.remove(q.key);
        byDeadline.remove(q);
        memory -= q.memory;
    }

    private static void keepFirst(FragmentQueue q, IpPacket f) {
        q.firstHeader = Arrays.copyOfRange(f.buf, f.headerOffset, f.payloadOffset);
        q.src = f.src;
        q.dst = f.dst;
        q.protocol = f.protocol;
        q.ttl = f.ttl;
        q.tos = f.tos;
    }

    private Reassembly.Result assemble(FragmentQueue q, IpPacket whole) {
        int ecn = mergedEcn(q.ecnSeen);
        if (ecn == ECN_INVALID) return discard(q, DropReason.FRAG_ECN_MISMATCH);
        int tos = q.tos | ecn;
        int headerLength = family.wholeHeaderLength(q.firstHeader);
        byte[] out = new byte[headerLength + q.len];
        int nextHeaderPointer = family.writeWholeHeader(q, out, tos);
        q.copyPayload(out, headerLength);
        remove(q);
        reassembled++;
        whole.version = family == FragmentFamily.V6 ? 6 : 4;
        whole.src = q.src;
        whole.dst = q.dst;
        whole.protocol = q.protocol;
        whole.ttl = q.ttl;
        whole.tos = tos;
        whole.buf = out;
        whole.headerOffset = 0;
        whole.payloadOffset = headerLength;
        whole.payloadLength = q.len;
        whole.nextHeaderPointer = nextHeaderPointer;
        whole.dontFragment = q.dontFragment;
        whole.clearFragment();
        return Reassembly.Result.COMPLETE;
    }

    /** RFC 3168 §5.3 as ip_frag_ecn_table has it: CE anywhere marks the whole; Not-ECT mixed with anything else is invalid. */
    private static int mergedEcn(int seen) {
        if ((seen & NOT_ECT) != 0 && seen != NOT_ECT) return ECN_INVALID;
        return (seen & CE) != 0 ? 3 : 0;
    }

    private static void passThrough(IpPacket f, IpPacket whole) {
        whole.version = f.version;
        whole.src = f.src;
        whole.dst = f.dst;
        whole.protocol = f.protocol;
        whole.ttl = f.ttl;
        whole.tos = f.tos;
        whole.buf = f.buf;
        whole.headerOffset = f.headerOffset;
        whole.payloadOffset = f.payloadOffset;
        whole.payloadLength = f.payloadLength;
        whole.nextHeaderPointer = f.nextHeaderPointer;
        whole.dontFragment = f.dontFragment;
        whole.clearFragment();
    }

    /** The queue goes with the fragment (Linux's discard_qp: inet_frag_kill, ReasmFails). */
    private Reassembly.Result discard(FragmentQueue q, DropReason reason) {
        remove(q);
        return failed(reason);
    }

    private Reassembly.Result failed(DropReason reason) {
        failures++;
        return dropped(reason);
    }

    private Reassembly.Result dropped(DropReason reason) {
        drop = reason;
        return Reassembly.Result.DROPPED;
    }
}
