package io.jtcp.nio;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/** Between the JDK's socket addresses and jtcp's IPv4 addresses held in an int. */
final class Addresses {
    private Addresses() {}

    /** The IPv4 address of {@code a} as an int; the checks and exceptions are those of the JDK's channels. */
    static InetSocketAddress check(SocketAddress a) {
        if (a == null) throw new IllegalArgumentException("null address");
        if (!(a instanceof InetSocketAddress isa)) throw new UnsupportedAddressTypeException();
        if (isa.isUnresolved()) throw new UnresolvedAddressException();
        if (!(isa.getAddress() instanceof Inet4Address)) throw new UnsupportedAddressTypeException();
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
