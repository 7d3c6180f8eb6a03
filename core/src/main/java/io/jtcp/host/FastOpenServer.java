package io.jtcp.host;

import io.jtcp.config.FastOpenKeys;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Segment;
import java.util.Arrays;

/**
 * The server half of TCP Fast Open (RFC 7413 §4.1.2, §4.2.2) as Linux 6.x's
 * tcp_try_fastopen decides it: which SYNs get a child that takes their data at once,
 * and which cookie the SYN-ACK carries. The cookie is SipHash-2-4 of the SYN's source
 * and destination addresses under the listener's key (tcp_fastopen_cookie_gen_cipher),
 * 8 bytes; a backup key is still accepted, so keys can be rotated.
 */
final class FastOpenServer {
    /** net.ipv4.tcp_fastopen bits (Linux's TFO_*). */
    static final int SERVER_ENABLE = 0x2, SERVER_COOKIE_NOT_REQD = 0x200, SERVER_WO_SOCKOPT = 0x400;
    static final int COOKIE_LENGTH = 8;

    /** What to do with a SYN: give it a Fast Open child or not, and the cookie for the SYN-ACK (null: none). */
    record Decision(boolean child, byte[] cookie, boolean exp) {}

    private static final Decision NONE = new Decision(false, null, false);

    private final StackCounters counters;
    /**
     * The key of a host that never set tcp_fastopen_key: Linux makes a random one once
     * (tcp_fastopen_init_key_once); jtcp derives it from the stack's secret, so the same
     * seed gives the same cookies.
     */
    private final FastOpenKeys hostKey;

    FastOpenServer(StackCounters counters, long secret0, long secret1) {
        this.counters = counters;
        byte[] key = new byte[FastOpenKeys.KEY_LENGTH];
        for (int i = 0; i < 8; i++) {
            key[i] = (byte) (secret0 >>> (8 * i));
            key[8 + i] = (byte) (secret1 >>> (8 * i));
        }
        this.hostKey = new FastOpenKeys(key, null);
    }

    /**
     * Linux's fastopen max_qlen: TCP_FASTOPEN's value (capped by somaxconn), or, with
     * tcp_fastopen's 0x400 bit, the listen backlog for a listener that did not set it;
     * 0 turns Fast Open off for the listener.
     */
    static int maxQueue(Sysctls cfg, Listening l) {
        if (l.options.fastOpenQlen > 0) return Math.min(l.options.fastOpenQlen, cfg.somaxconn());
        int bits = cfg.tcpFastopen();
        return (bits & SERVER_WO_SOCKOPT) != 0 && (bits & SERVER_ENABLE) != 0 ? Math.max(1, l.backlog) : 0;
    }

    /** tcp_try_fastopen for the SYN {@code syn} on listener {@code l}. */
    Decision decide(Sysctls cfg, Listening l, Segment syn) {
        boolean synData = syn.payloadLength > 0 || syn.fin();
        if (syn.fastOpenLength == 0) counters.fastOpenCookieReqd++;
        if ((cfg.tcpFastopen() & SERVER_ENABLE) == 0 || !(synData || syn.fastOpenLength >= 0) || !queueHasRoom(cfg, l)) {
            return NONE;
        }
        if ((cfg.tcpFastopen() & SERVER_COOKIE_NOT_REQD) != 0) {
            counters.fastOpenPassive++;
            return new Decision(true, null, false);
        }
        FastOpenKeys keys = keys(cfg, l);
        byte[] valid = cookie(keys.primary(), syn.srcAddr, syn.dstAddr);
        if (syn.fastOpenLength > 0) {
            byte[] offered = syn.fastOpenCookieBytes();
            if (Arrays.equals(offered, valid)) {
                counters.fastOpenPassive++;
                return new Decision(true, null, false);
            }
            if (keys.backup() != null && Arrays.equals(offered, cookie(keys.backup(), syn.srcAddr, syn.dstAddr))) {
                // Accepted under the old key: the SYN-ACK hands the client the current one.
                counters.fastOpenPassiveAltKey++;
                counters.fastOpenPassive++;
                return new Decision(true, valid, syn.fastOpenExp);
            }
            counters.fastOpenPassiveFail++;
        }
        // A request, or a bad cookie: no child, and the SYN-ACK carries a good cookie (none for a SYN without the option).
        return syn.fastOpenLength >= 0 ? new Decision(false, valid, syn.fastOpenExp) : NONE;
    }

    /** tcp_fastopen_queue_check: room for one more child still in its handshake. */
    private boolean queueHasRoom(Sysctls cfg, Listening l) {
        int max = maxQueue(cfg, l);
        if (max == 0) return false;
        if (l.fastOpenQueueLength >= max) {
            counters.fastOpenListenOverflow++;
            return false;
        }
        return true;
    }

    private FastOpenKeys keys(Sysctls cfg, Listening l) {
        if (l.options.fastOpenKey != null) return l.options.fastOpenKey;
        if (cfg.tcpFastopenKey() != null) return cfg.tcpFastopenKey();
        return hostKey;
    }

    /**
     * The 8-byte cookie, the result little-endian: SipHash of the source and destination
     * addresses as they are on the wire, read in little-endian words as Linux's
     * __tcp_fastopen_cookie_gen_cipher reads them (8 bytes for IPv4, 32 for IPv6), so a
     * cookie Linux computes with the same key is the same.
     */
    static byte[] cookie(byte[] key, IpAddress srcAddr, IpAddress dstAddr) {
        SipHash sip = new SipHash(le64(key, 0), le64(key, 8));
        long h = srcAddr.isV4()
                ? sip.hash(Integer.reverseBytes(srcAddr.v4()) & 0xFFFFFFFFL | (long) Integer.reverseBytes(dstAddr.v4()) << 32)
                : sip.hash(Long.reverseBytes(srcAddr.hi()), Long.reverseBytes(srcAddr.lo()),
                        Long.reverseBytes(dstAddr.hi()), Long.reverseBytes(dstAddr.lo()));
        byte[] c = new byte[COOKIE_LENGTH];
        for (int i = 0; i < COOKIE_LENGTH; i++) c[i] = (byte) (h >>> (8 * i));
        return c;
    }

    private static long le64(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (b[at + i] & 0xff);
        return v;
    }
}
