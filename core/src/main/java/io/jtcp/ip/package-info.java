/**
 * The host's IP layer beneath TCP and UDP: fragment reassembly, ICMP and ICMPv6 generation
 * and its rate limits, and the path MTU each destination has taught. State owned by one
 * stack's thread; the byte formats it reads and writes live in {@code io.jtcp.wire}.
 */
package io.jtcp.ip;
