package io.jtcp.nio;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoCarrier;
import io.jtcp.api.Hosts;
import io.jtcp.api.TcpOption;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Blocking socket channels: data, half-close, options, and the JDK's close and interrupt exceptions. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketChannelTest {
    private Hosts h;
    private ServerSocketChannel listener;
    private SocketChannel client, served;

    @BeforeEach
    void connect() throws Exception {
        h = new Hosts();
        listener = new JtcpSelectorProvider(h.server).openServerSocketChannel().bind(new InetSocketAddress(0), 4);
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        client = new JtcpSelectorProvider(h.client).openSocketChannel();
        assertThatThrownBy(() -> client.read(ByteBuffer.allocate(1))).isInstanceOf(NotYetConnectedException.class);
        client.connect(new InetSocketAddress(Hosts.SERVER, port));
        served = listener.accept();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        served.close();
        listener.close();
        h.close();
    }

    @Test
    void gatherWriteScatterReadAndHalfClose() throws Exception {
        ByteBuffer[] out = {ByteBuffer.wrap("abc".getBytes()), ByteBuffer.allocateDirect(3).put("def".getBytes()).flip()};
        assertThat(client.write(out)).isEqualTo(6);
        client.shutdownOutput();
        assertThatThrownBy(() -> client.write(ByteBuffer.wrap(new byte[1]))).isInstanceOf(AsynchronousCloseException.class);

        ByteBuffer a = ByteBuffer.allocate(2), b = ByteBuffer.allocateDirect(10);
        long got = 0;
        for (long n; (n = served.read(new ByteBuffer[] {a, b})) != -1; ) got += n;
        assertThat(got).isEqualTo(6);
        byte[] all = new byte[6];
        a.flip().get(all, 0, 2);
        b.flip().get(all, 2, 4);
        assertThat(new String(all)).isEqualTo("abcdef");

        served.write(ByteBuffer.wrap("back".getBytes()));
        ByteBuffer in = ByteBuffer.allocate(8);
        while (in.position() < 4) client.read(in);
        assertThat(new String(in.array(), 0, 4)).as("the other direction still flows").isEqualTo("back");
    }

    @Test
    void optionsThroughTheChannelTheSocketAdaptorAndJtcpsOwn() throws Exception {
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        assertThat(client.getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
        Socket s = client.socket();
        s.setTcpNoDelay(false);
        assertThat(client.getOption(TcpOption.TCP_NODELAY)).isFalse();
        s.setSoLinger(true, 3);
        assertThat(s.getSoLinger()).isEqualTo(3);
        client.setOption(TcpOption.TCP_CORK, true);
        assertThat(client.getOption(TcpOption.TCP_CORK)).isTrue();
        assertThatThrownBy(() -> client.setOption(StandardSocketOptions.IP_TOS, 0)).isInstanceOf(UnsupportedOperationException.class);

        assertThat(s.isConnected()).isTrue();
        assertThat(s.getInetAddress().getHostAddress()).isEqualTo(Hosts.SERVER);
        assertThat(s.getLocalAddress().getHostAddress()).isEqualTo(Hosts.CLIENT);
        assertThat(served.socket().getPort()).isEqualTo(s.getLocalPort());
        assertThat(listener.socket().isBound()).isTrue();
        assertThat(listener.socket().getLocalPort()).isEqualTo(served.socket().getLocalPort());
    }

    @Test
    void closingTheChannelEndsABlockedReadWithAsynchronousCloseException() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                served.read(ByteBuffer.allocate(4));
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        awaitParked(reader);
        served.close();
        assertThat(Hosts.bounded(failure)).isInstanceOf(AsynchronousCloseException.class);
        assertThat(ErrnoCarrier.errnoOf(failure.get())).isEqualTo(Errno.EBADF);
    }

    @Test
    void interruptingABlockedReadClosesTheChannel() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                served.read(ByteBuffer.allocate(4));
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        awaitParked(reader);
        reader.interrupt();
        assertThat(Hosts.bounded(failure)).isInstanceOf(ClosedByInterruptException.class);
        assertThat(ErrnoCarrier.errnoOf(failure.get())).isEqualTo(Errno.EINTR);
        assertThat(served.isOpen()).isFalse();
    }

    @Test
    void aResetIsTheJdksConnectionResetAndWritesAfterItAreABrokenPipe() throws Exception {
        client.setOption(StandardSocketOptions.SO_LINGER, 0);
        client.close(); // SO_LINGER 0: an RST
        served.configureBlocking(false);
        ByteBuffer in = ByteBuffer.allocate(4);
        Selector sel = new JtcpSelectorProvider(h.server).openSelector();
        SelectionKey k = served.register(sel, SelectionKey.OP_READ);
        while (!sel.selectedKeys().contains(k)) sel.select();
        assertThatThrownBy(() -> served.read(in)).isInstanceOf(SocketException.class).hasMessage("Connection reset");
        assertThatThrownBy(() -> served.write(ByteBuffer.wrap(new byte[1]))).isInstanceOf(SocketException.class)
                .hasMessage("Broken pipe");
        sel.close();
        assertThat(k.isValid()).as("closing the selector cancels its keys").isFalse();
    }

    @Test
    void closingARegisteredChannelCancelsItsKey() throws Exception {
        served.configureBlocking(false);
        Selector sel = new JtcpSelectorProvider(h.server).openSelector();
        SelectionKey k = served.register(sel, SelectionKey.OP_READ);
        served.close();
        assertThat(k.isValid()).isFalse();
        sel.selectNow();
        assertThat(sel.keys()).isEmpty();
        sel.close();
    }

    @Test
    void interruptingASelectEndsItWithTheInterruptStatusSet() throws Exception {
        Selector sel = new JtcpSelectorProvider(h.server).openSelector();
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Thread selecting = Thread.ofVirtual().start(() -> {
            try {
                sel.select();
                interrupted.complete(Thread.currentThread().isInterrupted());
            } catch (Throwable t) {
                interrupted.completeExceptionally(t);
            }
        });
        awaitParked(selecting);
        selecting.interrupt();
        assertThat(Hosts.bounded(interrupted)).isTrue();
        assertThat(sel.isOpen()).as("unlike a channel, an interrupted selector stays open").isTrue();
        sel.close();
    }

    /** Waits until {@code t} is parked (in the read: it has nothing else to wait for). */
    private static void awaitParked(Thread t) {
        while (t.getState() != Thread.State.WAITING) Thread.onSpinWait();
    }
}
