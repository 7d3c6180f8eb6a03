package io.jtcp.cli.proxy;

import io.jtcp.api.ForwardedFlow;
import io.jtcp.api.UdpSocket;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

/**
 * One forwarded UDP flow: a path upstream first (a refusal there is the client's port
 * unreachable), then the flow's socket, then a copy each way on virtual threads until
 * the flow has been idle for as long as Linux's conntrack keeps a UDP entry
 * (nf_conntrack_proto_udp.c: 30 s while only the client has spoken,
 * nf_conntrack_udp_timeout; 120 s once the destination has answered,
 * nf_conntrack_udp_timeout_stream). The flow's next datagram after that opens a new flow.
 */
final class UdpRelay {
    private static final int MAX_DATAGRAM = 65535;

    private final Upstream upstream;
    private final RelayCounters counters;
    private final Duration unrepliedTimeout, repliedTimeout;

    UdpRelay(Upstream upstream, RelayCounters counters, Duration unrepliedTimeout, Duration repliedTimeout) {
        this.upstream = upstream;
        this.counters = counters;
        this.unrepliedTimeout = unrepliedTimeout;
        this.repliedTimeout = repliedTimeout;
    }

    /** On the stack's loop: the work goes to a virtual thread at once. */
    void arrived(ForwardedFlow f) {
        Thread.ofVirtual().name("udp " + f.source() + " -> " + f.destination()).start(() -> relay(f));
    }

    /** A flow's liveness: when it last carried a datagram, and whether the destination ever answered. */
    private final class Flow {
        private volatile long lastActive = System.nanoTime();
        private volatile boolean replied;

        void active(boolean fromDestination) {
            lastActive = System.nanoTime();
            if (fromDestination) replied = true;
        }

        /** How long it may stay quiet from now before it expires; zero or less: expired. */
        long remainingMillis() {
            long timeout = (replied ? repliedTimeout : unrepliedTimeout).toNanos();
            return (lastActive + timeout - System.nanoTime()) / 1_000_000;
        }
    }

    private void relay(ForwardedFlow f) {
        Upstream.UdpPath up;
        try {
            up = upstream.udp(f.destination());
        } catch (IOException e) {
            counters.udpRefused.increment();
            f.refuse();
            return;
        }
        UdpSocket client;
        try {
            client = f.accept().get();
        } catch (InterruptedException | ExecutionException e) {
            up.close();
            return;
        }
        counters.udpFlows.increment();
        counters.udpActive.increment();
        Flow flow = new Flow();
        try {
            Thread back = Thread.ofVirtual().start(() -> fromDestination(up, client, flow));
            toDestination(client, up, flow);
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            counters.udpActive.decrement();
            up.close();
            client.close();
        }
    }

    private void toDestination(UdpSocket client, Upstream.UdpPath up, Flow flow) {
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
        try {
            while (true) {
                long wait = flow.remainingMillis();
                if (wait <= 0) break;
                client.setSoTimeout(Duration.ofMillis(wait));
                buf.clear();
                try {
                    client.receive(buf);
                } catch (SocketTimeoutException quiet) {
                    continue;  // the other direction may have been active meanwhile
                }
                flow.active(false);
                counters.udpDatagramsOut.increment();
                counters.udpBytesOut.add(buf.position());
                up.send(buf.array(), 0, buf.position());
            }
            counters.udpExpired.increment();
        } catch (IOException e) {
            // the client's side failed (ICMP port unreachable from it, or closed): the flow ends
        } finally {
            up.close();
        }
    }

    private void fromDestination(Upstream.UdpPath up, UdpSocket client, Flow flow) {
        byte[] buf = new byte[MAX_DATAGRAM];
        try {
            while (true) {
                long wait = flow.remainingMillis();
                if (wait <= 0) break;
                int n = up.receive(buf, (int) Math.min(wait, Integer.MAX_VALUE));
                if (n < 0) continue;
                flow.active(true);
                counters.udpDatagramsIn.increment();
                counters.udpBytesIn.add(n);
                client.send(ByteBuffer.wrap(buf, 0, n), null);
            }
        } catch (IOException e) {
            // the destination's side failed or was closed by the other direction: the flow ends
        } finally {
            client.close();
        }
    }
}
