package io.jtcp.tun;

import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.observe.TraceEvent;
import io.jtcp.tcp.Cause;
import io.jtcp.api.ConnectionStatus;
import io.jtcp.tcp.State;
import io.jtcp.tun.KernelPeer.Digest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.jtcp.tun.KernelPeer.bounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * jtcp against the Linux kernel over a TUN device in a private namespace: transfers
 * checked by SHA-256, who holds TIME_WAIT after each close, half-close, aborts, a lost
 * final ACK, loss both ways, and the options both ends agreed on. Runs as root (CI);
 * skips otherwise, or fails when JTCP_REQUIRE_KERNEL=1.
 */
class KernelInteropTest {
    static final int MiB = 1 << 20;

    @BeforeEach
    void kernel() {
        KernelPeer.assumeKernel();
    }

    // ---- transfers, half-close, and who closes first ----

    /**
     * Kernel client -> jtcp server. The kernel sends N bytes and half-closes; jtcp reads
     * them to EOF, answers N bytes and closes. The kernel closed first, so the kernel
     * holds TIME_WAIT and jtcp keeps nothing.
     */
    @ParameterizedTest(name = "{0} bytes each way")
    @ValueSource(ints = {1, 10 * MiB})
    void kernelClientToJtcpServer(int size) throws Exception {
        try (KernelPeer p = new KernelPeer()) {
            TcpServerSocket server = TcpServerSocket.listen(p.loop, 7, 16);
            CompletableFuture<TcpSocket> accepted = server.acceptAsync();
            try (Socket k = p.kernelConnect(7)) {
                TcpSocket s = bounded(accepted);
                CompletableFuture<Digest> jtcpGot = CompletableFuture.supplyAsync(() -> readAll(s));
                byte[] sent = KernelPeer.writePattern(k.getOutputStream(), size, 1);
                k.shutdownOutput();
                Digest got = bounded(jtcpGot);
                assertThat(got.length()).isEqualTo(size);
                assertThat(got.sha256()).isEqualTo(sent);

                CompletableFuture<Digest> kernelGot = CompletableFuture.supplyAsync(() -> readAll(k));
                byte[] answer = KernelPeer.writePattern(s.getOutputStream(), size, 2);
                s.close();
                Digest back = bounded(kernelGot);
                assertThat(back.length()).isEqualTo(size);
                assertThat(back.sha256()).isEqualTo(answer);
                int port = k.getLocalPort();
                k.close();
                expectTimeWait(p, Side.KERNEL, port);
            }
        }
    }

    /**
     * jtcp client -> kernel server. jtcp sends N bytes and half-closes; the kernel reads
     * them to EOF, answers N bytes and closes. jtcp closed first, so jtcp holds TIME_WAIT.
     */
    @ParameterizedTest(name = "{0} bytes each way")
    @ValueSource(ints = {1, 10 * MiB})
    void jtcpClientToKernelServer(int size) throws Exception {
        try (KernelPeer p = new KernelPeer(); ServerSocket ks = p.kernelListen(8080)) {
            TcpSocket c = TcpSocket.open(p.loop);
            c.connect(KernelPeer.KERNEL, 8080, Duration.ofSeconds(10));
            try (Socket k = ks.accept()) {
                CompletableFuture<Digest> kernelGot = CompletableFuture.supplyAsync(() -> readAll(k));
                byte[] sent = KernelPeer.writePattern(c.getOutputStream(), size, 3);
                c.shutdownOutput();
                Digest got = bounded(kernelGot);
                assertThat(got.length()).isEqualTo(size);
                assertThat(got.sha256()).isEqualTo(sent);

                CompletableFuture<Digest> jtcpGot = CompletableFuture.supplyAsync(() -> readAll(c));
                byte[] answer = KernelPeer.writePattern(k.getOutputStream(), size, 4);
                k.close();
                Digest back = bounded(jtcpGot);
                assertThat(back.length()).isEqualTo(size);
                assertThat(back.sha256()).isEqualTo(answer);
                c.close();
                expectTimeWait(p, Side.JTCP, c.localPort());
            }
        }
    }

