/**
 * Benchmarks: the JMH micro-benchmarks of the engine's hot paths and the macro harness behind
 * {@code jtcp bench NAME}, which runs each case beside its baseline in the same run (the JDK's own
 * sockets, the kernel over TUN). docs/benchmarks.md has the cases and the figures.
 */
package io.jtcp.bench;
