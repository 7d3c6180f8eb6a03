/**
 * Run your program, unmodified, in virtual time: a {@link io.jtcp.simulation.Simulation} is a
 * world of jtcp hosts on a simulated network ({@link io.jtcp.link.sim.SimNetwork}) whose
 * application code, written against java.net, NIO, Netty or jtcp's own sockets, runs on the
 * simulation's threads. Those are virtual threads scheduled one at a time by the simulation,
 * so the same program and seed give the same trace, byte for byte. Time moves only when none
 * of them can run. The package also holds the test kit (hosts, faults, partitions, virtual
 * sleep and clock, views at any moment); docs/simulation.md is the guide and says what breaks
 * determinism.
 */
package io.jtcp.simulation;
