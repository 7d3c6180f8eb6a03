package io.jtcp.tun;

import io.jtcp.api.StackLoop;
import io.jtcp.wire.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * jtcp's side of a TUN device with the kernel on the other: the device (created inside
 * {@code netns} when one is given), the kernel's addresses on it (one per jtcp prefix, IPv4
 * and IPv6), its MTU, the link up, and the {@link TunLink} a {@link StackLoop} attaches to
 * (or, opened with several queues, one link per queue for a sharded host's shards).
 * jtcp's own addresses are not configured on the device: they are the addresses the stack
 * uses, which the kernel reaches through the device's prefix routes.
 *
 * <p>Closing removes the device and, when this run created it, the namespace.
 */
public final class TunHost implements AutoCloseable {
    /** IPv6 needs links of at least 1280 bytes (RFC 8200 section 5); Linux turns IPv6 off on a smaller device. */
    static final int IPV6_MIN_MTU = 1280;

    /** One prefix on the device: jtcp's address in it, the kernel's, and the prefix length. */
    public record Address(IpAddress jtcp, IpAddress kernel, int prefixLength) {
        /** jtcp's address with its prefix, as {@link StackLoop.Builder#address(String)} takes it. */
        public String jtcpCidr() { return jtcp + "/" + prefixLength; }
        /** The kernel's address with its prefix, as {@code ip addr add} takes it. */
        public String kernelCidr() { return kernel + "/" + prefixLength; }
    }

    private final NetNs netns;
    private final List<TunLink> queues;
    private final TunLink link;
    private final List<Address> addresses;
    private final int mtu;

    private TunHost(NetNs netns, List<TunLink> queues, List<Address> addresses, int mtu) {
        this.netns = netns;
        this.queues = List.copyOf(queues);
        this.link = queues.getFirst();
        this.addresses = List.copyOf(addresses);
        this.mtu = mtu;
    }

    /** One IPv4 or IPv6 prefix: {@link #open(String, List, List, int, NetNs)} with one address. */
    public static TunHost open(String name, String jtcpCidr, String kernelAddr, int mtu, NetNs netns) throws IOException {
        return open(name, List.of(jtcpCidr), kernelAddr == null ? List.of() : List.of(kernelAddr), mtu, netns);
    }

    /**
     * Creates device {@code name} and configures the kernel's end for each of jtcp's prefixes.
     *
     * @param jtcpCidrs   jtcp's addresses with their prefixes, {@code 10.77.0.2/24}, {@code fd77::2/64};
     *                    the first is the one the stack is known by
     * @param kernelAddrs the kernel's addresses where the default does not do: each goes to the jtcp
     *                    prefix that contains it; a prefix without one gets its first host
     *                    (10.77.0.1, fd77::1)
     * @param netns       the namespace to create the device in, or null for the current one;
     *                    it is closed with this host (closing a namespace this run did not create leaves it)
     */
    public static TunHost open(String name, List<String> jtcpCidrs, List<String> kernelAddrs, int mtu, NetNs netns)
            throws IOException {
        return open(name, jtcpCidrs, kernelAddrs, mtu, netns, TunOffloads.TCP);
    }

    /** As {@link #open(String, List, List, int, NetNs)}, asking the device for at most {@code offloads}. */
    public static TunHost open(String name, List<String> jtcpCidrs, List<String> kernelAddrs, int mtu, NetNs netns,
            TunOffloads offloads) throws IOException {
        return open(name, jtcpCidrs, kernelAddrs, mtu, netns, offloads, 1);
    }

    /**
     * As {@link #open(String, List, List, int, NetNs, TunOffloads)} with {@code queues}
     * queues (IFF_MULTI_QUEUE when more than one), one {@link TunLink} each ({@link #queues()}).
     */
    public static TunHost open(String name, List<String> jtcpCidrs, List<String> kernelAddrs, int mtu, NetNs netns,
            TunOffloads offloads, int queues) throws IOException {
        List<Address> addresses = plan(jtcpCidrs, kernelAddrs);
        if (mtu < IPV6_MIN_MTU && addresses.stream().anyMatch(a -> a.jtcp().isV6())) {
            throw new IllegalArgumentException("IPv6 needs an MTU of at least " + IPV6_MIN_MTU + " (got " + mtu + ")");
        }
        java.util.concurrent.Callable<List<TunDevice>> opening = () -> queues == 1
                ? List.of(TunDevice.open(name, offloads)) : TunDevice.openQueues(name, queues, offloads);
        List<TunDevice> devs;
        try {
            devs = netns == null ? opening.call() : netns.call(opening);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
        TunDevice dev = devs.getFirst();
        String ns = netns == null ? null : netns.name();
        List<TunLink> links = new ArrayList<>();
        try {
            // MTU first: a device below 1280 bytes would lose its IPv6 addresses (addrconf_notify).
            Ip.ip(ns, "link", "set", dev.name(), "mtu", Integer.toString(mtu));
            if (addresses.stream().anyMatch(a -> a.jtcp().isV6())) quietIpv6(netns, dev.name());
            for (Address a : addresses) {
                if (a.kernel().isV4()) Ip.ip(ns, "addr", "add", a.kernelCidr(), "dev", dev.name());
                // nodad: the address is usable at once instead of tentative for a second (DAD
                // cannot find a duplicate on a point-to-point device anyway).
                else Ip.ip(ns, "-6", "addr", "add", a.kernelCidr(), "dev", dev.name(), "nodad");
            }
            Ip.ip(ns, "link", "set", dev.name(), "up");
            for (TunDevice d : devs) links.add(new TunLink(d));
        } catch (IOException | RuntimeException e) {
            for (TunLink l : links) l.close();
            for (TunDevice d : devs) d.close();
            throw e;
        }
        return new TunHost(netns, links, addresses, mtu);
    }

    /**
     * Keeps the kernel's IPv6 from talking on the device by itself before it comes up: no
     * link-local address of its own (addr_gen_mode 1, so no router solicitations or MLD
     * reports from it) and no router advertisements taken (accept_ra 0). /proc/sys/net shows
     * the namespace of the thread that reads it, hence the namespace's thread.
     */
    private static void quietIpv6(NetNs netns, String device) throws IOException {
        Path conf = Path.of("/proc/sys/net/ipv6/conf", device);
        java.util.concurrent.Callable<Void> write = () -> {
            Files.writeString(conf.resolve("addr_gen_mode"), "1");
            Files.writeString(conf.resolve("accept_ra"), "0");
            return null;
        };
        try {
            if (netns == null) write.call();
            else netns.call(write);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** Pairs each jtcp prefix with the kernel's address in it; rejects what {@code ip} would, earlier and clearer. */
    static List<Address> plan(List<String> jtcpCidrs, List<String> kernelAddrs) {
        if (jtcpCidrs.isEmpty()) throw new IllegalArgumentException("jtcp needs at least one address, like 10.77.0.2/24");
        List<IpAddress> kernels = new ArrayList<>();
        for (String k : kernelAddrs) kernels.add(IpAddress.parse(k));
        List<Address> out = new ArrayList<>();
        for (String cidr : jtcpCidrs) {
            int slash = cidr.indexOf('/');
            if (slash < 0) throw new IllegalArgumentException("--addr needs a prefix length, like 10.77.0.2/24 or fd77::2/64: " + cidr);
            IpAddress jtcp = IpAddress.parse(cidr.substring(0, slash));
            int prefix;
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length: " + cidr);
            }
            // Two hosts at least: jtcp and the kernel.
            int longest = jtcp.isV4() ? 30 : 126;
            if (prefix < 1 || prefix > longest) throw new IllegalArgumentException("prefix length must be 1 to " + longest + ": " + cidr);
            for (Address a : out) {
                if (jtcp.inPrefix(a.jtcp(), Math.min(prefix, a.prefixLength()))) {
                    throw new IllegalArgumentException(cidr + " overlaps " + a.jtcpCidr());
                }
            }
            IpAddress kernel = kernels.stream().filter(k -> k.inPrefix(jtcp, prefix)).findFirst().orElse(firstHost(jtcp, prefix));
            kernels.remove(kernel);
            if (kernel.equals(jtcp)) throw new IllegalArgumentException("the kernel's address must differ from jtcp's (" + jtcp + ")");
            out.add(new Address(jtcp, kernel, prefix));
        }
        if (!kernels.isEmpty()) throw new IllegalArgumentException("kernel address " + kernels.getFirst() + " is in none of jtcp's prefixes");
        return out;
    }

    /** The first host address of {@code addr}'s prefix: 10.77.0.1 for 10.77.0.2/24, fd77::1 for fd77::2/64. */
    public static IpAddress firstHost(IpAddress addr, int prefix) {
        int bits = addr.isV4() ? prefix + 96 : prefix;
        long hiMask = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
        long loMask = bits <= 64 ? 0 : -1L << (128 - bits);
        return IpAddress.v6(addr.hi() & hiMask, (addr.lo() & loMask) + 1);
    }

    /**
     * A loop builder for a stack with all of jtcp's addresses on this device, known by the
     * first; the caller adds sysctls and the like and starts it on {@link #link()}.
     */
    public StackLoop.Builder stackBuilder(String name) {
        StackLoop.Builder b = StackLoop.builder(name, addresses.getFirst().jtcpCidr());
        for (Address a : addresses.subList(1, addresses.size())) b.address(a.jtcpCidr());
        return b;
    }

    /** The first queue's link: the only one of a single-queue device. */
    public TunLink link() { return link; }
    /** One link per queue, in the order opened; a sharded host's shard k polls queue k. */
    public List<TunLink> queues() { return queues; }
    public NetNs netns() { return netns; }
    public String netnsName() { return netns == null ? null : netns.name(); }
    public String device() { return link.device().name(); }
    /** Every prefix on the device, in the order given; the first is the one the stack is known by. */
    public List<Address> addresses() { return addresses; }
    /** jtcp's first address. */
    public String jtcpAddress() { return addresses.getFirst().jtcp().toString(); }
    /** The kernel's address in jtcp's first prefix. */
    public String kernelAddress() { return addresses.getFirst().kernel().toString(); }
    public int prefixLength() { return addresses.getFirst().prefixLength(); }
    public int mtu() { return mtu; }

    /** Runs a command where the kernel's end lives ({@code ip netns exec NS ...} or directly). */
    public String exec(String... command) throws IOException {
        return Ip.exec(netnsName(), command);
    }

    @Override
    public void close() {
        for (TunLink l : queues) l.close();
        if (netns != null) netns.close();
    }
}
