package io.jtcp.api;

import io.jtcp.tcp.Ioctl;
import io.jtcp.tcp.TcpInfo;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.jtcp.api.Hosts.*;
import static org.assertj.core.api.Assertions.assertThat;

/** MSG_PEEK, MSG_MORE, TCP_CORK, TCP_DEFER_ACCEPT, the queue ioctls and TCP_INFO through the public API. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinuxSocketCallsTest {

    @Test
    void peekThenReadSeeTheSameBytesAndFionreadCountsThem() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket[] pair = h.connect(TcpServerSocket.listen(h.server, 80, 4));
            pair[1].write("hello".getBytes(StandardCharsets.US_ASCII), 0, 5);
            byte[] b = new byte[16];
            assertThat(pair[0].peek(b, 0, b.length)).isEqualTo(5);
            assertThat(pair[0].ioctl(Ioctl.FIONREAD)).isEqualTo(5);
            assertThat(pair[0].read(b, 0, b.length)).isEqualTo(5);
            assertThat(new String(b, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(pair[0].ioctl(Ioctl.SIOCINQ)).isZero();
            TcpInfo info = pair[0].tcpInfo();
            assertThat(info.state()).isEqualTo(1);
            assertThat(info.bytesReceived()).isEqualTo(5);
        }
    }

    @Test
    void corkedAndMsgMoreWritesArriveWholeOnceReleased() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket[] pair = h.connect(TcpServerSocket.listen(h.server, 80, 4));
            pair[0].setOption(TcpOption.TCP_CORK, true);
            assertThat(pair[0].getOption(TcpOption.TCP_CORK)).isTrue();
            pair[0].write("ab".getBytes(StandardCharsets.US_ASCII), 0, 2);
            pair[0].writeMore("cd".getBytes(StandardCharsets.US_ASCII), 0, 2);
            pair[0].setOption(TcpOption.TCP_CORK, false);
            byte[] b = new byte[4];
            int n = 0;
            while (n < 4) n += pair[1].read(b, n, 4 - n);
            assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo("abcd");
        }
    }

    @Test
    void deferAcceptIsAListenerOptionAndIoctlNeedsAConnection() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpServerSocket server = TcpServerSocket.listen(h.server, 80, 4);
            server.setOption(TcpOption.TCP_DEFER_ACCEPT, 5);
            assertThat(server.getOption(TcpOption.TCP_DEFER_ACCEPT)).isEqualTo(5);
            TcpSocket unconnected = TcpSocket.open(h.client);
            assertThat(errnoOf(() -> unconnected.ioctl(Ioctl.SIOCOUTQ))).isEqualTo(Errno.ENOTCONN);
        }
    }
}
