package io.jtcp.net;

import io.jtcp.api.StackLoop;
import io.jtcp.link.MemoryNetwork;

/**
 * {@code jtcp.network=memory}: hosts on one in-JVM {@link MemoryNetwork} shared by the
 * whole JVM, so a server and its clients in one process reach each other.
 */
public final class MemoryNetworkProvider implements NetworkProvider {
    private static final MemoryNetwork SHARED = new MemoryNetwork();

    /** The JVM's in-memory network, for adding more hosts to it ({@code StackLoop.start(name, address, network())}). */
    public static MemoryNetwork network() {
        return SHARED;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public StackLoop openHost(String hostName, String address) {
        return StackLoop.start(hostName, address, SHARED);
    }
}
