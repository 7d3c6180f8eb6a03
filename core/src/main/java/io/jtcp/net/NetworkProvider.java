package io.jtcp.net;

import io.jtcp.api.StackLoop;
import java.io.IOException;

/**
 * A kind of network the standard interfaces can run on, found with
 * {@link java.util.ServiceLoader} and selected by name with the {@code jtcp.network}
 * system property ({@link JtcpNetwork}). jtcp-core provides {@code memory}; other
 * artifacts add theirs (jtcp-tun a {@code tun} network over a TUN device) by listing a
 * provider in {@code META-INF/services/io.jtcp.net.NetworkProvider}.
 */
public interface NetworkProvider {
    /** The name {@code jtcp.network} selects it by. */
    String name();

    /** Starts a host named {@code hostName} at IPv4 {@code address} on this network. */
    StackLoop openHost(String hostName, String address) throws IOException;
}
