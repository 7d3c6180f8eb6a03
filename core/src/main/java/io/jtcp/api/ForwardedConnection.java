package io.jtcp.api;

import io.jtcp.host.ForwardedSyn;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.Unreachable;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to a destination the stack does not own, which forwarding mode
 * ({@link StackLoop#forwardTcp}) hands to the application before answering the client: a
 * tun2socks proxy connects upstream first, then {@linkplain #accept accepts} (the client's
 * handshake completes from the original destination) or {@linkplain #refuse refuses} (the
 * client sees ECONNREFUSED) or reports the destination {@linkplain #unreachable unreachable}.
 * Decide once, from any thread; the client's SYN retransmissions wait meanwhile.
 */
public final class ForwardedConnection {
    private final StackLoop loop;
    private final ForwardedSyn syn;
    private final FourTuple tuple;

    ForwardedConnection(StackLoop loop, ForwardedSyn syn) {
        this.loop = loop;
        this.syn = syn;
        this.tuple = syn.tuple();
    }

    /** Where the client was connecting to. */
    public InetSocketAddress destination() {
        return Addresses.of(tuple.localAddr(), tuple.localPort());
    }

    /** The client. */
    public InetSocketAddress source() {
        return Addresses.of(tuple.remoteAddr(), tuple.remotePort());
    }

    /**
     * Completes the client's handshake; the future gives the connected socket (its local
     * address is the original destination), or fails with ECONNABORTED if the client goes
     * away before the handshake completes.
     */
    public CompletableFuture<TcpSocket> accept() {
        CompletableFuture<TcpSocket> f = new CompletableFuture<>();
        loop.execute(() -> syn.accept(new ForwardedSyn.Acceptor() {
            @Override
            public io.jtcp.host.SocketHandler accepted(io.jtcp.tcp.Connection c, long now) {
                TcpSocket socket = new TcpSocket(loop, c);
                f.complete(socket);
                return socket.handler();
            }

            @Override
            public void handshakeFailed() {
                f.completeExceptionally(new ErrnoException(Errno.ECONNABORTED, "the client left before the handshake completed"));
            }
        }));
        return f;
    }

    /** Answers with a reset, as a closed port would. */
    public void refuse() {
        loop.execute(syn::refuse);
    }

    /** Answers with ICMP destination unreachable: {@code why} picks the code. */
    public void unreachable(Unreachable why) {
        loop.execute(() -> syn.unreachable(why));
    }

    @Override
    public String toString() {
        return "ForwardedConnection[" + tuple.remote() + " -> " + tuple.local() + "]";
    }
}
