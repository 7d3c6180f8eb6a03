package io.jtcp.nio;

import io.jtcp.api.Hosts;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.nio.channels.SelectionKey.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The selector's semantics, as the JDK's: key sets, ready sets, interest changes, cancellation, wakeup. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SelectorTest {
    private Hosts h;
    private JtcpSelectorProvider serverSide, clientSide;
    private Selector selector;
    private ServerSocketChannel listener;

    @BeforeEach
    void open() throws Exception {
        h = new Hosts();
        serverSide = new JtcpSelectorProvider(h.server);
        clientSide = new JtcpSelectorProvider(h.client);
        selector = serverSide.openSelector();
        listener = serverSide.openServerSocketChannel().bind(new InetSocketAddress(Hosts.SERVER, 80));
        listener.configureBlocking(false);
    }

    @AfterEach
    void close() throws Exception {
        selector.close();
        listener.close();
        h.close();
    }

    private SocketChannel connectClient() throws Exception {
        SocketChannel c = clientSide.openSocketChannel();
        assertThat(c.connect(new InetSocketAddress(Hosts.SERVER, 80))).as("blocking connect").isTrue();
        return c;
    }

    /** Selects until {@code key} is selected; each select returns only on readiness (the test's timeout bounds it). */
    private void selectUntil(SelectionKey key) throws Exception {
        while (!selector.selectedKeys().contains(key)) selector.select();
    }

    @Test
    void acceptReadinessAndTheSelectedKeySetAccumulates() throws Exception {
        SelectionKey k = listener.register(selector, OP_ACCEPT, "listener");
        assertThat(selector.selectNow()).isZero();
        SocketChannel c = connectClient();
        assertThat(selector.select()).isEqualTo(1);
        assertThat(selector.selectedKeys()).containsExactly(k);
        assertThat(k.readyOps()).isEqualTo(OP_ACCEPT);
        assertThat(k.attachment()).isEqualTo("listener");

        SocketChannel accepted = listener.accept();
        assertThat(accepted.getRemoteAddress()).isEqualTo(c.getLocalAddress());
        assertThat(listener.accept()).as("queue empty").isNull();
        assertThat(selector.selectNow()).as("nothing new").isZero();
        assertThat(selector.selectedKeys()).as("kept until the caller removes it").containsExactly(k);
        assertThatThrownBy(() -> selector.selectedKeys().add(k)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void readinessFollowsDataAndInterestChangesTakeEffectAtTheNextSelect() throws Exception {
        SocketChannel c = connectClient();
        listener.configureBlocking(true);
        SocketChannel s = listener.accept();
        s.configureBlocking(false);
        SelectionKey k = s.register(selector, OP_READ);
        assertThat(selector.selectNow()).isZero();

        c.write(ByteBuffer.wrap("ping".getBytes()));
        selectUntil(k);
        assertThat(k.readyOps()).isEqualTo(OP_READ);
        ByteBuffer in = ByteBuffer.allocateDirect(16);
        assertThat(s.read(in)).isEqualTo(4);
        assertThat(s.read(in)).as("drained").isZero();
        selector.selectedKeys().clear();

        k.interestOps(OP_READ | OP_WRITE);
        assertThat(selector.selectNow()).isEqualTo(1);
        assertThat(k.readyOps()).isEqualTo(OP_WRITE);

        c.shutdownOutput();
        selector.selectedKeys().clear();
        k.interestOps(OP_READ);
        selectUntil(k);
        assertThat(k.isReadable()).isTrue();
        assertThat(s.read(in)).as("the peer's FIN").isEqualTo(-1);
    }

    @Test
    void aKeyGainsNewlyReadyOperationsWhileSelected() throws Exception {
        SocketChannel c = connectClient();
        listener.configureBlocking(true);
        SocketChannel s = listener.accept();
        s.configureBlocking(false);
        SelectionKey k = s.register(selector, OP_READ | OP_WRITE);
        assertThat(selector.selectNow()).isEqualTo(1);
        assertThat(k.readyOps()).isEqualTo(OP_WRITE);
        c.write(ByteBuffer.wrap("x".getBytes()));
        while (!k.isReadable()) selector.select();
        assertThat(k.readyOps()).as("OP_WRITE preserved, OP_READ added").isEqualTo(OP_READ | OP_WRITE);
    }

    @Test
    void cancelledKeysLeaveAtTheNextSelectAndTheChannelCanRegisterAgain() throws Exception {
        SelectionKey k = listener.register(selector, OP_ACCEPT);
        k.cancel();
        assertThat(k.isValid()).isFalse();
        assertThat(selector.keys()).contains(k);
        assertThatThrownBy(() -> k.interestOps(OP_ACCEPT)).isInstanceOf(java.nio.channels.CancelledKeyException.class);
        assertThatThrownBy(() -> listener.register(selector, OP_ACCEPT)).isInstanceOf(java.nio.channels.CancelledKeyException.class);
        selector.selectNow();
        assertThat(selector.keys()).doesNotContain(k);
        assertThat(listener.keyFor(selector)).isNull();

        SelectionKey again = listener.register(selector, OP_ACCEPT);
        connectClient();
        selectUntil(again);
        assertThat(again.isAcceptable()).isTrue();
    }

    @Test
    void wakeupBeforeSelectMakesItReturnAtOnceAndWakeupEndsABlockedSelect() throws Exception {
        selector.wakeup();
        assertThat(selector.select()).isZero();

        CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return selector.select();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        selector.wakeup();
        assertThat(Hosts.bounded(blocked)).isZero();
    }

    @Test
    void refusedConnectIsConnectableAndFinishConnectThrows() throws Exception {
        SocketChannel c = clientSide.openSocketChannel();
        c.configureBlocking(false);
        assertThat(c.connect(new InetSocketAddress(Hosts.SERVER, 9))).isFalse();
        assertThat(c.isConnectionPending()).isTrue();
        SelectionKey k = c.register(selector, OP_CONNECT);
        selectUntil(k);
        assertThat(k.isConnectable()).isTrue();
        assertThatThrownBy(c::finishConnect).isInstanceOf(ConnectException.class).hasMessage("Connection refused");
        assertThat(c.isOpen()).as("a failed connect closes the channel").isFalse();
    }

    @Test
    void nonBlockingConnectFinishesAfterOpConnect() throws Exception {
        SocketChannel c = clientSide.openSocketChannel();
        c.configureBlocking(false);
        c.connect(new InetSocketAddress(Hosts.SERVER, 80));
        SelectionKey k = c.register(selector, OP_CONNECT);
        selectUntil(k);
        assertThat(c.finishConnect()).isTrue();
        assertThat(c.isConnected()).isTrue();
        selector.selectedKeys().clear();
        assertThat(selector.selectNow()).as("OP_CONNECT is not ready once connected").isZero();
    }

    @Test
    void selectWithAnActionSeesEachReadyKeyOnce() throws Exception {
        SelectionKey k = listener.register(selector, OP_ACCEPT);
        connectClient();
        List<SelectionKey> seen = new ArrayList<>();
        while (seen.isEmpty()) selector.select(seen::add);
        assertThat(seen).containsExactly(k);
        assertThat(selector.selectedKeys()).as("the action form leaves the set alone").isEmpty();
    }

    @Test
    void timedSelectReturnsZeroWhenNothingIsReady() throws Exception {
        listener.register(selector, OP_ACCEPT);
        assertThat(selector.select(1)).isZero();
    }
}
