/**
 * The socket layer: what a program uses to talk TCP over jtcp. A {@link io.jtcp.api.StackLoop} is a
 * host, one stack owned by one thread; {@link io.jtcp.api.TcpSocket} and
 * {@link io.jtcp.api.TcpServerSocket} are its sockets, safe to call from any thread, with a blocking
 * form (which parks the caller, cheap on a virtual thread) and an asynchronous form returning a
 * {@code CompletableFuture} for each call. Options are typed ({@link io.jtcp.api.TcpOption}, named after
 * their setsockopt(2) constants). Errors carry the Linux errno that the same call would fail with
 * ({@link io.jtcp.api.Errno}, {@link io.jtcp.api.ErrnoException}), and
 * {@link io.jtcp.api.ConnectionStatus} is what {@code ss} would show of a connection.
 * {@link io.jtcp.api.HostContext} says which host the java.net and NIO adapters open their sockets on.
 */
package io.jtcp.api;
