package io.jtcp.nio;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoCarrier;
import io.jtcp.api.Hosts;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The channels fail with the exceptions the JDK's SocketChannelImpl and
 * ServerSocketChannelImpl throw in the same situation (checked against them on Linux),
 * each carrying the errno Linux gives for it.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChannelErrorsTest {
    private Hosts h;
    private SelectorProvider clientSide, serverSide;

    @BeforeEach
    void hosts() {
        h = new Hosts();
        clientSide = new JtcpSelectorProvider(h.client);
        serverSide = new JtcpSelectorProvider(h.server);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private static void assertFails(Executable call, Class<? extends Throwable> type, Errno errno) {
        Throwable t = catchThrowable(call::execute);
        assertThat(t).isExactlyInstanceOf(t == null ? type : t.getClass()).isInstanceOf(type);
        assertThat(t).as("%s carries its errno", t).isInstanceOf(ErrnoCarrier.class);
        assertThat(((ErrnoCarrier) t).errno()).isEqualTo(errno);
    }

    private ServerSocketChannel listening() throws Exception {
        return serverSide.openServerSocketChannel().bind(new InetSocketAddress(0));
    }

    private SocketChannel connected(int port) throws Exception {
        SocketChannel c = clientSide.openSocketChannel();
        c.connect(server(port));
        return c;
    }

    private static InetSocketAddress server(int port) {
        return new InetSocketAddress(Hosts.SERVER, port);
    }

    private static int port(ServerSocketChannel l) throws Exception {
        return ((InetSocketAddress) l.getLocalAddress()).getPort();
    }

    @Test
    void aRefusedConnectIsConnectExceptionWithEconnrefusedAndClosesTheChannel() throws Exception {
        SocketChannel blocking = clientSide.openSocketChannel();
        assertFails(() -> blocking.connect(server(9)), ConnectException.class, Errno.ECONNREFUSED);
        assertThat(catchThrowable(() -> clientSide.openSocketChannel().connect(server(9)))).hasMessage("Connection refused");
        assertThat(blocking.isOpen()).isFalse();

        SocketChannel nonBlocking = clientSide.openSocketChannel();
        nonBlocking.configureBlocking(false);
        assertThat(nonBlocking.connect(server(9))).isFalse();
        try (Selector sel = clientSide.openSelector()) {
            nonBlocking.register(sel, SelectionKey.OP_CONNECT);
            while (sel.select() == 0) { }
        }
        assertFails(nonBlocking::finishConnect, ConnectException.class, Errno.ECONNREFUSED);
        assertThat(nonBlocking.isOpen()).isFalse();
    }

    @Test
    void connectAndFinishConnectOutOfTurn() throws Exception {
        try (ServerSocketChannel l = listening(); SocketChannel c = clientSide.openSocketChannel()) {
            assertFails(c::finishConnect, NoConnectionPendingException.class, Errno.ENOTCONN);
            c.configureBlocking(false);
            c.connect(server(port(l)));
            assertFails(() -> c.connect(server(port(l))), ConnectionPendingException.class, Errno.EALREADY);
            assertFails(() -> c.bind(null), ConnectionPendingException.class, Errno.EALREADY);
            c.configureBlocking(true);
            assertThat(c.finishConnect()).isTrue();
            assertFails(() -> c.connect(server(port(l))), AlreadyConnectedException.class, Errno.EISCONN);
            assertFails(() -> c.bind(null), AlreadyBoundException.class, Errno.EINVAL);
        }
    }

    @Test
    void addressesAChannelCannotUse() throws Exception {
        try (SocketChannel c = clientSide.openSocketChannel()) {
            assertFails(() -> c.connect(InetSocketAddress.createUnresolved("nowhere.invalid", 7)),
                    UnresolvedAddressException.class, Errno.EINVAL);
            assertFails(() -> c.connect(new SocketAddress() {}), UnsupportedAddressTypeException.class, Errno.EAFNOSUPPORT);
            assertThat(c.isOpen()).as("an address check leaves the channel open, as the JDK's").isTrue();
            assertFails(() -> c.bind(new InetSocketAddress(Hosts.NOBODY, 0)), BindException.class, Errno.EADDRNOTAVAIL);
        }
        // IPv6 is not among them: ::1 is always the host's own, and nothing listens on its port 7.
        try (SocketChannel c = clientSide.openSocketChannel()) {
            assertFails(() -> c.connect(new InetSocketAddress("::1", 7)), ConnectException.class, Errno.ECONNREFUSED);
        }
    }

    @Test
    void bindAndAcceptOutOfTurn() throws Exception {
        try (ServerSocketChannel l = listening(); ServerSocketChannel unbound = serverSide.openServerSocketChannel();
             ServerSocketChannel second = serverSide.openServerSocketChannel()) {
            assertFails(() -> l.bind(null), AlreadyBoundException.class, Errno.EINVAL);
            assertFails(unbound::accept, NotYetBoundException.class, Errno.EINVAL);
            assertFails(() -> second.bind(new InetSocketAddress(port(l))), BindException.class, Errno.EADDRINUSE);
        }
    }

    @Test
    void callsOnAnUnconnectedOrClosedChannel() throws Exception {
        SocketChannel c = clientSide.openSocketChannel();
        assertFails(() -> c.read(ByteBuffer.allocate(1)), NotYetConnectedException.class, Errno.ENOTCONN);
        assertFails(() -> c.write(ByteBuffer.allocate(1)), NotYetConnectedException.class, Errno.ENOTCONN);
        assertFails(c::shutdownOutput, NotYetConnectedException.class, Errno.ENOTCONN);
        c.close();
        assertFails(() -> c.read(ByteBuffer.allocate(1)), ClosedChannelException.class, Errno.EBADF);
        assertFails(() -> c.getOption(StandardSocketOptions.TCP_NODELAY), ClosedChannelException.class, Errno.EBADF);
        assertFails(() -> c.setOption(StandardSocketOptions.TCP_NODELAY, true), ClosedChannelException.class, Errno.EBADF);
        assertFails(() -> c.bind(null), ClosedChannelException.class, Errno.EBADF);
        ServerSocketChannel l = serverSide.openServerSocketChannel();
        l.close();
        assertFails(l::accept, ClosedChannelException.class, Errno.EBADF);
        assertFails(() -> l.setOption(StandardSocketOptions.SO_RCVBUF, 4096), ClosedChannelException.class, Errno.EBADF);
    }

    @Test
    void aWriteAfterShutdownOutputAndReadsAfterAReset() throws Exception {
        try (ServerSocketChannel l = listening(); SocketChannel c = connected(port(l));
             SocketChannel s = l.accept()) {
            c.shutdownOutput();
            // The JDK's channel says AsynchronousCloseException here, blocking or not.
            assertFails(() -> c.write(ByteBuffer.wrap(new byte[1])), AsynchronousCloseException.class, Errno.EBADF);
            c.configureBlocking(false);
            assertFails(() -> c.write(ByteBuffer.wrap(new byte[1])), AsynchronousCloseException.class, Errno.EBADF);

            s.setOption(StandardSocketOptions.SO_LINGER, 0);
            s.close(); // an RST
            c.configureBlocking(true);
            assertFails(() -> c.read(ByteBuffer.allocate(1)), SocketException.class, Errno.ECONNRESET);
            assertThat(catchThrowable(() -> c.read(ByteBuffer.allocate(1)))).hasMessage("Connection reset");
            assertFails(() -> c.read(ByteBuffer.allocate(1)), SocketException.class, Errno.ECONNRESET);
            c.configureBlocking(false);
            assertThat(catchThrowable(() -> c.read(ByteBuffer.allocate(1))))
                    .as("the JDK's channel keeps saying so; Linux's read(2) would return 0 after reporting it once")
                    .hasMessage("Connection reset");
        }
    }
}
