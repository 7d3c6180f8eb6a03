package io.jtcp.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.api.StackLoop;
import io.jtcp.link.MemoryNetwork;
import io.jtcp.nio.JtcpSelectorProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Java code on dual-stack jtcp hosts: a server on the wildcard answers both families, as the JDK's does; UDP over IPv6. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DualStackOverJtcpTest {
    private final MemoryNetwork net = new MemoryNetwork();
    private final StackLoop client = StackLoop.builder("client", "10.0.0.1").address("fd00::1/64").start(net);
    private final StackLoop server = StackLoop.builder("server", "10.0.0.2").address("fd00::2/64").start(net);

    @AfterEach
    void close() {
        client.close();
        server.close();
        assertThat(client.failures() + server.failures()).isZero();
    }

    private static CompletableFuture<Void> echo(ServerSocket listener, int connections) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < connections; i++) {
                    try (Socket s = listener.accept()) {
                        s.getInputStream().transferTo(s.getOutputStream());
                    }
                }
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    private static String roundTrip(Socket s, String text) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        s.shutdownOutput();
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aServerSocketOnTheWildcardAnswersIpv4AndIpv6Clients() throws Exception {
        try (ServerSocket listener = new JtcpServerSocketFactory(server).createServerSocket(7)) {
            CompletableFuture<Void> served = echo(listener, 2);
            JtcpSocketFactory sockets = new JtcpSocketFactory(client);
            try (Socket v6 = sockets.createSocket("fd00::2", 7)) {
                assertThat(v6.getLocalAddress()).isEqualTo(InetAddress.getByName("fd00::1"));
                assertThat(roundTrip(v6, "over IPv6")).isEqualTo("over IPv6");
            }
            try (Socket v4 = sockets.createSocket("10.0.0.2", 7)) {
                assertThat(roundTrip(v4, "over IPv4")).isEqualTo("over IPv4");
            }
            served.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void javaNetDatagramSocketsExchangeOverBothFamilies() throws Exception {
        try (java.net.DatagramSocket responder = new JtcpDatagramSocket(server);
             java.net.DatagramSocket asker = new JtcpDatagramSocket(client)) {
            responder.bind(new InetSocketAddress(5353));
            for (String to : new String[] {"10.0.0.2", "fd00::2"}) {
                byte[] q = ("query to " + to).getBytes(StandardCharsets.UTF_8);
                asker.send(new java.net.DatagramPacket(q, q.length, new InetSocketAddress(to, 5353)));
                java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[100], 100);
                responder.receive(in);
                assertThat(new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8)).isEqualTo("query to " + to);
                responder.send(new java.net.DatagramPacket(in.getData(), in.getLength(), in.getSocketAddress()));
                java.net.DatagramPacket back = new java.net.DatagramPacket(new byte[100], 100);
                asker.setSoTimeout(30_000);
                asker.receive(back);
                assertThat(back.getLength()).isEqualTo(q.length);
                assertThat(back.getAddress()).isEqualTo(InetAddress.getByName(to));
            }
            asker.connect(new InetSocketAddress("fd00::2", 5354));
            byte[] x = {1};
            asker.send(new java.net.DatagramPacket(x, 1));
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                    () -> asker.receive(new java.net.DatagramPacket(new byte[8], 8)));
            assertThat(refused).isInstanceOf(PortUnreachableException.class);
        }
    }

    @Test
    void ipv6OnlyKeepsIpv4ClientsOut() throws Exception {
        try (io.jtcp.api.TcpServerSocket listener = io.jtcp.api.TcpServerSocket.open(server)) {
            listener.setOption(io.jtcp.api.TcpOption.IPV6_V6ONLY, true);
            listener.bind(new InetSocketAddress("::", 9));
            listener.listen(16);
            try (io.jtcp.api.TcpSocket v4 = io.jtcp.api.TcpSocket.open(client)) {
                Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> v4.connect("10.0.0.2", 9));
                assertThat(refused).isInstanceOf(java.net.ConnectException.class);
            }
            try (io.jtcp.api.TcpSocket v6 = io.jtcp.api.TcpSocket.open(client)) {
                v6.connect("fd00::2", 9);
                assertThat(v6.remoteAddress().getAddress()).isEqualTo(InetAddress.getByName("fd00::2"));
            }
        }
    }

    @Test
    void nioChannelsTalkOverIpv6() throws Exception {
        JtcpSelectorProvider serverSide = new JtcpSelectorProvider(server), clientSide = new JtcpSelectorProvider(client);
        try (ServerSocketChannel listener = serverSide.openServerSocketChannel().bind(new InetSocketAddress(8));
             SocketChannel ch = clientSide.openSocketChannel()) {
            ch.connect(new InetSocketAddress("fd00::2", 8));
            try (SocketChannel accepted = listener.accept()) {
                assertThat(((InetSocketAddress) accepted.getRemoteAddress()).getAddress())
                        .isEqualTo(InetAddress.getByName("fd00::1"));
                ch.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
                ByteBuffer got = ByteBuffer.allocate(4);
                while (got.hasRemaining()) accepted.read(got);
                assertThat(new String(got.array(), StandardCharsets.UTF_8)).isEqualTo("ping");
            }
        }
    }

    @Test
    void datagramChannelsExchangeOverIpv6AndAClosedPortIsPortUnreachable() throws Exception {
        JtcpSelectorProvider serverSide = new JtcpSelectorProvider(server), clientSide = new JtcpSelectorProvider(client);
        try (DatagramChannel responder = serverSide.openDatagramChannel().bind(new InetSocketAddress(53));
             DatagramChannel asker = clientSide.openDatagramChannel()) {
            asker.send(ByteBuffer.wrap("question".getBytes(StandardCharsets.UTF_8)), new InetSocketAddress("fd00::2", 53));
            ByteBuffer in = ByteBuffer.allocate(64);
            InetSocketAddress from = (InetSocketAddress) responder.receive(in);
            assertThat(from.getAddress()).isEqualTo(InetAddress.getByName("fd00::1"));
            responder.send(ByteBuffer.wrap("answer".getBytes(StandardCharsets.UTF_8)), from);
            ByteBuffer reply = ByteBuffer.allocate(64);
            asker.receive(reply);
            reply.flip();
            assertThat(StandardCharsets.UTF_8.decode(reply).toString()).isEqualTo("answer");

            asker.connect(new InetSocketAddress("fd00::2", 54));
            asker.write(ByteBuffer.wrap("nobody".getBytes(StandardCharsets.UTF_8)));
            // The port unreachable comes back asynchronously; the next read reports it, as the JDK's does.
            Throwable failure = null;
            for (int i = 0; i < 100 && failure == null; i++) {
                try {
                    asker.read(ByteBuffer.allocate(8));
                } catch (PortUnreachableException e) {
                    failure = e;
                }
            }
            assertThat(failure).isInstanceOf(PortUnreachableException.class);
        }
    }
}
