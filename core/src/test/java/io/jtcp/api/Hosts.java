package io.jtcp.api;

import io.jtcp.config.Sysctls;
import io.jtcp.link.MemoryNetwork;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Two real stacks on a {@link MemoryNetwork}: client 10.0.0.1 and server 10.0.0.2, each
 * on its own {@link StackLoop}. Every wait is bounded; a failure caught on either loop's
 * thread fails the test when the hosts are closed.
 */
public final class Hosts implements AutoCloseable {
    public static final String CLIENT = "10.0.0.1", SERVER = "10.0.0.2", NOBODY = "10.0.0.99";
    public static final long WAIT_SECONDS = 30;

    final MemoryNetwork net;
    public final StackLoop client, server;
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    public Hosts() {
        this(new MemoryNetwork(), Sysctls.linux());
    }

    Hosts(MemoryNetwork net, Sysctls clientSysctls) {
        this(net, clientSysctls, Sysctls.linux());
    }

    private Hosts(MemoryNetwork net, Sysctls clientSysctls, Sysctls serverSysctls) {
        this.net = net;
        this.client = StackLoop.builder("client", CLIENT).sysctls(clientSysctls).seed(1).failureHandler(failures::add).start(net);
        this.server = StackLoop.builder("server", SERVER).sysctls(serverSysctls).seed(2).failureHandler(failures::add).start(net);
    }

    /**
     * Hosts whose TIME_WAIT an RST cannot end (tcp_rfc1337=1), for tests that wait for
     * TIME_WAIT in real time. On a busy machine a FIN can be retransmitted after the peer's
     * connection is gone; the TIME_WAIT re-ACKs it, the peer answers that ACK with an RST,
     * and with Linux's default (tcp_rfc1337=0) the RST ends the TIME_WAIT the test waits for.
     */
    static Hosts keepingTimeWait() {
        Sysctls protectedTimeWait = Sysctls.linux().set("tcp_rfc1337", "1");
        return new Hosts(new MemoryNetwork(), protectedTimeWait, protectedTimeWait);
    }

    /** A connected pair: [client side, server side]. */
    TcpSocket[] connect(TcpServerSocket listener) throws Exception {
        CompletableFuture<TcpSocket> accepted = listener.acceptAsync();
        TcpSocket c = TcpSocket.open(client);
        c.connect(SERVER, listener.localPort(), Duration.ofSeconds(WAIT_SECONDS));
        return new TcpSocket[] {c, bounded(accepted)};
    }

    /** STATUS on a loop of every connection, taken on its thread. */
    static List<ConnectionStatus> connections(StackLoop loop) throws Exception {
        return bounded(loop.call(() -> loop.stack().connections()));
    }

    /** Waits, bounded, until some connection of {@code loop} matches. */
    static void awaitConnection(StackLoop loop, Predicate<ConnectionStatus> p) throws Exception {
        bounded(loop.when(() -> loop.stack().connections().stream().anyMatch(p)));
    }

    public static <T> T bounded(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Runs {@code c} on a virtual thread and waits for it, bounded. */
    static <T> T onVirtualThread(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return bounded(f);
    }

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** The errno {@code call} fails with (the test fails if it does not fail that way). */
    static Errno errnoOf(Call call) {
        Throwable t = catchThrowable(call::run);
        while (t instanceof java.util.concurrent.ExecutionException || t instanceof java.util.concurrent.CompletionException) {
            t = t.getCause();
        }
        assertThat(t).isInstanceOf(ErrnoCarrier.class);
        return ((ErrnoCarrier) t).errno();
    }

    @Override
    public void close() {
        client.close();
        server.close();
        assertThat(failures).as("failures on the loops' threads").isEmpty();
    }
}