    /** 100 MiB kernel -> jtcp and 100 MiB jtcp -> kernel, each on its own connection, timed. */
    @Test
    void hundredMiBEachWay() throws Exception {
        long size = 100L * MiB;
        try (KernelPeer p = new KernelPeer(); ServerSocket ks = p.kernelListen(8080)) {
            TcpServerSocket server = TcpServerSocket.listen(p.loop, 7, 16);
            CompletableFuture<TcpSocket> accepted = server.acceptAsync();
            try (Socket k = p.kernelConnect(7)) {
                TcpSocket s = bounded(accepted);
                CompletableFuture<Digest> jtcpGot = CompletableFuture.supplyAsync(() -> readAll(s));
                long t0 = System.nanoTime();
                byte[] sent = KernelPeer.writePattern(k.getOutputStream(), size, 5);
                k.shutdownOutput();
                Digest got = bounded(jtcpGot);
                report("kernel -> jtcp", size, System.nanoTime() - t0);
                assertThat(got.length()).isEqualTo(size);
                assertThat(got.sha256()).isEqualTo(sent);
                s.close();
            }
            TcpSocket c = TcpSocket.open(p.loop);
            c.connect(KernelPeer.KERNEL, 8080, Duration.ofSeconds(10));
            try (Socket k = ks.accept()) {
                CompletableFuture<Digest> kernelGot = CompletableFuture.supplyAsync(() -> readAll(k));
                long t0 = System.nanoTime();
                byte[] sent = KernelPeer.writePattern(c.getOutputStream(), size, 6);
                c.shutdownOutput();
                Digest got = bounded(kernelGot);
                report("jtcp -> kernel", size, System.nanoTime() - t0);
                assertThat(got.length()).isEqualTo(size);
                assertThat(got.sha256()).isEqualTo(sent);
                c.close();
            }
        }
    }

    /** jtcp closes first without any half-close: jtcp holds TIME_WAIT, the kernel nothing. */
    @Test
    void jtcpClosesFirst() throws Exception {
        try (KernelPeer p = new KernelPeer()) {
            TcpServerSocket server = TcpServerSocket.listen(p.loop, 7, 16);
            CompletableFuture<TcpSocket> accepted = server.acceptAsync();
            try (Socket k = p.kernelConnect(7)) {
                TcpSocket s = bounded(accepted);
                s.getOutputStream().write("bye".getBytes());
                s.close();
                assertThat(k.getInputStream().readAllBytes()).isEqualTo("bye".getBytes());
                k.close();
                expectTimeWait(p, Side.JTCP, 7);
            }
        }
    }

    /** The kernel closes first: the kernel holds TIME_WAIT, jtcp nothing. */
    @Test
    void kernelClosesFirst() throws Exception {
        try (KernelPeer p = new KernelPeer(); ServerSocket ks = p.kernelListen(8080)) {
            TcpSocket c = TcpSocket.open(p.loop);
            c.connect(KernelPeer.KERNEL, 8080, Duration.ofSeconds(10));
            try (Socket k = ks.accept()) {
                k.getOutputStream().write("bye".getBytes());
                k.close();
                assertThat(c.getInputStream().readAllBytes()).isEqualTo("bye".getBytes());
                c.close();
                expectTimeWait(p, Side.KERNEL, 8080);
            }
        }
    }

    // ---- aborts ----

    /** jtcp aborts: the kernel's read fails with a reset; neither side keeps anything. */
    @Test
    void jtcpAborts() throws Exception {
        try (KernelPeer p = new KernelPeer()) {
            TcpServerSocket server = TcpServerSocket.listen(p.loop, 7, 16);
            CompletableFuture<TcpSocket> accepted = server.acceptAsync();
            try (Socket k = p.kernelConnect(7)) {
                TcpSocket s = bounded(accepted);
                s.abort();
                Throwable t = catchThrowable(() -> k.getInputStream().read());
                assertThat(t).isInstanceOf(SocketException.class).hasMessageContaining("reset");
                assertThat(bounded(p.loop.call(() -> p.loop.stack().counters().outResets))).isEqualTo(1);
                expectTimeWait(p, Side.NEITHER, 7);
                assertThat(p.ns("ss", "-tanH", "sport", "=", ":" + k.getLocalPort())).isBlank();
            }
        }
    }

