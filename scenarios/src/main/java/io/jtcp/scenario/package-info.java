/**
 * TCP's lifecycle told as runnable stories on the simulator: the handshake, the four-way close,
 * TIME_WAIT and what it protects against, half-close, resets, SYN floods, port exhaustion and more.
 * Each {@link io.jtcp.scenario.Scenario} plays on a {@link io.jtcp.scenario.World} of two simulated
 * hosts, shows the hosts' views at the telling moments through a {@link io.jtcp.scenario.Reporter},
 * and explains what happened from what the run recorded. {@code jtcp demo} and {@code jtcp scenario}
 * print them; docs/scenarios.md describes each one.
 */
package io.jtcp.scenario;
