package io.jtcp.nio;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoCarrier;
import io.jtcp.api.Hosts;
import io.jtcp.api.TcpOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A channel's socket() adaptor shows the channel's state at each call, as the JDK's SocketAdaptor does. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketAdaptorTest {
    @Test
    void theAdaptorFollowsANonBlockingConnectAndTheChannelsOptionsAndClose() throws Exception {
        try (Hosts h = new Hosts();
             ServerSocketChannel l = new JtcpSelectorProvider(h.server).openServerSocketChannel().bind(new InetSocketAddress(0));
             Selector sel = new JtcpSelectorProvider(h.client).openSelector()) {
            int port = l.socket().getLocalPort();
            SocketChannel c = new JtcpSelectorProvider(h.client).openSocketChannel();
            Socket s = c.socket();
            assertThat(s.isConnected()).isFalse();
            assertThat(s.getLocalPort()).isEqualTo(-1);

            c.configureBlocking(false);
            c.connect(new InetSocketAddress(Hosts.SERVER, port));
            c.register(sel, SelectionKey.OP_CONNECT);
            while (sel.select() == 0) { }
            assertThat(c.finishConnect()).isTrue();
            assertThat(s.isConnected()).as("a connect finished through the channel").isTrue();
            assertThat(s.getInetAddress()).isEqualTo(InetAddress.getByName(Hosts.SERVER));
            assertThat(s.getPort()).isEqualTo(port);
            assertThat(s.getLocalPort()).isEqualTo(((InetSocketAddress) c.getLocalAddress()).getPort()).isPositive();

            c.setOption(StandardSocketOptions.SO_LINGER, 3);
            assertThat(s.getSoLinger()).isEqualTo(3);
            s.setOption(TcpOption.TCP_KEEPIDLE, Duration.ofSeconds(30));
            assertThat(c.getOption(TcpOption.TCP_KEEPIDLE)).isEqualTo(Duration.ofSeconds(30));

            var in = s.getInputStream();
            assertThat(catchThrowable(in::read)).isInstanceOf(IllegalBlockingModeException.class);
            assertThat(catchThrowable(() -> s.connect(new InetSocketAddress(Hosts.SERVER, port))))
                    .isInstanceOf(IllegalBlockingModeException.class);

            s.close();
            assertThat(c.isOpen()).as("closing the adaptor closes the channel").isFalse();
            Throwable closed = catchThrowable(s::getTcpNoDelay);
            assertThat(closed).isInstanceOf(SocketException.class).hasMessage("Socket is closed");
            assertThat(ErrnoCarrier.errnoOf(closed)).isEqualTo(Errno.EBADF);
        }
    }

    @Test
    void theServerAdaptorFollowsTheChannel() throws Exception {
        try (Hosts h = new Hosts(); ServerSocketChannel l = new JtcpSelectorProvider(h.server).openServerSocketChannel()) {
            ServerSocket s = l.socket();
            assertThat(s.isBound()).isFalse();
            l.bind(new InetSocketAddress(0));
            assertThat(s.isBound()).isTrue();
            assertThat(s.getLocalPort()).isEqualTo(((InetSocketAddress) l.getLocalAddress()).getPort());
            Throwable twice = catchThrowable(() -> s.bind(null));
            assertThat(twice).isInstanceOf(SocketException.class).hasMessage("Already bound");
            assertThat(ErrnoCarrier.errnoOf(twice)).isEqualTo(Errno.EINVAL);
            assertThat(s.supportedOptions()).contains(StandardSocketOptions.SO_RCVBUF).doesNotContain(StandardSocketOptions.TCP_NODELAY);
            l.configureBlocking(false);
            assertThat(catchThrowable(s::accept)).isInstanceOf(IllegalBlockingModeException.class);
        }
    }
}
