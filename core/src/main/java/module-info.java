/**
 * jtcp: a user-space TCP/IP stack. Programs use the socket layer ({@code io.jtcp.api}) or the JDK's own
 * interfaces over it (java.net through {@code io.jtcp.net}, NIO through {@code io.jtcp.nio}), attach it to a
 * network through the link SPI ({@code io.jtcp.link}) or the simulator ({@code io.jtcp.link.sim}), run whole
 * programs in virtual time ({@code io.jtcp.simulation}), tune it with {@code io.jtcp.config} and watch it
 * through {@code io.jtcp.observe}.
 *
 * <p>The wire format ({@code io.jtcp.wire}: addresses, segments, packet codecs) is public: the simulator's
 * API names addresses and lets programs craft packets. The engine ({@code io.jtcp.tcp}), the host
 * ({@code io.jtcp.host}), the IP layer ({@code io.jtcp.ip}) and timers ({@code io.jtcp.time}) are internals:
 * the first two are exported only to jtcp's own modules (the kernel peer over TUN, the packetdrill runner, the
 * benchmarks and the teaching scenarios), which drive the engine directly. A new export here is a deliberate
 * API decision: {@code ModuleDescriptorTest} pins the set.
 */
module io.jtcp.core {
    // The simulation notices platform threads started under it by their count (ThreadMXBean).
    requires java.management;

    exports io.jtcp.api;
    exports io.jtcp.net;
    exports io.jtcp.nio;
    exports io.jtcp.simulation;
    exports io.jtcp.config;
    exports io.jtcp.link;
    exports io.jtcp.link.sim;
    exports io.jtcp.observe;
    exports io.jtcp.shard;
    exports io.jtcp.wire;

    exports io.jtcp.tcp to io.jtcp.scenarios, io.jtcp.tun, io.jtcp.bench, io.jtcp.packetdrill;
    exports io.jtcp.host to io.jtcp.scenarios, io.jtcp.tun, io.jtcp.bench, io.jtcp.packetdrill, io.jtcp.cli;
}
