package io.jtcp.ip;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpPacket;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The host's IP fragment reassembly, IPv4 and IPv6 (Linux's ip_defrag and ipv6_frag_rcv),
 * one per stack and owned by its thread. Each family keeps its own queues, memory and
 * counters, as Linux's per-family fqdir does; sysctls are read live from the supplier.
 *
 * <p>{@link #add} takes one decoded fragment and answers {@link Result#HELD} (kept,
 * datagram incomplete), {@link Result#COMPLETE} (the whole datagram is in {@code whole}), or
 * {@link Result#DROPPED} ({@link #dropReason()} says why; for IPv6 {@link #parameterProblem()}
 * may ask for an ICMPv6 error). The stack calls {@link #expire} when {@link #nextDeadline()}
 * comes and sends "fragment reassembly time exceeded" for each first fragment it is handed.
 */
public final class Reassembly {
    public enum Result { HELD, COMPLETE, DROPPED }

    /** Takes the first fragment of a datagram that timed out, valid during the call only. */
    @FunctionalInterface
    public interface TimeExceeded {
        /**
         * {@code firstFragment.buf[headerOffset...]} is that fragment as it arrived (IP
         * header, for IPv6 through the fragment header, then the bytes it carried): quote it in
         * ICMP type 11 code 1, or ICMPv6 type 3 code 1, as ip_expire / ip6_expire_frag_queue do.
         */
        void reassemblyTimedOut(IpPacket firstFragment);
    }

    private final ParameterProblem problem = new ParameterProblem();
    private final FragmentQueues v4, v6;
    private DropReason dropReason;

    public Reassembly(Supplier<Sysctls> sysctls) {
        v4 = new FragmentQueues(FragmentFamily.V4, sysctls, problem);
        v6 = new FragmentQueues(FragmentFamily.V6, sysctls, problem);
    }

    /**
     * Adds one fragment ({@code fragment.fragment} set, its payload the fragmentable bytes it
     * carries). On {@link Result#COMPLETE}, {@code whole} holds the datagram in a fresh buffer:
     * the first fragment's header made whole (lengths, no fragment fields, for IPv6 no
     * fragment header) at {@code headerOffset} 0, then the upper-layer bytes; src, dst,
     * protocol, ttl and tos are the first fragment's (tos with the merged ECN). An IPv6
     * atomic fragment (offset 0, M=0; RFC 6946) comes back at once in its own buffer.
     */
    public Result add(IpPacket fragment, long now, IpPacket whole) {
        FragmentQueues family = of(fragment.version);
        Result result = family.add(fragment, now, whole);
        dropReason = family.drop();
        return result;
    }

    /** Why the last {@link #add} answered {@link Result#DROPPED}; null after any other answer. */
    public DropReason dropReason() { return dropReason; }

    /** The ICMPv6 parameter problem the last refused fragment calls for, if {@link ParameterProblem#due()}. */
    public ParameterProblem parameterProblem() { return problem; }

    /** When the earliest queue times out ({@code now} nanos), or Long.MAX_VALUE with none held. */
    public long nextDeadline() { return Math.min(v4.nextDeadline(), v6.nextDeadline()); }

    /** Drops the queues whose time is up, handing {@code sink} each one's first fragment if it came; returns how many went. */
    public int expire(long now, TimeExceeded sink) {
        return v4.expire(now, sink) + v6.expire(now, sink);
    }

    /** Bytes charged for one family's held fragments (4 or 6), never over its high threshold. */
    public long memory(int version) { return of(version).memory(); }

    /** Datagrams being reassembled for one family (4 or 6). */
    public int queues(int version) { return of(version).queues(); }

    /**
     * Linux's counters under nstat's names: IpReasmReqds, IpReasmOKs, IpReasmFails,
     * IpReasmTimeout, IpExtReasmOverlaps, and Ip6ReasmReqds ... Ip6ReasmOverlaps (a count
     * Linux keeps for IPv6 too but does not show in /proc/net/snmp6).
     */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        v4.counters(m);
        v6.counters(m);
        return m;
    }

    private FragmentQueues of(int version) { return version == 6 ? v6 : v4; }
}
