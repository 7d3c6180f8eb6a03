/**
 * java.net over jtcp: {@link java.net.Socket}s and {@link java.net.ServerSocket}s whose
 * connections are a jtcp host's, for code written against java.net (blocking streams,
 * SO_TIMEOUT, the standard socket options) and the libraries that take a
 * {@link javax.net.SocketFactory} or {@link javax.net.ServerSocketFactory}.
 *
 * <h2>Choosing the host</h2>
 * <ul>
 *   <li>In code, by naming it: {@code new JtcpSocketFactory(host)},
 *       {@code new JtcpServerSocketFactory(host)}, {@code new JtcpSocket(host)},
 *       {@code new JtcpServerSocket(host)}.</li>
 *   <li>By thread: the no-argument forms open on {@link io.jtcp.api.HostContext#current()},
 *       the host bound to the calling thread ({@code HostContext.bind}, inherited by the
 *       threads it starts), else the JVM default ({@code HostContext.setDefault}).</li>
 *   <li>By system properties, for a JVM that is one host: {@code -Djtcp.network=memory}
 *       (or the name of another {@link io.jtcp.net.NetworkProvider}),
 *       {@code -Djtcp.address}, {@code -Djtcp.host}; see {@link io.jtcp.net.JtcpNetwork}.</li>
 *   <li>JVM-wide for plain {@code new Socket(...)}: {@link io.jtcp.net.JtcpNetwork#installJvmWide()},
 *       through the JDK's deprecated, set-once socket factories.</li>
 * </ul>
 *
 * <p><b>Errors</b> are the JDK's types and messages (ConnectException "Connection refused",
 * SocketTimeoutException "Read timed out", SocketException "Connection reset", ...), each
 * carrying the errno ({@link io.jtcp.api.ErrnoCarrier}, made by {@link io.jtcp.api.SocketErrors}).
 * An interrupted virtual thread blocked in a socket call closes the socket, as the JDK's
 * sockets do. <b>Options</b>: {@link io.jtcp.net.JtcpSocketOptions} is the one mapping of
 * {@link java.net.StandardSocketOptions} to jtcp's {@link io.jtcp.api.TcpOption}s, which
 * are socket options themselves; io.jtcp.nio's channels use it too.
 *
 * <p><b>Not supported</b>: datagram sockets (jtcp has no UDP yet), IPv6 (jtcp is IPv4
 * only; an IPv6 address fails with errno EAFNOSUPPORT), urgent data and IP_TOS (the
 * engine sends no urgent data and sets no TOS). A {@link io.jtcp.net.JtcpSocket} made from
 * a {@link io.jtcp.api.TcpSocket} reads that socket's state once: it is a java.net view
 * of a jtcp socket, not of a channel; a channel's {@code socket()} is io.jtcp.nio's own
 * adaptor, which reads the channel at every call.
 */
package io.jtcp.net;
