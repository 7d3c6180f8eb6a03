/**
 * Seeing what a stack does. The trace SPI is small: typed {@link io.jtcp.observe.TraceEvent}s (a
 * segment sent or received, a state change with its cause, a dropped segment with its reason, a user
 * call) delivered to a {@link io.jtcp.observe.TraceSink}, and {@link io.jtcp.observe.StackSnapshot},
 * a value holding everything a stack can show at one moment. Above it are the renderers: text and JSON
 * Lines printers, tcpdump's format, {@code ss}, {@code netstat} and {@code nstat} views of a snapshot,
 * pcap files that Wireshark reads, ladder diagrams and time plots as SVG.
 */
package io.jtcp.observe;
