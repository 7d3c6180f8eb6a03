package io.jtcp.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The wildcard a JDK server socket really binds. The JDK's sockets are IPv6 ones that take
 * IPv4 too wherever the host has IPv6 (a jtcp host always has ::1), and its native bind turns
 * 0.0.0.0 into :: (NET_InetAddressToSockaddr prefers the IPv6 wildcard), so
 * {@code new ServerSocket(80)} listens for both families, as ss's {@code *:80} shows; only
 * {@code -Djava.net.preferIPv4Stack=true} keeps it IPv4. The java.net and NIO adapters bind
 * their servers and datagram sockets through this, so Java servers on jtcp answer IPv6 clients
 * as they do on Linux.
 */
public final class JdkWildcard {
    private static final InetAddress ANY6;

    static {
        try {
            ANY6 = InetAddress.getByAddress(new byte[16]);
        } catch (UnknownHostException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    private JdkWildcard() {}

    /** {@code local} as the JDK binds it: a wildcard becomes the dual-stack ::. */
    public static InetSocketAddress asJdkBinds(InetSocketAddress local) {
        InetAddress a = local.getAddress();
        if (a == null || !a.isAnyLocalAddress() || a instanceof Inet6Address || preferIpv4()) return local;
        return new InetSocketAddress(ANY6, local.getPort());
    }

    private static boolean preferIpv4() {
        return Boolean.getBoolean("java.net.preferIPv4Stack");
    }
}
