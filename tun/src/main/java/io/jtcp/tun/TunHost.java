package io.jtcp.tun;

import io.jtcp.wire.Ip4;
import java.io.IOException;

/**
 * jtcp's side of a TUN device with the kernel on the other: the device (created inside
 * {@code netns} when one is given), the kernel's address on it, its MTU, the link up, and
 * the {@link TunLink} a {@link io.jtcp.api.StackLoop} attaches to. jtcp's own address is
 * not configured on the device: it is the address the stack uses, which the kernel
 * reaches through the device's prefix route.
 *
 * <p>Closing removes the device and, when this run created it, the namespace.
 */
public final class TunHost implements AutoCloseable {
    private final NetNs netns;
    private final TunLink link;
    private final String jtcpAddress, kernelAddress;
    private final int prefixLength, mtu;

    private TunHost(NetNs netns, TunLink link, String jtcpAddress, String kernelAddress, int prefixLength, int mtu) {
        this.netns = netns;
        this.link = link;
        this.jtcpAddress = jtcpAddress;
        this.kernelAddress = kernelAddress;
        this.prefixLength = prefixLength;
        this.mtu = mtu;
    }

    /**
     * Creates device {@code name} and configures the kernel's end.
     *
     * @param jtcpCidr    jtcp's address and prefix, {@code 10.77.0.2/24}
     * @param kernelAddr  the kernel's address on the device, or null for the prefix's first host
     * @param netns       the namespace to create the device in, or null for the current one;
     *                    it is closed with this host (closing a namespace this run did not create leaves it)
     */
    public static TunHost open(String name, String jtcpCidr, String kernelAddr, int mtu, NetNs netns) throws IOException {
        int slash = jtcpCidr.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("--addr needs a prefix length, like 10.77.0.2/24: " + jtcpCidr);
        String jtcp = jtcpCidr.substring(0, slash);
        int prefix = Integer.parseInt(jtcpCidr.substring(slash + 1));
        if (prefix < 1 || prefix > 30) throw new IllegalArgumentException("prefix length must be 1 to 30: " + jtcpCidr);
        int self = Ip4.parse(jtcp);
        String kernel = kernelAddr != null ? kernelAddr : firstHost(self, prefix);
        if (Ip4.parse(kernel) == self) throw new IllegalArgumentException("the kernel's address must differ from jtcp's (" + jtcp + ")");
        TunDevice dev = netns == null ? TunDevice.open(name) : netns.call(() -> TunDevice.open(name));
        String ns = netns == null ? null : netns.name();
        try {
            Ip.ip(ns, "addr", "add", kernel + "/" + prefix, "dev", dev.name());
            Ip.ip(ns, "link", "set", dev.name(), "mtu", Integer.toString(mtu), "up");
        } catch (IOException | RuntimeException e) {
            dev.close();
            throw e;
        }
        return new TunHost(netns, new TunLink(dev), jtcp, kernel, prefix, mtu);
    }

    /** The first host address of {@code addr}'s prefix: 10.77.0.1 for 10.77.0.2/24. */
    public static String firstHost(int addr, int prefix) {
        int mask = (int) (0xffffffffL << (32 - prefix));
        return Ip4.format((addr & mask) + 1);
    }

    public TunLink link() { return link; }
    public NetNs netns() { return netns; }
    public String netnsName() { return netns == null ? null : netns.name(); }
    public String device() { return link.device().name(); }
    public String jtcpAddress() { return jtcpAddress; }
    public String kernelAddress() { return kernelAddress; }
    public int prefixLength() { return prefixLength; }
    public int mtu() { return mtu; }

    /** Runs a command where the kernel's end lives ({@code ip netns exec NS ...} or directly). */
    public String exec(String... command) throws IOException {
        return Ip.exec(netnsName(), command);
    }

    @Override
    public void close() {
        link.close();
        if (netns != null) netns.close();
    }
}
