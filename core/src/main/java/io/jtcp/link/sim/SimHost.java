package io.jtcp.link.sim;

import io.jtcp.wire.IpAddress;
import io.jtcp.config.Sysctls;
import io.jtcp.host.Stack;

/** A jtcp stack living on the simulated network: the simulator's driver for one host. */
public final class SimHost implements SimNode {
    private final Stack stack;

    private SimHost(SimNetwork net, String name, IpAddress address, Sysctls cfg, long seed) {
        SimNode self = this;
        this.stack = new Stack(name, address, cfg, net.attach(address, self), seed, net.now());
    }

    /** Adds a host named {@code name} at {@code address}; its secrets derive from {@code seed}. */
    public static SimHost create(SimNetwork net, String name, String address, Sysctls cfg, long seed) {
        return new SimHost(net, name, IpAddress.parse(address), cfg, seed ^ name.hashCode() * 0x9E3779B97F4A7C15L);
    }

    public Stack stack() { return stack; }

    @Override
    public void receive(byte[] packet, int offset, int length, long now) {
        stack.packetArrives(packet, offset, length, now);
    }

    @Override
    public long nextDeadline() {
        return stack.nextDeadline();
    }

    @Override
    public void advance(long now) {
        stack.advance(now);
    }
}
