package io.jtcp.tun;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault hook of {@link TunLink}: decides whether one IP packet is dropped on jtcp's
 * side of the device (before the stack sees it, or before the kernel does). Called on
 * the link's reader thread for incoming packets and on the stack's thread for outgoing
 * ones; a filter used for both directions must be thread-safe.
 */
@FunctionalInterface
public interface PacketFilter {
    boolean drop(byte[] packet, int offset, int length);

    PacketFilter NONE = (p, o, l) -> false;

    /** Drops each packet with probability {@code p}, from a seeded generator (one per filter). */
    static PacketFilter random(double p, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return (packet, offset, length) -> {
            synchronized (r) {
                return r.nextDouble() < p;
            }
        };
    }

    /** Drops the first {@code count} packets that {@code match} accepts, then none. */
    static PacketFilter first(int count, PacketFilter match) {
        AtomicInteger left = new AtomicInteger(count);
        return (packet, offset, length) -> match.drop(packet, offset, length)
                && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    /** Drops every packet that {@code match} accepts except the {@code nth} (counting from 1), which passes. */
    static PacketFilter allBut(int nth, PacketFilter match) {
        AtomicInteger seen = new AtomicInteger();
        return (packet, offset, length) -> match.drop(packet, offset, length) && seen.incrementAndGet() != nth;
    }

    /** Matches a TCP segment that has every flag in {@code flags} set (FIN 1, SYN 2, RST 4, PSH 8, ACK 16), whatever else it carries. */
    static PacketFilter tcpWithFlags(int flags) {
        return (p, o, l) -> {
            int tcp = tcpHeader(p, o, l);
            return tcp >= 0 && (p[tcp + 13] & flags) == flags;
        };
    }

    /** Matches a TCP segment with exactly these flags (FIN 1, SYN 2, RST 4, PSH 8, ACK 16) and no payload. */
    static PacketFilter bareTcp(int flags) {
        return (p, o, l) -> {
            int tcp = tcpHeader(p, o, l);
            if (tcp < 0) return false;
            int doff = ((p[tcp + 12] & 0xff) >> 4) * 4;
            return (p[tcp + 13] & 0x3f) == flags && o + l - tcp - doff == 0;
        };
    }

    /**
     * Where the TCP header of an IPv4 or IPv6 packet starts, or -1 when it is no whole TCP
     * segment. IPv6 counts only when TCP follows the fixed header directly: jtcp sends no
     * extension headers, and these filters look at what jtcp and the kernel exchange on the device.
     */
    private static int tcpHeader(byte[] p, int o, int l) {
        if (l < 1) return -1;
        int version = (p[o] & 0xff) >> 4;
        int tcp;
        if (version == 4) {
            if (l < 20 || p[o + 9] != 6) return -1;
            tcp = o + (p[o] & 0xf) * 4;
        } else if (version == 6) {
            if (l < 40 || p[o + 6] != 6) return -1;
            tcp = o + 40;
        } else {
            return -1;
        }
        return o + l - tcp >= 20 ? tcp : -1;
    }
}
