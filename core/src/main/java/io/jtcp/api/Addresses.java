package io.jtcp.api;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;

/** Between java.net's addresses and the stack's IPv4 ints (jtcp is IPv4 only). */
final class Addresses {
    private Addresses() {}

    /** The IPv4 address as the stack's int; EAFNOSUPPORT for IPv6, what Linux gives an AF_INET socket. */
    static int ipv4(InetAddress a) throws SocketException {
        if (!(a instanceof Inet4Address)) throw SocketErrors.of(Errno.EAFNOSUPPORT, a + " is not IPv4");
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
    }

    /** The resolved IPv4 address of a destination; UnknownHostException when it is unresolved (as the JDK says at connect). */
    static int destination(InetSocketAddress to) throws java.io.IOException {
        if (to.isUnresolved()) throw SocketErrors.unknownHost(to.getHostString());
        return ipv4(to.getAddress());
    }

    static InetSocketAddress of(int addr, int port) {
        byte[] b = {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(b), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an address", e);
        }
    }
}
