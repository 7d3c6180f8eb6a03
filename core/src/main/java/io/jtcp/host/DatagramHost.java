package io.jtcp.host;

import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.IpAddress;

/**
 * What the host's datagram protocols (UDP) need from its IP layer; the {@link Stack}
 * implements it. Called on the stack's thread.
 */
public interface DatagramHost {
    /** The live sysctls: ip_local_port_range, rmem_default, bindv6only are read at each use. */
    Sysctls sysctls();

    /** The source address the host would use to reach {@code dst} (route lookup); ENETUNREACH if none. */
    IpAddress sourceFor(IpAddress dst) throws ErrnoException;

    /** Whether {@code a} is one of the host's own addresses (what bind(2) accepts besides the wildcard). */
    boolean isLocal(IpAddress a);

    /**
     * Whether {@code a} is an IPv4 broadcast address for this host: the limited broadcast,
     * and the directed broadcast of each subnet the host has an address in (RTCF_BROADCAST).
     * Sending to one needs SO_BROADCAST; arriving at one, a datagram goes to every socket on its port.
     */
    default boolean isBroadcast(IpAddress a) {
        return a.isV4() && a.v4() == -1;
    }

    /** Sends an upper-layer message: the host adds the IP header (and fragments if it must). */
    void sendIp(IpAddress src, IpAddress dst, int protocol, byte[] msg, int off, int len) throws ErrnoException;
}
