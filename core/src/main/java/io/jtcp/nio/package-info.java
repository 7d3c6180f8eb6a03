/**
 * NIO over jtcp: a {@link java.nio.channels.spi.SelectorProvider} whose socket channels,
 * server socket channels and selectors run on jtcp hosts, so unmodified NIO programs (the
 * JDK's {@code HttpClient} and {@code com.sun.net.httpserver.HttpServer}, Netty's NIO
 * transport, hand-written selector loops) talk over a jtcp network.
 *
 * <h2>Choosing the provider</h2>
 * <ul>
 *   <li>JVM-wide, for code that calls {@code SocketChannel.open()}, {@code Selector.open()}
 *       and the like (HttpClient, HttpServer): start the JVM with
 *       {@code -Djava.nio.channels.spi.SelectorProvider=io.jtcp.nio.JtcpSelectorProvider}.
 *       The JDK reads the property once, at the first use of NIO, so it belongs on the
 *       command line. Each channel then opens on {@link io.jtcp.api.HostContext#current()}:
 *       bind the host to the thread that creates the server or the client
 *       ({@code HostContext.bind(host)}; threads it starts afterwards inherit the binding),
 *       set a JVM default, or name a network with {@code -Djtcp.network} (io.jtcp.net's
 *       {@code JtcpNetwork}).</li>
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
 * gather, {@code shutdownInput}/{@code shutdownOutput}, the standard socket options and
 * jtcp's own {@link io.jtcp.api.TcpOption}s, mapped by io.jtcp.net's
 * {@code JtcpSocketOptions} (the one mapping, shared with java.net's sockets). The
 * exceptions are those the JDK's channels throw in the same case (ClosedChannelException,
 * AsynchronousCloseException, ClosedByInterruptException, NotYetConnectedException,
 * ConnectException "Connection refused", SocketException "Connection reset", ...), each
 * made by {@link io.jtcp.api.SocketErrors} and carrying the errno
 * ({@link io.jtcp.api.ErrnoCarrier}). The selector has the JDK's key-set semantics and
 * never polls: the channels' loops wake it.
 *
 * <p><b>socket() adaptors.</b> {@code SocketChannel.socket()} and
 * {@code ServerSocketChannel.socket()} return this package's adaptors, which, like the
 * JDK's own (sun.nio.ch.SocketAdaptor), forward every call to the channel: their
 * connected, bound and closed state, addresses and options are the channel's at that
 * moment, their streams throw IllegalBlockingModeException while the channel is
 * non-blocking, and closing them closes the channel. They are not io.jtcp.net's
 * {@code JtcpSocket}: a java.net.Socket keeps its own connected and closed state, which a
 * channel connected by {@code finishConnect} or closed behind its back would contradict;
 * what both share, the option mapping and the errors, has one home (above).
 *
 * <p><b>Not provided.</b> Datagram channels and pipes (UnsupportedOperationException; jtcp
 * has no UDP yet), IPv6 (UnsupportedAddressTypeException), and timeouts through the
 * {@code socket()} adaptors: SO_TIMEOUT is recorded but reads and connects through them do
 * not time out, and a server adaptor takes no accept timeout (io.jtcp.net's sockets have
 * SO_TIMEOUT). Those adaptors are what Netty and HttpServer use for options; code that
 * needs timed java.net calls should use io.jtcp.net.
 */
package io.jtcp.nio;
