/**
 * A stack's configuration as data: {@link io.jtcp.config.Sysctls} is one immutable record whose fields
 * are named after the Linux sysctls they mirror ({@code net.ipv4.tcp_fin_timeout},
 * {@code tcp_tw_reuse}, {@code tcp_rmem}, ...), with two profiles: {@code linux}, Linux's defaults, and
 * {@code rfc}, RFC 9293's timing. Sysctls can be read and set by their Linux names, so a setting from a
 * real machine can be copied as it is.
 */
package io.jtcp.config;
