/**
 * Runs packetdrill scripts against a jtcp stack in virtual time, with no privileges:
 * {@link io.jtcp.packetdrill.Packetdrill} parses a script, plays its system calls on jtcp's sockets
 * and its packets on the stack's link, and reports each mismatch as packetdrill's
 * {@code file:line: message}. docs/conformance.md lists the supported syntax and the results.
 */
package io.jtcp.packetdrill;
