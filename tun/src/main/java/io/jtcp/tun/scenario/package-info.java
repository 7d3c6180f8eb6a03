/**
 * The scenarios of {@code io.jtcp.scenario} played against the Linux kernel as the peer over a TUN
 * device ({@code jtcp scenario --peer kernel}), each compared with the same story on the simulator;
 * docs/kernel-scenarios.md says which stories run there and what they show.
 */
package io.jtcp.tun.scenario;
