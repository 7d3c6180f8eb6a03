package io.jtcp.cli;

import picocli.CommandLine.Option;

/** The options every TUN-backed command shares (a picocli mixin). */
final class TunOptions {
    @Option(names = "--tun", paramLabel = "DEV", defaultValue = "jt0", description = "TUN device to create (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--addr", paramLabel = "ADDR/LEN", required = true,
            description = "jtcp's own address and the device's prefix, e.g. 10.77.0.2/24.")
    String addr;

    @Option(names = "--kernel-addr", paramLabel = "ADDR",
            description = "The kernel's address on the device (default: the prefix's first host, 10.77.0.1 for 10.77.0.2/24).")
    String kernelAddr;

    @Option(names = "--netns", paramLabel = "NAME",
            description = "Create (or enter) network namespace NAME and put the device and the kernel's end there; a namespace created here is removed on exit.")
    String netns;

    @Option(names = "--mtu", paramLabel = "BYTES", defaultValue = "1500", description = "The device's MTU; jtcp's MSS follows it (default: ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Also write every segment, in and out, to a pcap file.")
    java.nio.file.Path pcap;
}
