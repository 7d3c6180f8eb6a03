package io.jtcp.net;

import io.jtcp.api.HostContext;
import io.jtcp.api.StackLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Which jtcp network the standard interfaces use when no host is named, configured by
 * system properties or in code.
 *
 * <ul>
 * <li>{@code -Djtcp.network=memory}: this JVM is a host on the in-JVM
 *     {@link MemoryNetworkProvider#network() memory network}; other names select the
 *     {@link NetworkProvider} of that name (jtcp-tun's {@code tun}: a TUN device named by {@code jtcp.tun.device});
 * <li>{@code -Djtcp.address=10.0.0.1}: this JVM's host address (that default);
 * <li>{@code -Djtcp.host=jtcp}: the host's name in traces and views (that default).
 * </ul>
 *
 * <p>The host is started on first use ({@link HostContext#setDefaultFactory}). In code,
 * {@link HostContext#setDefault} or {@link HostContext#bind} name a host directly and win
 * over the properties. The java.net adapters call {@link #configure()} before their
 * first socket; other entry points (the NIO provider) do the same.
 */
public final class JtcpNetwork {
    public static final String NETWORK = "jtcp.network", ADDRESS = "jtcp.address", HOST = "jtcp.host";
    private static boolean configured;

    private JtcpNetwork() {}

    /**
     * Reads the system properties once: with {@code jtcp.network} set, the JVM's default
     * host is opened on that network at first use. Without it, nothing changes.
     */
    public static synchronized void configure() {
        if (configured) return;
        configured = true;
        String network = System.getProperty(NETWORK);
        if (network == null || network.isBlank()) return;
        String address = System.getProperty(ADDRESS, "10.0.0.1");
        String host = System.getProperty(HOST, "jtcp");
        NetworkProvider provider = provider(network);
        HostContext.setDefaultFactory(() -> {
            try {
                return provider.openHost(host, address);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open jtcp host " + host + " at " + address + " on " + network, e);
            }
        });
    }

    /** The provider named {@code network}; IllegalArgumentException naming the ones there are. */
    public static NetworkProvider provider(String network) {
        List<String> names = new ArrayList<>();
        MemoryNetworkProvider memory = new MemoryNetworkProvider();
        if (memory.name().equals(network)) return memory;
        names.add(memory.name());
        // Declared here rather than in module-info: that descriptor is also compiled at release 17
        // (see the parent pom), where a uses clause would drag the whole package into that compile.
        JtcpNetwork.class.getModule().addUses(NetworkProvider.class);
        for (NetworkProvider p : ServiceLoader.load(NetworkProvider.class)) {
            if (p instanceof MemoryNetworkProvider) continue;
            if (p.name().equals(network)) return p;
            names.add(p.name());
        }
        throw new IllegalArgumentException("no jtcp network named '" + network + "' (" + NETWORK + "); known: " + names);
    }

    /**
     * Makes plain {@code new Socket(...)}, {@code new ServerSocket(...)} and
     * {@code new DatagramSocket(...)} in this JVM jtcp sockets on the calling thread's host,
     * through the JDK's {@link Socket#setSocketImplFactory}, {@link ServerSocket#setSocketFactory}
     * and {@link java.net.DatagramSocket#setDatagramSocketImplFactory}.
     * Caveats, from the JDK: both are deprecated (since 17) but still work in JDK 25;
     * each can be set once per JVM and never undone, so every Socket of the JVM is
     * jtcp's from then on (JDK code that opens sockets through NIO, such as HttpClient,
     * is not affected: that is the NIO provider's job); a second call fails with
     * SocketException "factory already defined". Prefer {@link JtcpSocketFactory} and
     * {@link JtcpServerSocketFactory} where the code takes a factory.
     */
    @SuppressWarnings("deprecation")
    public static void installJvmWide() throws IOException {
        configure();
        Socket.setSocketImplFactory(() -> new JtcpSocketImpl(null, false));
        ServerSocket.setSocketFactory(() -> new JtcpSocketImpl(null, true));
        java.net.DatagramSocket.setDatagramSocketImplFactory(() -> new JtcpDatagramSocketImpl(null));
    }
}
