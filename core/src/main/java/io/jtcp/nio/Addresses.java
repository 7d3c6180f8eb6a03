package io.jtcp.nio;

import io.jtcp.api.SocketErrors;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/** Between the JDK's socket addresses and jtcp's IPv4 addresses held in an int. */
final class Addresses {
    private Addresses() {}

    /**
     * {@code a} as the IPv4 socket address a channel can use, checked as the JDK's
     * channels check it (sun.nio.ch.Net.checkAddress): NullPointerException for null,
     * UnresolvedAddressException, UnsupportedAddressTypeException for anything not IPv4.
     */
    static InetSocketAddress check(SocketAddress a) {
        Objects.requireNonNull(a);
        if (!(a instanceof InetSocketAddress isa)) throw SocketErrors.unsupportedAddressType();
        if (isa.isUnresolved()) throw SocketErrors.unresolvedAddress();
        if (!(isa.getAddress() instanceof Inet4Address)) throw SocketErrors.unsupportedAddressType();
        return isa;
    }

    static int ipv4(InetSocketAddress a) {
        byte[] b = a.getAddress().getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
    }

    static InetAddress inet(int addr) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr});
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an address", e);
        }
    }

    static InetSocketAddress of(int addr, int port) {
        return new InetSocketAddress(inet(addr), port);
    }
}
