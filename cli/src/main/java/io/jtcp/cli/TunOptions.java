package io.jtcp.cli;

import picocli.CommandLine.Option;

/** The options every TUN-backed command shares (a picocli mixin). */
final class TunOptions {
    @Option(names = "--tun", paramLabel = "DEV", defaultValue = "jt0", description = "TUN device to create (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--addr", paramLabel = "ADDR/LEN", required = true,
            description = {"jtcp's own address and the device's prefix, e.g. 10.77.0.2/24; repeat for more, IPv4 or IPv6",
                    "(--addr 10.77.0.2/24 --addr fd77::2/64). The first is the address jtcp is known by."})
    java.util.List<String> addrs;

    @Option(names = "--kernel-addr", paramLabel = "ADDR",
            description = {"The kernel's address on the device, in one of the --addr prefixes; repeat for one per prefix",
                    "(default per prefix: its first host, 10.77.0.1 for 10.77.0.2/24, fd77::1 for fd77::2/64)."})
    java.util.List<String> kernelAddrs = new java.util.ArrayList<>();

    @Option(names = "--netns", paramLabel = "NAME",
            description = "Create (or enter) network namespace NAME and put the device and the kernel's end there; a namespace created here is removed on exit.")
    String netns;

    @Option(names = "--mtu", paramLabel = "BYTES", defaultValue = "1500", description = "The device's MTU; jtcp's MSS follows it (default: ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Also write every segment, in and out, to a pcap file.")
    java.nio.file.Path pcap;
}
