package io.jtcp.tcp;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.Segment;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The window and window scale of the SYN, the SYN-ACK and the first ACK, as Linux
 * 6.18's tcp_select_initial_window gives them. Expected values were measured on this
 * machine's kernel (MTU 1500, loopback in a netns, timestamps and SACK on):
 * <pre>
 * SO_RCVBUF   client SYN          SYN-ACK    first ACK            getsockopt(SO_RCVBUF)
 * (default)   win 64240 wscale 10 win 65160  63 (x 1024 = 64512)  131072
 * 16384       win 16060 wscale 0  win 15928  16060                32768
 * 1000000     win 65535 wscale 4  win 65535  62415 (x 16)         2000000
 * </pre>
 * Half of a buffer is window (tcp_win_from_space), rounded down to whole segments:
 * of 1460 bytes on a client's SYN, of 1448 (less the timestamp option) on a SYN-ACK.
 */
class InitialWindowTest {
    private static final Sysctls LINUX = Sysctls.linux();

    private static Consumer<SocketOptions> rcvBuf(int requested) {
        return o -> { if (requested > 0) o.setRcvBuf(requested); };
    }

    @ParameterizedTest(name = "SO_RCVBUF {0}")
    @CsvSource({"0, 64240, 10, 63, 131072", "16384, 16060, 0, 16060, 32768", "1000000, 65535, 4, 62415, 2000000"})
    void activeOpen(int soRcvbuf, int synWindow, int wscale, int firstAckField, int reported) throws Exception {
        Transcript t = with(LINUX, rcvBuf(soRcvbuf));
        t.c.openActive(t.now);
        Segment syn = t.drain().getFirst();
        assertThat(syn.window).isEqualTo(synWindow);
        assertThat(syn.windowScale).isEqualTo(wscale);
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460).wscale(7).sackOk().ts(1, syn.tsVal));
        Segment ack = t.drain().getFirst();
        assertThat(ack.window).as("the first ACK keeps the SYN's right edge, scaled").isEqualTo(firstAckField);
        assertThat(t.c.options().rcvBuf).as("getsockopt(SO_RCVBUF)").isEqualTo(reported);
    }

    @ParameterizedTest(name = "SO_RCVBUF {0}")
    @CsvSource({"0, 65160, 10", "16384, 15928, 0", "1000000, 65535, 4"})
    void passiveOpen(int soRcvbuf, int synAckWindow, int wscale) throws Exception {
        Transcript t = with(LINUX, rcvBuf(soRcvbuf));
        t.c.openPassive(t.now);
        t.send(in().syn().seq(PEER_ISS).mss(1460).wscale(7).sackOk().ts(1, 0));
        Segment synAck = t.drain().getFirst();
        assertThat(synAck.window).isEqualTo(synAckWindow);
        assertThat(synAck.windowScale).isEqualTo(wscale);
    }

    /** ilog2(max(tcp_rmem[2], rmem_max)) - 15: packetdrill's defaults.sh sets 15 MiB and its scripts expect 8. */
    @ParameterizedTest(name = "tcp_rmem max {0}")
    @CsvSource({"15728640, 8", "33554432, 10", "6291456, 7", "131072, 2"})
    void windowScaleCoversTheLargestBufferAutotuningMayReach(int rmemMax, int wscale) throws Exception {
        Transcript t = withSysctls(LINUX.set("tcp_rmem", "4096 131072 " + rmemMax).set("rmem_max", "131072"));
        t.c.openActive(t.now);
        assertThat(t.drain().getFirst().windowScale).isEqualTo(wscale);
    }
}
