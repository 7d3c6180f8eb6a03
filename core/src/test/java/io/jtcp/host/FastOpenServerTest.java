package io.jtcp.host;

import io.jtcp.config.FastOpenKeys;
import io.jtcp.config.Sysctls;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.State;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Seg;
import io.jtcp.wire.Segment;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

import static io.jtcp.wire.Seg.seg;
import static org.assertj.core.api.Assertions.assertThat;

/** The server half of TCP Fast Open (RFC 7413 §4.2.2) as Linux's tcp_try_fastopen decides it. */
class FastOpenServerTest {
    private static final String PEER = "10.0.0.1";
    private static final String KEY = "a0bf63f7-ed803d81-cd641d30-cebc4a90";
    private final RawHost host = new RawHost(Sysctls.linux().set("tcp_fastopen", "0x403").set("tcp_fastopen_key", KEY));
    private Connection accepted;

    private static Seg synFromPeer() {
        return seg().from(PEER, 40000).to(RawHost.ADDRESS, 80).win(64240).syn().seq(1000).mss(1460);
    }

    private void listen() throws Exception {
        host.stack.listen(80, (c, now) -> {
            accepted = c;
            return new SocketHandler() {};
        });
    }

    private byte[] validCookie() {
        return FastOpenServer.cookie(FastOpenKeys.parse(KEY).primary(), IpAddress.parse(PEER), IpAddress.parse(RawHost.ADDRESS));
    }

    @Test
    void cookieMatchesLinuxForTheSameKeyAndAddresses() {
        // From upstream packetdrill's fastopen/server/opt34/simple1.pkt, which passes on Linux 6.18.
        byte[] c = FastOpenServer.cookie(FastOpenKeys.parse(KEY).primary(), IpAddress.parse("10.248.0.2"), IpAddress.parse("192.168.0.2"));
        assertThat(HexFormat.of().formatHex(c)).isEqualTo("00abaaabe8e954c2");
    }

    @Test
    void anIpv6CookieMatchesLinuxsToo() {
        // Upstream packetdrill's run_all.py: TFO_COOKIE for its IPv6 addresses under defaults.sh's key.
        byte[] key = FastOpenKeys.parse("a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4").primary();
        byte[] v6 = FastOpenServer.cookie(key, IpAddress.parse("fd3d:fa7b:d17d::1"), IpAddress.parse("fd3d:a0b:17d6::1"));
        assertThat(HexFormat.of().formatHex(v6)).isEqualTo("c1d1e9742a47a9bc");
        byte[] v4 = FastOpenServer.cookie(key, IpAddress.parse("192.0.2.1"), IpAddress.parse("192.168.0.1"));
        assertThat(HexFormat.of().formatHex(v4)).isEqualTo("3021b9d889017eeb");
    }

    @Test
    void aCookieRequestGetsACookieAndTheDataIsNotTaken() throws Exception {
        listen();
        List<Segment> out = host.receive(synFromPeer().fastOpen(null).payload("hello").encode(), 0);
        Segment synAck = out.getFirst();
        assertThat(synAck.ack).isEqualTo(1001);
        assertThat(synAck.fastOpenCookieBytes()).isEqualTo(validCookie());
        assertThat(accepted).isNull();
        assertThat(host.stack.counters().fastOpenCookieReqd).isEqualTo(1);
    }

    @Test
    void aValidCookieMakesAChildThatHoldsTheDataBeforeTheHandshakeCompletes() throws Exception {
        listen();
        Segment synAck = host.receive(synFromPeer().fastOpen(validCookie()).payload("hello").encode(), 0).getFirst();
        assertThat(synAck.ack).as("the SYN-ACK acknowledges the data").isEqualTo(1006);
        assertThat(synAck.fastOpenLength).as("no cookie for a client that has one").isEqualTo(-1);
        assertThat(accepted).as("accepted at once").isNotNull();
        assertThat(accepted.state()).isEqualTo(State.SYN_RECEIVED);
        assertThat(accepted.available()).isEqualTo(5);
        assertThat(host.stack.counters().fastOpenPassive).isEqualTo(1);
    }

    @Test
    void anInvalidCookieFallsBackToAPlainHandshakeWithAFreshCookie() throws Exception {
        listen();
        byte[] bad = validCookie();
        bad[0] ^= 1;
        Segment synAck = host.receive(synFromPeer().fastOpen(bad).payload("hello").encode(), 0).getFirst();
        assertThat(synAck.ack).isEqualTo(1001);
        assertThat(synAck.fastOpenCookieBytes()).isEqualTo(validCookie());
        assertThat(host.stack.counters().fastOpenPassiveFail).isEqualTo(1);
        assertThat(host.stack.counters().fastOpenPassive).isZero();
    }
}
