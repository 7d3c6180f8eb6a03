package io.jtcp.api;

import io.jtcp.wire.FourTuple;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A UDP flow (one client address and port to one destination address and port) to a
 * destination the stack does not own, which forwarding mode ({@link StackLoop#forwardUdp})
 * hands to the application: {@linkplain #accept accept} it (a socket that receives the
 * client's datagrams, the first ones included, and whose replies come from the original
 * destination) or {@linkplain #refuse refuse} it (the client gets ICMP port unreachable).
 * Decide once, from any thread; a few of the flow's datagrams are held meanwhile.
 */
public final class ForwardedFlow {
    private final StackLoop loop;
    private final io.jtcp.host.ForwardedFlow flow;
    private final FourTuple tuple;

    ForwardedFlow(StackLoop loop, io.jtcp.host.ForwardedFlow flow) {
        this.loop = loop;
        this.flow = flow;
        this.tuple = flow.tuple();
    }

    /** Where the client was sending to. */
    public InetSocketAddress destination() {
        return Addresses.of(tuple.localAddr(), tuple.localPort());
    }

    /** The client. */
    public InetSocketAddress source() {
        return Addresses.of(tuple.remoteAddr(), tuple.remotePort());
    }

    /**
     * Takes the flow; the future gives its socket, bound to the original destination and
     * connected to the client, with the held datagrams queued. It fails with EADDRINUSE
     * when an ordinary socket of the stack holds the destination's port.
     */
    public CompletableFuture<UdpSocket> accept() {
        CompletableFuture<UdpSocket> f = new CompletableFuture<>();
        loop.submit(() -> {
            try {
                f.complete(UdpSocket.adopt(loop, loop.stack().udp(), flow::accept));
            } catch (Throwable t) {
                f.completeExceptionally(SocketErrors.typedDatagram(t));
            }
        }, t -> f.completeExceptionally(SocketErrors.typedDatagram(t)));
        return f;
    }

    /** Answers with ICMP port unreachable, as a closed port would. */
    public void refuse() {
        loop.execute(flow::refuse);
    }

    @Override
    public String toString() {
        return "ForwardedFlow[" + tuple.remote() + " -> " + tuple.local() + "]";
    }
}
