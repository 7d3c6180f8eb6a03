/**
 * The Link SPI: how a stack's IPv4 packets leave it and arrive at it. A stack hands each outgoing packet
 * to a {@link io.jtcp.link.PacketSink}; a real-time link hands each arriving packet to a
 * {@link io.jtcp.link.PacketReceiver}. {@link io.jtcp.link.RealTimeLink} is a link driven by real
 * threads, and {@link io.jtcp.link.MemoryNetwork} one of them: an in-memory network between stacks in
 * one JVM, for tests and programs that need no device. The simulator lives in
 * {@code io.jtcp.link.sim}; the Linux TUN link in the jtcp-tun module.
 */
package io.jtcp.link;
