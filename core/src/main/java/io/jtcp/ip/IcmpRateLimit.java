package io.jtcp.ip;

import io.jtcp.config.IpSysctl;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.Icmp;
import io.jtcp.wire.IpAddress;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Linux's two limits on the ICMP and ICMPv6 messages a host sends (6.x, net/ipv4/icmp.c
 * and net/ipv6/icmp.c), in virtual time:
 *
 * <ol>
 * <li>A host-wide token bucket, icmp_global_allow, shared by both families: credit is
 *     refilled at icmp_msgs_per_sec a second up to icmp_msgs_burst, but only once it is
 *     used up and at least 20 ms (HZ/50) after the last refill; each message sent then
 *     takes 0, 1 or 2 credits at random (icmp_global_consume, so an off-path prober
 *     cannot count the credit exactly: CVE-2020-25705).</li>
 * <li>A token bucket per destination, inet_peer_xrlim_allow: one message costs
 *     icmp_ratelimit (ICMPv6: ipv6.icmp.ratelimit, shortened for routes shorter than /128,
 *     icmpv6_xrlim_allow) of accumulated time, up to six messages' worth
 *     (XRLIM_BURST_FACTOR). A destination seen for the first time starts with 60 s of
 *     time, so with the default 1000 ms a full burst. Not applied through loopback.</li>
 * </ol>
 *
 * <p>Both apply only to the types the rate mask names (icmpv4_mask_allow,
 * icmpv6_mask_allow): for ICMP the bits of icmp_ratemask (by default destination
 * unreachable, source quench, time exceeded, parameter problem) except "fragmentation
 * needed", which path MTU discovery must get through; for ICMPv6 Linux's default
 * ipv6.icmp.ratemask, every error but packet too big (the mask itself is not a sysctl
 * here). Echo replies are in neither mask, so neither limit touches them.
 *
 * <p>Simplifications: time is counted in nanoseconds rather than jiffies, so a bucket
 * refills continuously where Linux's moves in 1-4 ms steps; the global bucket is per host
 * (Linux 6.12 made it per network namespace, which a host here is).
 *
 * <p>The per-destination table is bounded: at most {@code maxPeers} destinations, the
 * least recently used one evicted first. Linux's inet_peer store is bounded by
 * inet_peer_threshold (65536 + 128) with a garbage collector that frees peers idle for
 * 120 to 600 s; an evicted peer here, like a collected one there, comes back with a full
 * burst, so spoofed sources cost at most {@code maxPeers} entries.
 */
public final class IcmpRateLimit {
    public static final int XRLIM_BURST_FACTOR = 6;
    /** Linux's inet_peer_threshold. */
    public static final int DEFAULT_MAX_PEERS = 65536 + 128;

    private static final long SECOND = 1_000_000_000L, MILLISECOND = 1_000_000L;
    /** icmp_global_allow refills at most once per HZ/50. */
    private static final long GLOBAL_REFILL_INTERVAL = SECOND / 50;
    /** inet_getpeer dates a new peer's last message 60 s back, so its first bucket is full. */
    private static final long NEW_PEER_CREDIT = 60 * SECOND;

    private final RandomGenerator random;
    private final Map<IpAddress, Peer> peers;

    private long globalCredit;
    private long globalStamp;
    private boolean globalStamped;

    private long outMsgs, outRateLimitGlobal, outRateLimitHost, icmp6OutMsgs, icmp6OutRateLimitHost;

    private static final class Peer {
        long tokens;
        long last;
    }

    public IcmpRateLimit(RandomGenerator random) {
        this(random, DEFAULT_MAX_PEERS);
    }

