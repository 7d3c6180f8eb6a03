package io.jtcp.cli.proxy;

import io.jtcp.api.StackLoop;
import java.time.Duration;

/**
 * tun2socks on a stack: forwarding mode for TCP and UDP, every connection and flow relayed
 * to its original destination through an {@link Upstream}. {@link #close()} turns
 * forwarding off; relays under way finish on their own.
 */
public final class Proxy implements AutoCloseable {
    /** Linux's nf_conntrack_udp_timeout and nf_conntrack_udp_timeout_stream (6.x defaults). */
    public static final Duration UDP_UNREPLIED = Duration.ofSeconds(30), UDP_REPLIED = Duration.ofSeconds(120);

    private final StackLoop loop;
    private final RelayCounters counters = new RelayCounters();

    private Proxy(StackLoop loop) {
        this.loop = loop;
    }

    public static Proxy start(StackLoop loop, Upstream upstream) {
        return start(loop, upstream, UDP_UNREPLIED, UDP_REPLIED);
    }

    public static Proxy start(StackLoop loop, Upstream upstream, Duration udpUnreplied, Duration udpReplied) {
        Proxy p = new Proxy(loop);
        TcpRelay tcp = new TcpRelay(upstream, p.counters);
        UdpRelay udp = new UdpRelay(upstream, p.counters, udpUnreplied, udpReplied);
        loop.forwardTcp(tcp::arrived);
        loop.forwardUdp(udp::arrived);
        return p;
    }

    public RelayCounters counters() { return counters; }

    @Override
    public void close() {
        loop.forwardTcp(null);
        loop.forwardUdp(null);
    }
}
