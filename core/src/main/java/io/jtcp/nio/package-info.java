/**
 * NIO over jtcp: a {@link java.nio.channels.spi.SelectorProvider} whose socket channels,
 * server socket channels and selectors run on jtcp hosts, so unmodified NIO programs (the
 * JDK's {@code HttpClient} and {@code com.sun.net.httpserver.HttpServer}, Netty's NIO
 * transport) talk over a jtcp network.
 *
 * <h2>Choosing the provider</h2>
 * <ul>
 *   <li>JVM-wide, for code that calls {@code SocketChannel.open()}, {@code Selector.open()}
 *       and the like (HttpClient, HttpServer): start the JVM with
 *       {@code -Djava.nio.channels.spi.SelectorProvider=io.jtcp.nio.JtcpSelectorProvider}.
 *       The JDK reads the property once, at the first use of NIO, so it belongs on the
 *       command line (or at the very start of {@code main}). Each channel then opens on
 *       {@link io.jtcp.api.HostContext#current()}: bind the host to the thread that creates
 *       the server or the client ({@code HostContext.bind(host)}); threads it starts
 *       afterwards inherit the binding.</li>
 *   <li>Per library, for code that takes a provider: {@code new JtcpSelectorProvider(host)}
 *       opens every channel on {@code host}, whichever thread asks. Netty 4.2:
 *       {@code new MultiThreadIoEventLoopGroup(n, NioIoHandler.newFactory(provider))} with
 *       {@code channelFactory(() -> new NioSocketChannel(provider))} (and
 *       {@code NioServerSocketChannel(provider)}).</li>
 * </ul>
 *
 * <p><b>HttpClient.</b> It opens a connection's channel on whichever thread runs the
 * exchange: the caller, or a thread of its executor. Give it an executor whose threads
 * are bound to the client's host (a thread factory that calls {@code HostContext.bind}
 * first), so that no connection depends on which thread happened to start another. Its
 * selector thread does not inherit thread-locals but opens only the selector, which
 * belongs to no host. <b>HttpServer</b> opens its server channel in {@code create}, on the
 * calling thread; accepted channels come from it, so its dispatcher and handler threads
 * need no binding.
 *
 * <p><b>Semantics.</b> Blocking and non-blocking modes, {@code finishConnect}, scatter and
 * gather, {@code shutdownInput}/{@code shutdownOutput}, {@code StandardSocketOptions}
 * (TCP_NODELAY, SO_KEEPALIVE, SO_REUSEADDR, SO_RCVBUF, SO_SNDBUF, SO_LINGER) and jtcp's own
 * {@link io.jtcp.api.TcpOption}s; interrupting or closing a channel that a thread is blocked
 * on ends the call with ClosedByInterruptException or AsynchronousCloseException. The
 * selector has the JDK's key-set semantics and never polls: channels' loops wake it.
 *
 * <p><b>Not provided.</b> Datagram channels and pipes (UnsupportedOperationException; UDP
 * is issue 11), IPv6, and timed accept or read through the {@code socket()} adaptors
 * (io.jtcp.net's java.net sockets have SO_TIMEOUT).
 */
package io.jtcp.nio;
