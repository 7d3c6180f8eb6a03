package io.jtcp.nio;

import io.jtcp.api.Hosts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A classic single-threaded NIO echo server (one selector, non-blocking channels, OP_WRITE
 * only while a reply is left over) serving many blocking-channel clients at once: partial
 * reads and writes, interest toggling and half-close, all under concurrency.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SelectorEchoServerTest {

    /** Per connection: what was read and not yet written back. */
    private static final class Pending {
        final ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);
        boolean inputDone;
    }

    private volatile boolean stop;

    /** Serves until {@link #stop} is set and the selector woken, then closes the selector. */
    private void serve(Selector sel, ServerSocketChannel listener) throws IOException {
        listener.register(sel, SelectionKey.OP_ACCEPT);
        while (!stop) {
            sel.select();
            for (var it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                if (!k.isValid()) continue;
                if (k.isAcceptable()) {
                    for (SocketChannel c; (c = listener.accept()) != null; ) {
                        c.configureBlocking(false);
                        c.register(sel, SelectionKey.OP_READ, new Pending());
                    }
                    continue;
                }
                SocketChannel c = (SocketChannel) k.channel();
                Pending p = (Pending) k.attachment();
                if (k.isReadable() && !p.inputDone && p.buf.hasRemaining()) {
                    if (c.read(p.buf) < 0) p.inputDone = true;
                }
                p.buf.flip();
                c.write(p.buf);
                p.buf.compact();
                boolean empty = p.buf.position() == 0;
                if (p.inputDone && empty) {
                    c.shutdownOutput();
                    k.cancel();
                    c.close();
                    continue;
                }
                int ops = (p.inputDone || !p.buf.hasRemaining() ? 0 : SelectionKey.OP_READ) | (empty ? 0 : SelectionKey.OP_WRITE);
                k.interestOps(ops);
            }
        }
        sel.close();
    }

    @Test
    void oneSelectorThreadEchoesForFiftyConcurrentClients() throws Exception {
        int clients = 50, size = 128 * 1024;
        try (Hosts h = new Hosts(); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            JtcpSelectorProvider serverSide = new JtcpSelectorProvider(h.server), clientSide = new JtcpSelectorProvider(h.client);
            ServerSocketChannel listener = serverSide.openServerSocketChannel().bind(new InetSocketAddress(Hosts.SERVER, 7), 64);
            listener.configureBlocking(false);
            Selector sel = serverSide.openSelector();
            Future<?> server = threads.submit(() -> {
                serve(sel, listener);
                return null;
            });
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                long seed = i;
                results.add(threads.submit(() -> {
                    byte[] data = new byte[size];
                    new Random(seed).nextBytes(data);
                    try (SocketChannel c = clientSide.openSocketChannel()) {
                        c.connect(new InetSocketAddress(Hosts.SERVER, 7));
                        Future<?> writer = threads.submit(() -> {
                            c.write(ByteBuffer.wrap(data));
                            c.shutdownOutput();
                            return null;
                        });
                        ByteBuffer back = ByteBuffer.allocate(size + 1);
                        while (c.read(back) >= 0) assertThat(back.position()).isLessThanOrEqualTo(size);
                        writer.get(Hosts.WAIT_SECONDS, TimeUnit.SECONDS);
                        return Arrays.equals(Arrays.copyOf(back.array(), back.position()), data);
                    }
                }));
            }
            for (Future<Boolean> r : results) assertThat(r.get(Hosts.WAIT_SECONDS * 2, TimeUnit.SECONDS)).as("echoed intact").isTrue();
            stop = true;
            sel.wakeup();
            server.get(Hosts.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(sel.isOpen()).isFalse();
            listener.close();
        }
    }
}