    public IcmpRateLimit(RandomGenerator random, int maxPeers) {
        if (maxPeers < 1) throw new IllegalArgumentException("maxPeers " + maxPeers);
        this.random = random;
        this.peers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<IpAddress, Peer> eldest) {
                return size() > maxPeers;
            }
        };
    }

    /**
     * Whether an ICMP or ICMPv6 message of {@code type, code} (numbers of {@code dst}'s
     * family) may go to {@code dst} now: icmp_send's and icmp_reply's icmpv4_global_allow
     * then icmpv4_xrlim_allow, or icmp6_send's icmpv6_global_allow then icmpv6_xrlim_allow.
     * {@code routePrefixLength} is that of the IPv6 route to {@code dst} (128 for a host
     * route); {@code viaLoopback} says the route goes through the loopback device. A refusal
     * is counted; an allowed message is counted by {@link #sent} once it is out.
     */
    public boolean allow(IpAddress dst, int type, int code, int routePrefixLength, boolean viaLoopback, long now,
                         Sysctls sysctls) {
        boolean v6 = !dst.isV4();
        if (!maskLimits(v6, type, code, sysctls)) return true;
        if (!globalAllow(now, sysctls)) {
            outRateLimitGlobal++; // ICMPv6 counts here too: icmpv6_global_allow bumps the ICMP MIB
            return false;
        }
        if (!viaLoopback && !peerAllow(dst, peerTimeout(v6, routePrefixLength, sysctls), now)) {
            if (v6) icmp6OutRateLimitHost++;
            else outRateLimitHost++;
            return false;
        }
        globalConsume();
        return true;
    }

    /** Counts a message that went out (icmp_out_count, ICMP6MSGOUT): IcmpOutMsgs or Icmp6OutMsgs. */
    public void sent(IpAddress dst) {
        if (dst.isV4()) outMsgs++;
        else icmp6OutMsgs++;
    }

    /** The counters, with nstat's names, for the host to merge into its own. */
    public Map<String, Long> counters() {
        return Map.of("IcmpOutMsgs", outMsgs, "IcmpOutRateLimitGlobal", outRateLimitGlobal,
                "IcmpOutRateLimitHost", outRateLimitHost, "Icmp6OutMsgs", icmp6OutMsgs,
                "Icmp6OutRateLimitHost", icmp6OutRateLimitHost);
    }

    /** How many destinations the per-destination table holds. */
    public int peerCount() {
        return peers.size();
    }

    /** icmpv4_mask_allow / icmpv6_mask_allow, negated: whether the limits apply to this type at all. */
    private static boolean maskLimits(boolean v6, int type, int code, Sysctls sysctls) {
        if (v6) return type != Icmp.V6_PACKET_TOO_BIG && type < 128;
        if (type > Icmp.V4_LAST_KNOWN_TYPE) return false;
        if (type == Icmp.V4_DEST_UNREACHABLE && code == Icmp.V4_FRAGMENTATION_NEEDED) return false;
        return (1 << type & sysctls.ip(IpSysctl.ICMP_RATEMASK)) != 0;
    }

    private boolean globalAllow(long now, Sysctls sysctls) {
        if (globalCredit > 0) return true;
        // A fresh host has never refilled: as on Linux, where the stamp is far behind jiffies, a full second counts.
        long delta = globalStamped ? Math.clamp(now - globalStamp, 0, SECOND) : SECOND;
        if (delta < GLOBAL_REFILL_INTERVAL) return false;
        long increment = sysctls.ip(IpSysctl.ICMP_MSGS_PER_SEC) * delta / SECOND;
        if (increment == 0) return false;
        globalStamp = now;
        globalStamped = true;
        globalCredit = Math.min(globalCredit + increment, sysctls.ip(IpSysctl.ICMP_MSGS_BURST));
        return true;
    }

    /** One credit on average, drawn at random; the credit may go negative, as Linux's does. */
    private void globalConsume() {
        globalCredit -= random.nextInt(3);
    }

    /** icmp_ratelimit, or ipv6.icmp.ratelimit halved for every 32 bits the route's prefix falls short of /128. */
    private static long peerTimeout(boolean v6, int routePrefixLength, Sysctls sysctls) {
        if (!v6) return sysctls.ip(IpSysctl.ICMP_RATELIMIT) * MILLISECOND;
        long timeout = sysctls.ip(IpSysctl.ICMPV6_RATELIMIT) * MILLISECOND;
        if (routePrefixLength < 128) timeout >>= (128 - routePrefixLength) >> 5;
        return timeout;
    }

    /** inet_peer_xrlim_allow: time accrues as tokens, capped at six messages' worth; a message costs {@code timeout}. */
    private boolean peerAllow(IpAddress dst, long timeout, long now) {
        Peer peer = peers.get(dst);
        if (peer == null) {
            peer = new Peer();
            peer.last = now - NEW_PEER_CREDIT;
            peers.put(dst, peer);
        }
        long delta = now - peer.last;
        if (delta > 0) {
            peer.last = now;
            peer.tokens = Math.min(peer.tokens + delta, XRLIM_BURST_FACTOR * timeout);
        }
        if (peer.tokens >= timeout) {
            peer.tokens -= timeout;
            return true;
        }
        return false;
    }
}
