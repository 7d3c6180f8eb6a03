package io.jtcp.api;

import io.jtcp.wire.IpAddress;
import java.net.InetSocketAddress;

/** Between java.net's addresses and the stack's {@link IpAddress}es. */
final class Addresses {
    private Addresses() {}

    /** The resolved address of a destination; UnknownHostException when it is unresolved (as the JDK says at connect). */
    static IpAddress destination(InetSocketAddress to) throws java.io.IOException {
        if (to.isUnresolved()) throw SocketErrors.unknownHost(to.getHostString());
        return IpAddress.of(to.getAddress());
    }

    static InetSocketAddress of(IpAddress addr, int port) {
        return new InetSocketAddress(addr.toInetAddress(), port);
    }
}
