package io.jtcp.host;

import io.jtcp.config.Sysctls;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import io.jtcp.tcp.TcpInfo;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Seg;
import io.jtcp.wire.Segment;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

import static io.jtcp.wire.Seg.seg;
import static org.assertj.core.api.Assertions.assertThat;

/** The client half of TCP Fast Open (RFC 7413 §4.1) as Linux's tcp_send_syn_data and tcp_rcv_fastopen_synack do it. */
class FastOpenClientTest {
    private static final String SERVER = "10.0.0.1";
    private static final byte[] COOKIE = HexFormat.of().parseHex("abcd1234");
    private static final long SECOND = 1_000_000_000L;
    private final RawHost host = new RawHost(Sysctls.linux().set("tcp_timestamps", "0"));

    private Stack.FastOpenStart sendto(int length, long now) throws Exception {
        return host.stack.connectFastOpen(null, IpAddress.parse(SERVER), 80, new SocketOptions(host.stack.sysctls()),
                new SocketHandler() {}, new byte[length], 0, length, now);
    }

    private static Seg synAck(Connection c, long ack) {
        return seg().from(SERVER, 80).to(RawHost.ADDRESS, c.tuple().localPort()).syn().seq(5000).ack(ack).win(65535).mss(1460);
    }

    /** A first connection asks for a cookie and learns {@link #COOKIE}; then it is closed away. */
    private void learnCookie() throws Exception {
        Stack.FastOpenStart start = sendto(0, 0);
        host.take();
        host.receive(synAck(start.conn(), start.conn().iss() + 1).fastOpen(COOKIE).encode(), 1000);
        start.conn().abort(2000);
        host.take();
    }

    @Test
    void withoutACookieTheSynAsksForOneAndCarriesNoData() throws Exception {
        Stack.FastOpenStart start = sendto(1000, 0);
        Segment syn = host.take().getFirst();
        assertThat(start.synData()).isZero();
        assertThat(syn.syn()).isTrue();
        assertThat(syn.payloadLength).isZero();
        assertThat(syn.fastOpenLength).as("a cookie request").isZero();
        List<Segment> out = host.receive(synAck(start.conn(), start.conn().iss() + 1).fastOpen(COOKIE).encode(), 1000);
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().payloadLength).as("a plain ACK completes the handshake").isZero();
        start.conn().abort(2000);
        host.take();

        Stack.FastOpenStart next = sendto(100, 3000);
        Segment synData = host.take().getFirst();
        assertThat(synData.fastOpenCookieBytes()).as("the learned cookie").isEqualTo(COOKIE);
        assertThat(synData.payloadLength).isEqualTo(100);
        assertThat(next.synData()).isEqualTo(100);
    }

    @Test
    void aSynWithACookieCarriesDataUpToTheMssLessTheOptionSpace() throws Exception {
        learnCookie();
        Stack.FastOpenStart start = sendto(4000, 3000);
        Segment syn = host.take().getFirst();
        assertThat(syn.payloadLength).as("1460 - 40 (MAX_TCP_OPTION_SPACE)").isEqualTo(1420);
        assertThat(start.synData()).isEqualTo(1420);
        Connection c = start.conn();
        List<Segment> out = host.receive(synAck(c, c.iss() + 1 + 1420).encode(), 4000);
        assertThat(c.state()).isEqualTo(State.ESTABLISHED);
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().payloadLength).isZero();
        assertThat(c.tcpInfo(4000).options() & TcpInfo.TCPI_OPT_SYN_DATA).isNotZero();
        assertThat(host.stack.counters().fastOpenActive).isEqualTo(1);
    }

    @Test
    void dataTheSynAckDoesNotAcknowledgeIsSentAgainAtOnce() throws Exception {
        learnCookie();
        Stack.FastOpenStart start = sendto(1000, 3000);
        host.take();
        Connection c = start.conn();
        List<Segment> out = host.receive(synAck(c, c.iss() + 1 + 100).encode(), 4000);
        assertThat(out).hasSize(1);
        Segment resent = out.getFirst();
        assertThat(resent.seq).isEqualTo(c.iss() + 1 + 100);
        assertThat(resent.payloadLength).isEqualTo(900);
        assertThat(resent.ackFlag()).as("it carries the handshake's ACK").isTrue();
        assertThat(c.tcpInfo(4000).options() & TcpInfo.TCPI_OPT_SYN_DATA).isZero();
        assertThat(host.stack.counters().fastOpenActiveFail).isEqualTo(1);
    }

    @Test
    void aTimedOutSynIsResentWithoutDataOrCookieAndTheDataFollowsTheHandshake() throws Exception {
        learnCookie();
        Stack.FastOpenStart start = sendto(1000, 3000);
        assertThat(host.take().getFirst().payloadLength).isEqualTo(1000);
        host.stack.advance(3000 + 2 * SECOND);
        Segment again = host.take().getFirst();
        assertThat(again.syn()).isTrue();
        assertThat(again.payloadLength).isZero();
        assertThat(again.fastOpenLength).as("no Fast Open option on a retransmitted SYN").isEqualTo(-1);
        Connection c = start.conn();
        List<Segment> out = host.receive(synAck(c, c.iss() + 1).encode(), 3 * SECOND);
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().seq).isEqualTo(c.iss() + 1);
        assertThat(out.getFirst().payloadLength).isEqualTo(1000);
        assertThat(host.stack.counters().fastOpenActiveFail).isEqualTo(1);
    }
}
