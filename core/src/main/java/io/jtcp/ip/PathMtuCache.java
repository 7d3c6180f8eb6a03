package io.jtcp.ip;

import io.jtcp.config.IpSysctl;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.IpAddress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Path MTUs learned from ICMP "fragmentation needed" (RFC 1191) and ICMPv6 "packet too
 * big" (RFC 8201), per destination, as Linux keeps them in its route exceptions (fnhe for
 * IPv4, rt6 exceptions for IPv6). In virtual time: every method takes {@code now} nanos.
 *
 * <p>IPv4, __ip_rt_update_pmtu: a report only lowers (an equal one refreshes the expiry
 * once half of it has passed); one below route.min_pmtu sets the smaller of the current MTU
 * and min_pmtu and <em>locks</em> it: packets then go without DF (ip_dont_fragment) and
 * further reports are ignored until it expires after route.mtu_expires. An MTU of 0, from a
 * pre-RFC 1191 router, is just a value below min_pmtu: Linux has had no plateau table since
 * 3.6. ip_no_pmtu_disc (icmp_unreach): 1 passes every report on as MTU 0, so it locks at
 * min_pmtu; 2 ignores them; 3 accepts them only about protocols that verify the quote
 * (TCP and SCTP; Linux 6.16 removed DCCP).
 *
 * <p>IPv6, __ip6_rt_update_pmtu: a report below the IPv6 minimum MTU 1280 is ignored
 * (RFC 8200 §5; Linux used to raise it to 1280 and fragment atomically, which RFC 8021
 * retired), only a strictly lower one is taken, and it expires after
 * ipv6.route.mtu_expires. IPv6 has no min_pmtu sysctl and no lock.
 *
 * <p>Bounded: at most {@code capacity} destinations, the least recently updated evicted
 * first (Linux bounds each next hop's fnhe table at 2048 buckets of depth 5, evicting a
 * chain's oldest entry), so spoofed reports for many destinations cost bounded memory. An
 * evicted entry only means that destination's next packet is sent at the link MTU again.
 */
public final class PathMtuCache {
    public static final int IPV6_MIN_MTU = 1280;
    /** FNHE_HASH_SIZE times FNHE_RECLAIM_DEPTH. */
    public static final int DEFAULT_CAPACITY = 2048 * 5;

    private static final long SECOND = 1_000_000_000L;
    private static final int PROTO_SCTP = 132;

    private static final class Learned {
        final int mtu;
        final long expires;
        final boolean locked;

        Learned(int mtu, long expires, boolean locked) {
            this.mtu = mtu;
            this.expires = expires;
            this.locked = locked;
        }
    }

    private final Map<IpAddress, Learned> entries;

    public PathMtuCache() {
        this(DEFAULT_CAPACITY);
    }

    public PathMtuCache(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        entries = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<IpAddress, Learned> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * A "fragmentation needed" or "packet too big" reporting {@code reportedMtu} for a
     * packet this host sent to {@code dst} as {@code quotedProtocol}. Returns the path MTU
     * in effect afterwards (unchanged when the report is ignored).
     */
    public int learn(IpAddress dst, int reportedMtu, int quotedProtocol, int linkMtu, long now, Sysctls sysctls) {
        if (dst.isV4()) {
            switch (sysctls.ip(IpSysctl.IP_NO_PMTU_DISC)) {
                case 0 -> updateV4(dst, reportedMtu, linkMtu, now, sysctls);
                case 2 -> { }
                case 3 -> {
                    if (verifiesQuotes(quotedProtocol)) updateV4(dst, reportedMtu, linkMtu, now, sysctls);
                }
                default -> updateV4(dst, 0, linkMtu, now, sysctls);
            }
        } else {
            updateV6(dst, reportedMtu, linkMtu, now, sysctls);
        }
        return mtu(dst, linkMtu, now);
    }

    /** The path MTU to {@code dst}: a learned one until it expires, else the link's. */
    public int mtu(IpAddress dst, int linkMtu, long now) {
        Learned e = live(dst, now);
        return e == null ? linkMtu : Math.min(e.mtu, linkMtu);
    }

    /**
     * Whether an IPv4 packet to {@code dst} carries Don't Fragment: not when ip_no_pmtu_disc
     * makes sockets IP_PMTUDISC_DONT (modes 1 and 2), nor while the path MTU is locked
     * (ip_dont_fragment with IP_PMTUDISC_WANT). IPv6 has no DF bit; routers never fragment
     * it, so this answers true for IPv6.
     */
    public boolean dontFragment(IpAddress dst, long now, Sysctls sysctls) {
        if (!dst.isV4()) return true;
        int mode = sysctls.ip(IpSysctl.IP_NO_PMTU_DISC);
        if (mode == 1 || mode == 2) return false;
        Learned e = live(dst, now);
        return e == null || !e.locked;
    }

    /** How many destinations have a learned path MTU (expired ones included until looked up). */
    public int size() {
        return entries.size();
    }

    private void updateV4(IpAddress dst, int mtu, int linkMtu, long now, Sysctls sysctls) {
        Learned e = live(dst, now);
        if (e != null && e.locked) return;
        int old = e == null ? linkMtu : Math.min(e.mtu, linkMtu);
        if (old < mtu) return;
        boolean lock = false;
        int min = sysctls.ip(IpSysctl.MIN_PMTU);
        if (mtu < min) {
            lock = true;
            mtu = Math.min(old, min);
        }
        long lifetime = sysctls.ip(IpSysctl.MTU_EXPIRES) * SECOND;
        // The same MTU again only refreshes an entry past half its life.
        if (e != null && e.mtu == mtu && !lock && now < e.expires - lifetime / 2) return;
        put(dst, new Learned(mtu, now + lifetime, lock));
    }

    private void updateV6(IpAddress dst, int mtu, int linkMtu, long now, Sysctls sysctls) {
        if (mtu < IPV6_MIN_MTU || mtu >= mtu(dst, linkMtu, now)) return;
        put(dst, new Learned(mtu, now + sysctls.ip(IpSysctl.IPV6_MTU_EXPIRES) * SECOND, false));
    }

    private void put(IpAddress dst, Learned e) {
        // Re-inserted so the eviction order is the order of the last updates.
        entries.remove(dst);
        entries.put(dst, e);
    }

    private Learned live(IpAddress dst, long now) {
        if (entries.isEmpty()) return null;  // the usual case, asked for every packet sent: no hashing
        Learned e = entries.get(dst);
        if (e != null && now - e.expires >= 0) {
            entries.remove(dst);
            return null;
        }
        return e;
    }

    /** icmp_tag_validation: the protocols whose error handlers check the quote beyond a socket lookup. */
    private static boolean verifiesQuotes(int protocol) {
        return protocol == Checksum.PROTO_TCP || protocol == PROTO_SCTP;
    }
}
