/**
 * jtcp on a real network device: {@link io.jtcp.tun.TunDevice} opens a Linux TUN device through
 * java.lang.foreign, {@link io.jtcp.tun.TunLink} carries a stack's packets over it in real time, and
 * {@link io.jtcp.tun.NetNs} runs the whole thing in a private network namespace, so that jtcp can talk
 * to the Linux kernel's own TCP. Needs Linux, root (or CAP_NET_ADMIN) and native access.
 */
package io.jtcp.tun;
