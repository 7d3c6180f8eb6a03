package io.jtcp.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoCarrier;
import io.jtcp.api.LoopedUdp;
import io.jtcp.api.StackLoop;
import io.jtcp.link.MemoryNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DatagramChannel over jtcp's UDP, looped back on one host ({@link LoopedUdp}). */
class DatagramChannelTest {
    private final StackLoop loop = StackLoop.builder("udp", "10.0.0.1").seed(4).start(new MemoryNetwork());
    private final JtcpSelectorProvider provider = new JtcpSelectorProvider(loop);

    @AfterEach
    void close() {
        loop.close();
    }

    private DatagramChannel open(boolean ipv6) throws Exception {
        return new JtcpDatagramChannel(provider, LoopedUdp.open(loop, ipv6), ipv6);
    }

    private static ByteBuffer text(String s) { return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)); }

    private static String text(ByteBuffer b) {
        b.flip();
        return StandardCharsets.US_ASCII.decode(b).toString();
    }

    private static InetSocketAddress at(String address, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    @Test
    void sendReceiveAndConnectedReadWrite() throws Exception {
        DatagramChannel server = open(true).bind(new InetSocketAddress(5353));
        DatagramChannel client = open(false);
        assertThat(client.getLocalAddress()).isNull();
        assertThat(client.send(text("ping"), at("10.0.0.1", 5353))).isEqualTo(4);
        ByteBuffer got = ByteBuffer.allocate(16);
        InetSocketAddress from = (InetSocketAddress) server.receive(got);
        assertThat(text(got)).isEqualTo("ping");
        assertThat(from.getPort()).isEqualTo(((InetSocketAddress) client.getLocalAddress()).getPort());
        assertThat(from.getAddress()).isEqualTo(InetAddress.getByName("10.0.0.1"));

        server.connect(from);
        assertThat(server.isConnected()).isTrue();
        assertThat(server.write(text("pong"))).isEqualTo(4);
        ByteBuffer reply = ByteBuffer.allocate(16);
        client.receive(reply);
        assertThat(text(reply)).isEqualTo("pong");
        assertThat(catchThrowable(() -> server.send(text("x"), at("10.0.0.1", 1)))).isInstanceOf(AlreadyConnectedException.class);
        assertThat(catchThrowable(() -> server.bind(null))).isInstanceOf(AlreadyBoundException.class);
        server.disconnect();
        assertThat(catchThrowable(() -> server.read(ByteBuffer.allocate(1)))).isInstanceOf(NotYetConnectedException.class);
        assertThat(catchThrowable(() -> client.send(text("x"), at("fd00::1", 1))))
                .isInstanceOf(java.nio.channels.UnsupportedAddressTypeException.class);
    }

    @Test
    void aSelectorWakesForADatagram() throws Exception {
        DatagramChannel ch = open(true).bind(new InetSocketAddress(53));
        ch.configureBlocking(false);
        assertThat(ch.receive(ByteBuffer.allocate(8))).isNull();
        try (Selector sel = provider.openSelector()) {
            SelectionKey key = ch.register(sel, SelectionKey.OP_READ);
            assertThat(sel.selectNow()).isZero();
            open(false).send(text("wake"), at("127.0.0.1", 53));
            assertThat(sel.select(30_000)).isEqualTo(1);
            assertThat(key.isReadable()).isTrue();
            ByteBuffer got = ByteBuffer.allocate(8);
            assertThat(ch.receive(got)).isNotNull();
            assertThat(text(got)).isEqualTo("wake");
        }
    }

    @Test
    void portUnreachableOptionsAndClose() throws Exception {
        DatagramChannel ch = open(false);
        ch.connect(at("10.0.0.1", 9));
        ch.write(text("anyone?"));
        Throwable t = catchThrowable(() -> ch.read(ByteBuffer.allocate(8)));
        assertThat(t).isInstanceOf(PortUnreachableException.class);
        assertThat(ErrnoCarrier.errnoOf(t)).isEqualTo(Errno.ECONNREFUSED);

        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        assertThat(ch.getOption(StandardSocketOptions.SO_RCVBUF)).isEqualTo(8192);
        ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
        assertThat(ch.getOption(StandardSocketOptions.SO_BROADCAST)).isTrue();
        ch.close();
        assertThat(catchThrowable(() -> ch.write(text("x")))).isInstanceOf(ClosedChannelException.class);
    }
}
