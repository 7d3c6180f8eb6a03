package io.jtcp.host;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.wire.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The addresses a stack owns, as Linux's local routing table holds them: any number of
 * IPv4 and IPv6 addresses with their prefixes, plus loopback, which is always there
 * (127.0.0.0/8 and ::1, as the kernel's lo). Each address a connection or TIME_WAIT entry
 * uses gets a small, stable index, so the compact tables store two bytes, not sixteen.
 */
public final class LocalAddresses {
    /** One configured address and the prefix of the network it is on. */
    public record Assigned(IpAddress address, int prefixLength) {
        public Assigned {
            int max = address.isV4() ? 32 : 128;
            if (prefixLength < 0 || prefixLength > max) throw new IllegalArgumentException("prefix /" + prefixLength + " for " + address);
        }

        @Override
        public String toString() { return address + "/" + prefixLength; }
    }

    private final List<Assigned> assigned = new ArrayList<>();
    /** The assigned addresses for the per-packet check, IPv4's as ints: indexed arrays, nothing allocated or hashed. */
    private int[] own4 = new int[0];
    /** The directed broadcast address of each IPv4 subnet the host is on (none for /31 and /32). */
    private int[] broadcast4 = new int[0];
    private IpAddress[] own6 = new IpAddress[0];
    private final List<IpAddress> byIndex = new ArrayList<>();
    private final Map<IpAddress, Integer> indices = new HashMap<>();
    private static final int SCANNED = 8;

    LocalAddresses() {
        index(IpAddress.LOOPBACK4);
        index(IpAddress.LOOPBACK6);
    }

    /** ip addr add: the stack answers at {@code a.address()} from now on. */
    void add(Assigned a) {
        if (a.address().isAny() || a.address().isMulticast() || a.address().isLoopback()) {
            throw new IllegalArgumentException(a.address() + " cannot be a host's own address");
        }
        if (isLocal(a.address())) throw new IllegalArgumentException(a.address() + " is already this host's");
        assigned.add(a);
        own4 = assigned.stream().map(Assigned::address).filter(IpAddress::isV4).mapToInt(IpAddress::v4).toArray();
        own6 = assigned.stream().map(Assigned::address).filter(IpAddress::isV6).toArray(IpAddress[]::new);
        broadcast4 = assigned.stream().filter(x -> x.address().isV4() && x.prefixLength() < 31)
                .mapToInt(x -> x.address().v4() | -1 >>> x.prefixLength()).toArray();
        index(a.address());
    }

    /** The configured addresses, loopback left out, in the order they were added. */
    public List<Assigned> assigned() { return List.copyOf(assigned); }

    /** Whether {@code a} is this host's: a configured address, or loopback (all of 127/8, and ::1). */
    public boolean isLocal(IpAddress a) {
        if (a.isV4()) {
            int v = a.v4();
            if (v >>> 24 == 127) return true;
            for (int x : own4) if (x == v) return true;
            return false;
        }
        if (a.isLoopback()) return true;
        for (IpAddress x : own6) if (x.equals(a)) return true;
        return false;
    }

    /**
     * Whether {@code a} is an IPv4 broadcast address for this host: the limited broadcast, or the
     * directed broadcast of a subnet it has an address in (Linux's RTN_BROADCAST routes).
     */
    public boolean isBroadcast(IpAddress a) {
        if (!a.isV4()) return false;
        int v = a.v4();
        if (v == -1) return true;
        for (int b : broadcast4) if (b == v) return true;
        return false;
    }

    /** The first configured address of the family, or null. */
    public IpAddress primary(boolean v6) {
        for (Assigned x : assigned) if (x.address().isV6() == v6) return x.address();
        return null;
    }

    /**
     * The source address for a packet to {@code dst} (Linux's route lookup with its preferred
     * source, simplified to a host with one link): loopback's for a loopback destination, the
     * destination itself when it is ours (it goes over lo), else the address whose prefix holds
     * the destination, else the first of the family. ENETUNREACH when the family has none.
     */
    public IpAddress sourceFor(IpAddress dst) throws ErrnoException {
        if (dst.isLoopback()) return dst.isV4() ? IpAddress.LOOPBACK4 : IpAddress.LOOPBACK6;
        if (isLocal(dst)) return dst;
        for (Assigned x : assigned) {
            if (dst.inPrefix(x.address(), x.prefixLength())) return x.address();
        }
        IpAddress any = primary(dst.isV6());
        if (any == null) throw new ErrnoException(Errno.ENETUNREACH, "no " + (dst.isV4() ? "IPv4" : "IPv6") + " address to reach " + dst);
        return any;
    }

    /** The stable index of a local address; assigned on first use (127.0.0.2 gets one when first used). */
    int index(IpAddress a) {
        // A host has a handful: a scan beats hashing the address for every TIME_WAIT lookup.
        int n = Math.min(byIndex.size(), SCANNED);
        for (int j = 0; j < n; j++) if (byIndex.get(j).equals(a)) return j;
        Integer i = indices.get(a);
        if (i != null) return i;
        if (byIndex.size() == Character.MAX_VALUE) throw new IllegalStateException("more than 65535 local addresses in use");
        byIndex.add(a);
        indices.put(a, byIndex.size() - 1);
        return byIndex.size() - 1;
    }

    IpAddress byIndex(int i) { return byIndex.get(i); }
}
