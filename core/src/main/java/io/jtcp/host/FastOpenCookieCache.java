package io.jtcp.host;

import io.jtcp.wire.IpAddress;

import io.jtcp.config.Sysctls;
import io.jtcp.tcp.FastOpenOffer;
import io.jtcp.tcp.FastOpenSynAck;
import io.jtcp.tcp.SocketOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * The client half of TCP Fast Open's memory (RFC 7413 §4.1.1): per destination, the
 * cookie its server gave, the MSS it last announced, which option form to try, and SYN
 * losses. Linux keeps these in tcp_metrics (tcp_fastopen_cache_get/_set); so does this
 * host, for as long as it lives. SYN losses are recorded as Linux records them; Linux
 * 6.x no longer lets them turn Fast Open off (its blackhole detection replaced that, and
 * is off by default: tcp_fastopen_blackhole_timeout_sec = 0), so neither does jtcp.
 */
final class FastOpenCookieCache {
    /** net.ipv4.tcp_fastopen's client bits (Linux's TFO_CLIENT_ENABLE, TFO_CLIENT_NO_COOKIE). */
    static final int CLIENT_ENABLE = 0x1, CLIENT_NO_COOKIE = 0x4;

    private static final class Entry {
        int mss;
        byte[] cookie;
        boolean cookieExp;
        /** 1: ask in the experimental form next time; 2: back to RFC 7413's (Linux's try_exp). */
        int tryExp;
        int synLoss;
        long lastSynLossAt;
    }

    private final Map<IpAddress, Entry> byDestination = new HashMap<>();

    /** tcp_sendmsg_fastopen's first test: Fast Open for clients is on (else EOPNOTSUPP). */
    static boolean clientEnabled(Sysctls cfg) {
        return (cfg.tcpFastopen() & CLIENT_ENABLE) != 0;
    }

    /** What an active open to {@code remoteAddr} may use (tcp_fastopen_cookie_check). */
    FastOpenOffer offer(Sysctls cfg, SocketOptions options, IpAddress remoteAddr) {
        Entry e = byDestination.get(remoteAddr);
        boolean withoutCookie = (cfg.tcpFastopen() & CLIENT_NO_COOKIE) != 0 || options.fastOpenNoCookie;
        if (e == null) return new FastOpenOffer(null, false, 0, withoutCookie);
        boolean exp = e.cookie != null ? e.cookieExp : e.tryExp == 1;
        return new FastOpenOffer(e.cookie, exp, e.mss, withoutCookie);
    }

    /** tcp_fastopen_cache_set: what a SYN-ACK taught about {@code remoteAddr}. */
    void learn(IpAddress remoteAddr, FastOpenSynAck learned, long now) {
        Entry e = byDestination.computeIfAbsent(remoteAddr, a -> new Entry());
        if (learned.mss() > 0) e.mss = learned.mss();
        if (learned.cookie() != null) {
            e.cookie = learned.cookie();
            e.cookieExp = learned.exp();
        } else if (learned.tryExp() > e.tryExp && e.cookie == null) {
            e.tryExp = learned.tryExp();
        }
        if (learned.synLoss()) {
            e.synLoss++;
            e.lastSynLossAt = now;
        } else {
            e.synLoss = 0;
        }
    }
}
