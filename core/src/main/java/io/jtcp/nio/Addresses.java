package io.jtcp.nio;

import io.jtcp.api.SocketErrors;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/** The JDK channels' checks of the socket addresses they are given. */
final class Addresses {
    private Addresses() {}

    /**
     * {@code a} as the socket address a channel can use, checked as the JDK's channels check
     * it (sun.nio.ch.Net.checkAddress): NullPointerException for null,
     * UnresolvedAddressException, UnsupportedAddressTypeException for anything not IP.
     */
    static InetSocketAddress check(SocketAddress a) {
        Objects.requireNonNull(a);
        if (!(a instanceof InetSocketAddress isa)) throw SocketErrors.unsupportedAddressType();
        if (isa.isUnresolved()) throw SocketErrors.unresolvedAddress();
        return isa;
    }
}
