package io.jtcp.cli.proxy;

import io.jtcp.api.ForwardedConnection;
import io.jtcp.api.TcpSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * One forwarded TCP connection: upstream first, then the client's handshake (so a refused
 * or unreachable destination is what the client hears, not an accepted connection that
 * closes at once), then two copies, one per direction, each on a virtual thread. A FIN
 * one way becomes shutdownOutput on the other side, so half-closed protocols work; a
 * failure either way (a reset, say) ends both.
 */
final class TcpRelay {
    private static final int BUFFER = 64 * 1024;

    private final Upstream upstream;
    private final RelayCounters counters;

    TcpRelay(Upstream upstream, RelayCounters counters) {
        this.upstream = upstream;
        this.counters = counters;
    }

    /** On the stack's loop: the work goes to a virtual thread at once. */
    void arrived(ForwardedConnection c) {
        Thread.ofVirtual().name("relay " + c.source() + " -> " + c.destination()).start(() -> relay(c));
    }

    private void relay(ForwardedConnection c) {
        Socket up;
        try {
            up = upstream.connect(c.destination());
        } catch (IOException e) {
            Verdict v = Verdict.of(e);
            if (v.icmp == null) {
                counters.tcpRefused.increment();
                c.refuse();
            } else {
                counters.tcpUnreachable.increment();
                c.unreachable(v.icmp);
            }
            return;
        }
        TcpSocket client;
        try {
            client = c.accept().get();
        } catch (InterruptedException | ExecutionException e) {
            closeQuietly(up);
            return;  // the client left before its handshake completed
        }
        counters.tcpConnections.increment();
        counters.tcpActive.increment();
        try {
            Thread back = Thread.ofVirtual().start(() -> copy(up, client, counters.tcpBytesIn));
            copy(client, up, counters.tcpBytesOut);
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            counters.tcpActive.decrement();
            closeQuietly(up);
            try {
                client.close();
            } catch (IOException ignored) {
                // already reset
            }
        }
    }

    /** Client to destination. */
    private void copy(TcpSocket from, Socket to, LongAdder bytes) {
        try {
            pump(from.getInputStream(), to.getOutputStream(), bytes);
            to.shutdownOutput();
        } catch (IOException e) {
            failed(from, to);
        }
    }

    /** Destination to client. */
    private void copy(Socket from, TcpSocket to, LongAdder bytes) {
        try {
            pump(from.getInputStream(), to.getOutputStream(), bytes);
            to.shutdownOutput();
        } catch (IOException e) {
            failed(to, from);
        }
    }

    private static void pump(InputStream in, OutputStream out, LongAdder bytes) throws IOException {
        byte[] buf = new byte[BUFFER];
        for (int n; (n = in.read(buf)) >= 0; ) {
            bytes.add(n);  // counted as taken, before the write: whoever sees the bytes arrive sees them counted
            out.write(buf, 0, n);
        }
        out.flush();
    }

    /** One direction failed: the other cannot go on either; both ends are reset. */
    private void failed(TcpSocket client, Socket up) {
        counters.tcpErrors.increment();
        try {
            up.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closed already
        }
        closeQuietly(up);
        try {
            client.abort();
        } catch (IOException ignored) {
            // closed already
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