    /** The kernel aborts (SO_LINGER 0): jtcp's read fails with ECONNRESET; neither side keeps anything. */
    @Test
    void kernelAborts() throws Exception {
        try (KernelPeer p = new KernelPeer(); ServerSocket ks = p.kernelListen(8080)) {
            TcpSocket c = TcpSocket.open(p.loop);
            c.connect(KernelPeer.KERNEL, 8080, Duration.ofSeconds(10));
            Socket k = ks.accept();
            k.setSoLinger(true, 0);
            k.close();
            Throwable t = catchThrowable(() -> c.getInputStream().read());
            assertThat(t).isInstanceOf(java.net.SocketException.class).hasMessage("Connection reset");
            assertThat(io.jtcp.api.ErrnoCarrier.errnoOf(t)).isEqualTo(io.jtcp.api.Errno.ECONNRESET);
            expectTimeWait(p, Side.NEITHER, 8080);
            c.close();
        }
    }

    // ---- faults on jtcp's side of the device ----

    /**
     * jtcp closes first; its ACK of the kernel's FIN is dropped on the way out, so the
     * kernel in LAST_ACK retransmits its FIN. jtcp answers it from TIME_WAIT, the kernel
     * ends CLOSED, and nobody sends a RST.
     */
    @Test
    void lostFinalAckIsAnsweredFromTimeWait() throws Exception {
        try (KernelPeer p = new KernelPeer(); ServerSocket ks = p.kernelListen(8080)) {
            TcpSocket c = TcpSocket.open(p.loop);
            c.connect(KernelPeer.KERNEL, 8080, Duration.ofSeconds(10));
            try (Socket k = ks.accept()) {
                long retransBefore = kernelCounter(p, "TcpRetransSegs");
                long rstsBefore = kernelCounter(p, "TcpOutRsts");
                c.close();
                p.awaitJtcp(all -> all.stream().anyMatch(s -> s.state() == State.FIN_WAIT_2));
                // The final ACK is lost; the first re-ACK from TIME_WAIT passes; later re-ACKs are lost too.
                // A stalled loop may answer a second FIN retransmission after the kernel's socket has gone,
                // and that late re-ACK would draw a RST that ends TIME_WAIT (tcp_rfc1337=0): dropping it keeps
                // the story the same however late the loop runs.
                p.host.link().dropOutgoing(PacketFilter.allBut(2, PacketFilter.bareTcp(0x10)));
                assertThat(k.getInputStream().read()).isEqualTo(-1);
                k.close();
                // The kernel's socket leaves LAST_ACK only when the FIN is acknowledged: by jtcp's TIME_WAIT.
                p.awaitSs(out -> out.isBlank(), "-tanH", "sport", "=", ":8080", "and", "dport", "=", ":" + c.localPort());
                assertThat(p.host.link().faultDroppedOut()).isGreaterThanOrEqualTo(1);
                assertThat(kernelCounter(p, "TcpRetransSegs") - retransBefore).as("the kernel's FIN retransmissions").isGreaterThanOrEqualTo(1);
                expectTimeWait(p, Side.JTCP, c.localPort());
                assertThat(bounded(p.loop.call(() -> p.loop.stack().counters().outResets))).isZero();
                assertThat(kernelCounter(p, "TcpOutRsts") - rstsBefore).as("the kernel's RSTs").isZero();
            }
        }
    }

    /** 5% of what jtcp reads and 5% of what it writes are lost: both directions still arrive byte-exact. */
    @Test
    void lossBothWays() throws Exception {
        int size = 4 * MiB;
        try (KernelPeer p = new KernelPeer(); ServerSocket ks = p.kernelListen(8080)) {
            p.host.link().dropIncoming(PacketFilter.random(0.05, 7));
            p.host.link().dropOutgoing(PacketFilter.random(0.05, 8));
            TcpSocket c = TcpSocket.open(p.loop);
            c.connect(KernelPeer.KERNEL, 8080, Duration.ofSeconds(20));
            try (Socket k = ks.accept()) {
                CompletableFuture<Digest> kernelGot = CompletableFuture.supplyAsync(() -> readAll(k));
                byte[] sent = KernelPeer.writePattern(c.getOutputStream(), size, 9);
                c.shutdownOutput();
                Digest got = bounded(kernelGot);
                assertThat(got.length()).isEqualTo(size);
                assertThat(got.sha256()).isEqualTo(sent);
                ConnectionStatus mid = c.status();

                CompletableFuture<Digest> jtcpGot = CompletableFuture.supplyAsync(() -> readAll(c));
                byte[] answer = KernelPeer.writePattern(k.getOutputStream(), size, 10);
                k.shutdownOutput();
                Digest back = bounded(jtcpGot);
                assertThat(back.length()).isEqualTo(size);
                assertThat(back.sha256()).isEqualTo(answer);

                assertThat(p.host.link().faultDroppedIn()).isPositive();
                assertThat(p.host.link().faultDroppedOut()).isPositive();
                assertThat(mid.retransmittedSegments()).as("jtcp's retransmissions").isPositive();
                assertThat(kernelCounter(p, "TcpRetransSegs")).as("the kernel's TcpRetransSegs").isPositive();
                c.close();
            }
        }
    }

