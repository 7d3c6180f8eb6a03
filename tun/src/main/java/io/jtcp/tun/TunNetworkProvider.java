package io.jtcp.tun;

import io.jtcp.api.StackLoop;
import io.jtcp.net.NetworkProvider;
import java.io.IOException;

/**
 * {@code -Djtcp.network=tun}: the JVM's host lives on a TUN device, with the kernel on the
 * other side, so java.net and NIO code reaches real peers through jtcp. The
 * {@code jtcp.tun.device} property names the device (default {@code jtcp0}); it is made if it
 * does not exist. As with any TUN device, the kernel's side (its address, the route, the link
 * up) is the administrator's to set ({@code ip addr add}, {@code ip link set up}); jtcp's
 * address is {@code jtcp.address}. Needs CAP_NET_ADMIN (or a persistent device owned by the
 * user) and {@code --enable-native-access} for jtcp-tun. Found by
 * {@link java.util.ServiceLoader} on the class path (META-INF/services).
 */
public final class TunNetworkProvider implements NetworkProvider {
    /** The system property naming the TUN device. */
    public static final String DEVICE = "jtcp.tun.device";

    @Override
    public String name() {
        return "tun";
    }

    @Override
    public StackLoop openHost(String hostName, String address) throws IOException {
        return StackLoop.start(hostName, address, new TunLink(TunDevice.open(System.getProperty(DEVICE, "jtcp0"))));
    }
}
