/**
 * The simulated network: a deterministic discrete-event network in virtual time
 * ({@link io.jtcp.link.sim.SimNetwork}) whose hosts are jtcp stacks ({@link io.jtcp.link.sim.SimHost}).
 * Each direction of a link has netem-like parameters ({@link io.jtcp.link.sim.LinkParams}: delay,
 * jitter, loss, duplication, reordering, corruption, bandwidth with a queue that tail-drops and
 * can mark CE), chosen segments can be dropped, delayed or
 * duplicated by {@link io.jtcp.link.sim.FaultRule}s, and a {@link io.jtcp.link.sim.Nat} can stand
 * between hosts. Every random choice comes from one seed, so the same seed gives the same run, and a
 * run of minutes of virtual time takes milliseconds.
 */
package io.jtcp.link.sim;
