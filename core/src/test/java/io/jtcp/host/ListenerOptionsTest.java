package io.jtcp.host;

import io.jtcp.config.Sysctls;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.wire.Seg;
import io.jtcp.wire.Segment;
import org.junit.jupiter.api.Test;

import static io.jtcp.wire.Seg.seg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * setsockopt on a socket that already listens reaches the connections later SYNs make, as
 * on Linux: TCP_MAXSEG set after listen(2) is the user_mss tcp_openreq_init copies into the
 * request, so the SYN-ACK announces it and the child's send MSS is clamped by it.
 */
class ListenerOptionsTest {
    private static final String PEER = "10.0.0.1";
    private final RawHost host = new RawHost(Sysctls.linux());

    private static Seg fromPeer() {
        return seg().from(PEER, 40000).to(RawHost.ADDRESS, 80).win(32792);
    }

    @Test
    void maxSegSetAfterListenIsTheSynAcksMssAndClampsTheChild() throws Exception {
        Connection[] child = new Connection[1];
        Listening l = host.stack.listen(80, 8, new SocketOptions(Sysctls.linux()), (x, now) -> { });
        l.options().maxSeg = 1100;

        Segment synAck = host.receive(fromPeer().syn().seq(1000).mss(1300).encode(), 0).getFirst();
        assertThat(synAck.mss).isEqualTo(1100);

        host.receive(fromPeer().seq(1001).ack(synAck.seq + 1).encode(), 1_000_000);
        child[0] = l.accept((c, now) -> new SocketHandler() { });
        assertThat(child[0].status(1_000_000).sndMss()).isEqualTo(1100);
        assertThat(child[0].options().maxSeg).isEqualTo(1100);
    }

    /** A child shares its listener's options until either side writes: then each sees only its own writes, as with Linux's copy. */
    @Test
    void childAndListenerWritesStayApartThoughTheyShareOneObject() throws Exception {
        Listening l = host.stack.listen(80, 8, new SocketOptions(Sysctls.linux()), (x, now) -> { });
        l.options().keepAlive = true;
        Segment synAck = host.receive(fromPeer().syn().seq(1000).mss(1300).encode(), 0).getFirst();
        host.receive(fromPeer().seq(1001).ack(synAck.seq + 1).encode(), 1_000_000);
        Connection child = l.accept((c, now) -> new SocketHandler() { });

        l.options().maxSeg = 900;
        assertThat(child.options().maxSeg).isZero();
        assertThat(child.options().keepAlive).isTrue();
        child.options().noDelay = true;
        assertThat(l.options().noDelay).isFalse();
        assertThat(l.options().maxSeg).isEqualTo(900);
    }
}
