package io.jtcp.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoCarrier;
import io.jtcp.api.HostContext;
import io.jtcp.api.StackLoop;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.config.Sysctls;
import io.jtcp.link.MemoryNetwork;
import io.jtcp.nio.JtcpSelectorProvider;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.tcp.State;
import io.jtcp.wire.IpAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A 2-shard host through the public socket API, on the in-memory network. */
class ShardedHostTest {
    private static final int FLOWS = 24;
    private final MemoryNetwork net = new MemoryNetwork();
    private final ShardedHost server = ShardedHost.start("server", "10.0.0.2", 2, net, Sysctls.linux(), 41);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
        server.close();
    }

    /** close(2) from another thread wakes an accept waiting on every shard, as it does for one listener. */
    @Test
    void closingTheListenerEndsAnAcceptWaitingOnIt() throws Exception {
        ShardedServerSocket listener = server.listen(80, 8);
        java.util.concurrent.CompletableFuture<Throwable> waiter = new java.util.concurrent.CompletableFuture<>();
        Thread acceptor = Thread.ofPlatform().start(() -> {
            try {
                listener.accept();
                waiter.complete(null);
            } catch (Throwable t) {
                waiter.complete(t);
            }
        });
        // The accept is waiting once every shard has an outstanding accept registered.
        while (acceptor.getState() != Thread.State.WAITING) Thread.onSpinWait();
        listener.close();
        assertThat(waiter.get()).isInstanceOf(IOException.class);
    }

    @Test
    void aListenerOnEveryShardAcceptsFromAllOfThemAndTheViewsAreOneHosts() throws Exception {
        StackLoop client = StackLoop.builder("client", "10.0.0.1").seed(5).start(net);
        open.add(client);
        ShardedServerSocket listener = server.listen(80, 64);
        open.add(listener);
        List<TcpSocket> clients = new ArrayList<>();
        for (int i = 0; i < FLOWS; i++) {
            TcpSocket c = TcpSocket.open(client);
            c.connect("10.0.0.2", 80);
            c.getOutputStream().write(7);
            clients.add(c);
            open.add(c);
        }
        Set<StackLoop> acceptedOn = new HashSet<>();
        for (int i = 0; i < FLOWS; i++) {
            TcpSocket s = listener.accept();
            open.add(s);
            acceptedOn.add(s.loop());
            // The shard that accepted is the one the hash names: its replies need no steering.
            assertThat(s.loop()).isSameAs(server.shard(server.ownerOf(IpAddress.parse("10.0.0.2"), 80,
                    IpAddress.parse("10.0.0.1"), s.remoteAddress().getPort())));
            echoOnce(s);
        }
        assertThat(acceptedOn).containsExactlyInAnyOrder(server.shard(0), server.shard(1));
        for (TcpSocket c : clients) assertThat(c.getInputStream().read()).isEqualTo(8);

        StackSnapshot view = server.snapshot().get();
        assertThat(view.listeners()).singleElement().satisfies(l -> {
            assertThat(l.local()).isEqualTo("0.0.0.0:80");
            assertThat(l.backlog()).isEqualTo(2 * 64);
        });
        assertThat(view.connections()).hasSize(FLOWS).allSatisfy(c -> assertThat(c.state()).isEqualTo(State.ESTABLISHED));
        assertThat(view.counters().get("TcpPassiveOpens")).isEqualTo(FLOWS);
        long perShard = server.shard(0).snapshot().get().counters().get("TcpPassiveOpens");
        assertThat(perShard).isStrictlyBetween(0L, (long) FLOWS);
    }

    @Test
    void activeOpensTakeTurnsOnTheShardsFromPortsThatHashBackToThem() throws Exception {
        ShardedHost client = ShardedHost.start("client", "10.0.0.3", 2, net, Sysctls.linux(), 43);
        open.add(client);
        ShardedServerSocket listener = server.listen(80, 64);
        open.add(listener);
        Thread acceptor = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < FLOWS; i++) echoOnce(listener.accept());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < FLOWS; i++) {
            TcpSocket c = client.connect("10.0.0.2", 80);
            open.add(c);
            int shard = i % 2;
            assertThat(c.loop()).isSameAs(client.shard(shard));
            assertThat(client.ownerOf(IpAddress.parse("10.0.0.3"), c.localPort(), IpAddress.parse("10.0.0.2"), 80)).isEqualTo(shard);
            assertRoundTrip(c);
        }
        acceptor.join();
        assertThat(client.snapshot().get().counters().get("TcpActiveOpens")).isEqualTo(FLOWS);
    }

    @Test
    void anNioChannelOpenedOnAThreadBoundToAShardLivesThere() throws Exception {
        ShardedHost client = ShardedHost.start("client", "10.0.0.3", 2, net, Sysctls.linux(), 47);
        open.add(client);
        ShardedServerSocket listener = server.listen(80, 8);
        open.add(listener);
        for (int k = 0; k < 2; k++) {
            int shard = k;
            java.util.concurrent.CompletableFuture<Integer> port = new java.util.concurrent.CompletableFuture<>();
            Thread app = Thread.ofPlatform().start(() -> {
                HostContext.bind(client.shard(shard));
                try (SocketChannel ch = new JtcpSelectorProvider().openSocketChannel()) {
                    ch.connect(new InetSocketAddress("10.0.0.2", 80));
                    ch.write(ByteBuffer.wrap(new byte[] {7}));
                    ByteBuffer reply = ByteBuffer.allocate(1);
                    while (reply.hasRemaining()) if (ch.read(reply) < 0) throw new IOException("EOF");
                    port.complete(reply.get(0) == 8 ? ((InetSocketAddress) ch.getLocalAddress()).getPort() : -1);
                } catch (IOException e) {
                    port.completeExceptionally(e);
                }
            });
            echoOnce(listener.accept());
            app.join();
            assertThat(client.ownerOf(IpAddress.parse("10.0.0.3"), port.get(), IpAddress.parse("10.0.0.2"), 80)).isEqualTo(shard);
        }
    }

    @Test
    void aPortHeldOnOneShardIsHeldOnAll() throws Exception {
        TcpServerSocket onShard0 = TcpServerSocket.open(server.shard(0));
        open.add(onShard0);
        onShard0.bind(5000);
        TcpSocket onShard1 = TcpSocket.open(server.shard(1));
        open.add(onShard1);
        assertInUse(() -> onShard1.bind(5000));
        assertInUse(() -> server.listen(5000, 8));
        onShard0.close();
        onShard1.bind(5000);

        ShardedServerSocket web = server.listen(80, 8);
        open.add(web);
        assertInUse(() -> server.listen(80, 8));
        TcpSocket stray = TcpSocket.open(server.shard(1));
        open.add(stray);
        assertInUse(() -> stray.bind(80));
    }

    private static void assertInUse(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).satisfies(e -> assertThat(ErrnoCarrier.errnoOf(e)).isEqualTo(Errno.EADDRINUSE));
    }

    /** The server's side of one exchange: a byte in, a byte back. */
    private static void echoOnce(TcpSocket s) throws IOException {
        int b = s.getInputStream().read();
        s.getOutputStream().write(b + 1);
    }

    private static void assertRoundTrip(TcpSocket c) throws IOException {
        c.getOutputStream().write(7);
        assertThat(c.getInputStream().read()).isEqualTo(8);
    }
}