    // ---- options ----

    /**
     * MSS, window scale, SACK-permitted and timestamps as Linux sees them (ss -tin in the
     * namespace, and TCP_INFO's tcpi_options, which this machine's ss 6.1 does not print)
     * agree with jtcp's ConnectionStatus.
     */
    @Test
    void optionsAgreeWithLinux() throws Exception {
        try {
            Ip.run("python3", "-V");
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "skipped: needs python3 to read TCP_INFO in the namespace");
        }
        try (KernelPeer p = new KernelPeer()) {
            TcpServerSocket server = TcpServerSocket.listen(p.loop, 7, 16);
            CompletableFuture<TcpSocket> accepted = server.acceptAsync();
            String script = """
                    import socket, struct, subprocess, sys
                    s = socket.create_connection(('10.77.0.2', 7))
                    s.sendall(b'x'); s.recv(1)
                    i = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
                    opts, ws = i[5], i[6]
                    snd_mss, rcv_mss = struct.unpack('II', i[16:24])
                    print('tcpi_options', opts, 'snd_wscale', ws & 15, 'rcv_wscale', ws >> 4, 'snd_mss', snd_mss)
                    print(subprocess.run(['ss', '-tinH', 'dport', '=', ':7'], capture_output=True, text=True).stdout)
                    """;
            CompletableFuture<String> kernel = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.ns("python3", "-c", script);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            TcpSocket s = bounded(accepted);
            assertThat(s.getInputStream().read()).isEqualTo('x');
            ConnectionStatus st = s.status();
            s.getOutputStream().write('y');
            String out = bounded(kernel);
            System.out.println("kernel's view:\n" + out + "jtcp's view: " + st);

            Matcher info = Pattern.compile("tcpi_options (\\d+) snd_wscale (\\d+) rcv_wscale (\\d+) snd_mss (\\d+)").matcher(out);
            assertThat(info.find()).as(out).isTrue();
            int opts = Integer.parseInt(info.group(1));
            assertThat((opts & 1) != 0).as("timestamps").isEqualTo(st.timestamps()).isTrue();
            assertThat((opts & 2) != 0).as("SACK-permitted").isEqualTo(st.sack()).isTrue();
            assertThat((opts & 4) != 0).as("window scale").isTrue();
            assertThat(Integer.parseInt(info.group(2))).as("kernel's send scale = jtcp's receive scale").isEqualTo(st.rcvWscale());
            assertThat(Integer.parseInt(info.group(3))).as("kernel's receive scale = jtcp's send scale").isEqualTo(st.sndWscale());

            Matcher ss = Pattern.compile("wscale:(\\d+),(\\d+).* mss:(\\d+).* advmss:(\\d+)").matcher(out);
            assertThat(ss.find()).as(out).isTrue();
            assertThat(Integer.parseInt(ss.group(1))).isEqualTo(st.rcvWscale());
            assertThat(Integer.parseInt(ss.group(2))).isEqualTo(st.sndWscale());
            // Each end sends segments of the other's MSS less the 12 bytes timestamps take.
            assertThat(Integer.parseInt(ss.group(3))).as("kernel's mss").isEqualTo(st.advertisedMss() - 12);
            assertThat(Integer.parseInt(ss.group(4)) + 12).as("kernel's advmss + timestamps").isEqualTo(st.sndMss() + 12);
            assertThat(Integer.parseInt(info.group(4))).isEqualTo(st.advertisedMss() - 12);
            s.close();
        }
    }

    // ---- helpers ----

    enum Side { JTCP, KERNEL, NEITHER }

    /**
     * After a close: TIME_WAIT is held by {@code side} alone for the connection on
     * jtcp's or the kernel's port {@code port}, and nothing else of it is left on either side.
     */
    static void expectTimeWait(KernelPeer p, Side side, int port) throws Exception {
        String filter = "( sport = :" + port + " or dport = :" + port + " )";
        if (side == Side.KERNEL) {
            try {
                p.awaitSs(out -> out.lines().count() == 1, "-tanH", "state", "time-wait", filter);
            } catch (AssertionError e) {
                // Seen once in CI (IPv6, the kernel closing first): no TIME_WAIT at all. Say what the kernel had instead.
                throw new AssertionError(e.getMessage() + "\nthe kernel's sockets on that port, any state:\n"
                        + p.ns("ss", "-tanH", filter) + "\nnstat:\n" + p.ns("nstat", "-az", "TcpExtTW*", "TcpEstabResets", "TcpOutRsts", "TcpExtTCPAbort*"), e);
            }
        }
        if (side == Side.JTCP) {
            // Checked on the loop's thread, against jtcp's trace of the connection: jtcp holds TIME_WAIT, or its
            // TIME_WAIT was ended by the one path real time allows. On a loaded machine jtcp's final ACK can leave
            // after the kernel has resent its FIN (its tail-loss probe, tcp_send_loss_probe, or its RTO); the first ACK closes
            // the kernel's socket, so jtcp's re-ACK of the resent FIN finds none and draws a RST, which ends
            // TIME_WAIT as on Linux with tcp_rfc1337=0 (tcp_timewait_state_process). Any other ending fails.
            p.awaitJtcp(all -> {
                List<TraceEvent.StateEvent> steps = p.states(port);
                if (steps.isEmpty()) return false;
                TraceEvent.StateEvent last = steps.getLast();
                if (last.to() == State.TIME_WAIT) {
                    return all.size() == 1 && all.getFirst().state() == State.TIME_WAIT
                            && (all.getFirst().tuple().localPort() == port || all.getFirst().tuple().remotePort() == port);
                }
                return all.isEmpty() && last.cause().equals(Cause.RESET_TIME_WAIT.toString())
                        && steps.stream().anyMatch(s -> s.cause().equals(Cause.TIME_WAIT_FIN_REACKED.toString()));
            });
            List<TraceEvent.StateEvent> steps = p.states(port);
            assertThat(steps).extracting(TraceEvent.StateEvent::to).contains(State.TIME_WAIT);
            if (steps.getLast().to() != State.TIME_WAIT) System.out.println("jtcp's TIME_WAIT on port " + port + " was ended by the kernel's"
                    + " RST to a re-ACKed retransmitted FIN: " + steps.stream().map(s -> s.from() + " -> " + s.to() + " (" + s.cause() + ")").toList());
        } else {
            p.awaitJtcp(List::isEmpty);
        }
        String kernelTw = p.ns("ss", "-tanH", "state", "time-wait", filter);
        assertThat(kernelTw.lines().count()).as("kernel TIME_WAIT:\n" + kernelTw).isEqualTo(side == Side.KERNEL ? 1 : 0);
        // Nothing but TIME_WAIT (and listeners) left in the kernel either. Waited for, not sampled: jtcp reaches
        // TIME_WAIT when it sends its final ACK, and the kernel leaves LAST-ACK only once that ACK has arrived.
        p.awaitSs(String::isBlank, "-tanH", "state", "connected", "exclude", "time-wait", filter);
    }

    static long kernelCounter(KernelPeer p, String name) throws IOException {
        String out = p.ns("nstat", "-asz", name);
        for (String line : out.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals(name)) return Long.parseLong(f[1]);
        }
        throw new AssertionError("nstat has no " + name + ":\n" + out);
    }

    static void report(String what, long bytes, long nanos) {
        System.out.printf("%s: %d MiB in %.2f s = %.1f MiB/s%n", what, bytes >> 20, nanos / 1e9, bytes / (nanos / 1e9) / MiB);
    }

    static Digest readAll(TcpSocket s) {
        try {
            return KernelPeer.readAll(s.getInputStream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Digest readAll(Socket s) {
        try {
            return KernelPeer.readAll(s.getInputStream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
