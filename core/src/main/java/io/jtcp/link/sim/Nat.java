package io.jtcp.link.sim;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Ip4;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A source NAT for TCP on the simulated network (NAPT, RFC 3022 §2.2), as a home
 * router or a carrier-grade NAT does it: a TCP packet from an inside address to
 * anywhere outside leaves with the public address as its source and a public port
 * that maps back to the inside address and port; a packet to the public address and
 * a mapped port comes back to that inside host. Mappings are endpoint-independent
 * (RFC 4787 §4.1: one public port per inside address and port, whatever the
 * destination) and keep the inside port when it is free, as Linux's masquerading does.
 *
 * <p>Checksums are updated incrementally (RFC 1624): the IPv4 header checksum for the
 * changed address, the TCP checksum for the address (its pseudo-header) and the port.
 * An incremental update keeps a packet damaged on the way in damaged on the way out,
 * as a recomputed checksum would not.
 *
 * <p>Mappings never expire: the simulator's stories are minutes long, and a NAT's
 * idle timeouts are not what they are about. Not thread-safe, like the network.
 */
public final class Nat {
    /** What {@link #translate} did with a packet. */
    enum Result { UNTOUCHED, TRANSLATED, DROPPED }

    private final int publicAddress;
    private final int portLow, portHigh;
    private final Set<Integer> inside = new HashSet<>();
    private final Map<Long, Integer> publicPortOf = new HashMap<>();
    private final Map<Integer, Long> insideEndOf = new HashMap<>();
    private int nextPort;

    /**
     * A NAT that hides {@code insideAddresses} behind {@code publicAddress}, mapping
     * them to public ports {@code portLow..portHigh}.
     */
    public Nat(String publicAddress, int portLow, int portHigh, String... insideAddresses) {
        if (portLow < 1 || portHigh > 65535 || portLow > portHigh) {
            throw new IllegalArgumentException("bad port range " + portLow + ".." + portHigh);
        }
        this.publicAddress = Ip4.parse(publicAddress);
        this.portLow = portLow;
        this.portHigh = portHigh;
        this.nextPort = portLow;
        for (String a : insideAddresses) inside.add(Ip4.parse(a));
        if (inside.contains(this.publicAddress)) throw new IllegalArgumentException("the public address cannot be inside");
    }

    public int publicAddress() { return publicAddress; }

    /** Mappings made so far. */
    public int mappings() { return publicPortOf.size(); }

    /**
     * Rewrites {@code p} in place if it crosses the NAT. A packet from inside that is not
     * TCP, or finds no free public port, and a packet to the public address that matches
     * no mapping, are {@link Result#DROPPED}, as a NAT drops what it cannot translate.
     */
    Result translate(byte[] p) {
        IpAddress srcAddr = RawPacket.srcAddr(p, 0, p.length), dstAddr = RawPacket.dstAddr(p, 0, p.length);
        if (!srcAddr.isV4() || !dstAddr.isV4()) return Result.UNTOUCHED;  // an IPv4 NAT: IPv6 passes as it is
        int src = srcAddr.v4(), dst = dstAddr.v4();
        boolean outbound = inside.contains(src) && !inside.contains(dst);
        boolean inbound = dst == publicAddress;
        if (!outbound && !inbound) return Result.UNTOUCHED;
        int tcp = RawPacket.tcpOffset(p, 0, p.length);
        if (tcp < 0) return Result.DROPPED;
        if (outbound) {
            int port = publicPort(src, RawPacket.srcPort(p, 0, p.length));
            if (port < 0) return Result.DROPPED;
            setPort(p, tcp, tcp, port);
            setAddress(p, tcp, 12, publicAddress);
        } else {
            Long end = insideEndOf.get(RawPacket.dstPort(p, 0, p.length));
            if (end == null) return Result.DROPPED;
            setPort(p, tcp, tcp + 2, (int) (end & 0xFFFF));
            setAddress(p, tcp, 16, (int) (end >>> 16));
        }
        return Result.TRANSLATED;
    }

    /** The public port for an inside address and port: its mapping, else the same port if free, else the next free one; -1 if none. */
    private int publicPort(int addr, int port) {
        long end = (long) addr << 16 | port;
        Integer mapped = publicPortOf.get(end);
        if (mapped != null) return mapped;
        int range = portHigh - portLow + 1;
        int chosen = -1;
        if (port >= portLow && port <= portHigh && !insideEndOf.containsKey(port)) {
            chosen = port;
        } else {
            for (int i = 0; i < range && chosen < 0; i++) {
                int candidate = portLow + (nextPort - portLow + i) % range;
                if (!insideEndOf.containsKey(candidate)) chosen = candidate;
            }
            if (chosen < 0) return -1;
            nextPort = chosen == portHigh ? portLow : chosen + 1;
        }
        publicPortOf.put(end, chosen);
        insideEndOf.put(chosen, end);
        return chosen;
    }

    /** Replaces the 16-bit port at {@code portAt} (the TCP header's source or destination port), adjusting the TCP checksum. */
    private static void setPort(byte[] p, int tcp, int portAt, int port) {
        int old = uint16(p, portAt);
        put16(p, portAt, port);
        adjustTcpChecksum(p, tcp, old, port);
    }

    /** Replaces the IPv4 address at {@code addrAt} (12 source, 16 destination), adjusting both checksums. */
    private static void setAddress(byte[] p, int tcp, int addrAt, int addr) {
        for (int half = 0; half < 2; half++) {
            int at = addrAt + 2 * half;
            int old = uint16(p, at), now = addr >>> (16 - 16 * half) & 0xFFFF;
            put16(p, at, now);
            put16(p, 10, adjust(uint16(p, 10), old, now));
            adjustTcpChecksum(p, tcp, old, now);
        }
    }

    private static void adjustTcpChecksum(byte[] p, int tcp, int oldWord, int newWord) {
        int at = tcp + 16;
        put16(p, at, adjust(uint16(p, at), oldWord, newWord));
    }

    /** RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), in ones' complement arithmetic. */
    static int adjust(int checksum, int oldWord, int newWord) {
        int sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return ~sum & 0xFFFF;
    }

    private static int uint16(byte[] p, int i) {
        return (p[i] & 0xFF) << 8 | p[i + 1] & 0xFF;
    }

    private static void put16(byte[] p, int i, int v) {
        p[i] = (byte) (v >>> 8);
        p[i + 1] = (byte) v;
    }
}
