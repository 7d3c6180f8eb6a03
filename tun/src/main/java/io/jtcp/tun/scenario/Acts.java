package io.jtcp.tun.scenario;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoCarrier;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceTime;
import java.io.IOException;
import io.jtcp.wire.IpAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** What the kernel stories share: one connection either way round, a request and a reply, trace lookups. */
final class Acts {
    static final int KERNEL_PORT = 8080, JTCP_PORT = 80;
    static final byte[] REQUEST = "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] REPLY = "HTTP/1.0 200 OK\r\nContent-Length: 6\r\n\r\nhello\n".getBytes(StandardCharsets.US_ASCII);

    private Acts() {}

    /** One connection of {@code run}: jtcp's socket, the kernel's, and which of them is the client. */
    record Conn(KernelRun run, TcpSocket jtcp, Socket kernel, boolean jtcpIsClient) {
        /** jtcp's port if jtcp is the client (ephemeral), else the listener's. */
        int jtcpPort() { return jtcp.localPort(); }

        /** jtcp's end, also once closed (the run's address: a closed socket's own is the wildcard). */
        String jtcpEnd() { return run.jtcpEnd(jtcp.localPort()); }

        String kernelEnd() { return run.kernelEnd(kernel.getLocalPort()); }
    }

    /** jtcp connects to a kernel listener on {@code port}. */
    static Conn jtcpClient(KernelRun run, int port) throws Exception {
        ServerSocket ks = run.kernelListen(port);
        run.user("kernel", "listen", run.kernelEnd(port), "0");
        TcpSocket c = TcpSocket.open(run.loop());
        c.connect(new InetSocketAddress(run.kernel().toInetAddress(), port), Duration.ofSeconds(10));
        run.user("jtcp", "connect", run.kernelEnd(port), "0");
        Socket k = run.kernelAccept(ks);
        run.user("kernel", "accept", run.kernelEnd(port), run.jtcpEnd(k.getPort()));
        return new Conn(run, c, k, true);
    }

    /** The kernel connects to a jtcp listener on {@code port}; the listener stays open. */
    static Conn kernelClient(KernelRun run, int port) throws Exception {
        TcpServerSocket ls = TcpServerSocket.open(run.loop());
        ls.bind(run.wildcard(), port);
        ls.listen(16);
        return kernelClient(run, ls);
    }

    static Conn kernelClient(KernelRun run, TcpServerSocket ls) throws Exception {
        int port = ls.localPort();
        run.user("jtcp", "listen", run.jtcpEnd(port), "0");
        CompletableFuture<TcpSocket> accepted = ls.acceptAsync();
        Socket k = run.kernelConnect(port);
        run.user("kernel", "connect", run.jtcpEnd(port), "0");
        TcpSocket s = accepted.get(KernelRun.WAIT_SECONDS, TimeUnit.SECONDS);
        run.user("jtcp", "accept", run.jtcpEnd(port), IpAddress.of(s.remoteAddress().getAddress()).withPort(s.remotePort()));
        return new Conn(run, s, k, false);
    }

    /** The client sends {@link #REQUEST}, the server reads it and answers {@link #REPLY}, the client reads it. */
    static void requestReply(KernelRun run, Conn c) throws IOException {
        if (c.jtcpIsClient()) {
            c.jtcp().getOutputStream().write(REQUEST);
            run.user("jtcp", "send", c.jtcpEnd(), REQUEST.length + " bytes");
            c.kernel().getInputStream().readNBytes(REQUEST.length);
            c.kernel().getOutputStream().write(REPLY);
            run.user("kernel", "send", c.kernelEnd(), REPLY.length + " bytes");
            c.jtcp().getInputStream().readNBytes(REPLY.length);
        } else {
            c.kernel().getOutputStream().write(REQUEST);
            run.user("kernel", "send", c.kernelEnd(), REQUEST.length + " bytes");
            c.jtcp().getInputStream().readNBytes(REQUEST.length);
            c.jtcp().getOutputStream().write(REPLY);
            run.user("jtcp", "send", c.jtcpEnd(), REPLY.length + " bytes");
            c.kernel().getInputStream().readNBytes(REPLY.length);
        }
    }

    /**
     * The kernel's application: reads to EOF, waits until {@code mayClose} opens, closes (on
     * its own thread). The latch is the application "thinking": the story opens it once it
     * has shown the state the wait holds (the kernel in CLOSE-WAIT), so no view races the close.
     */
    static Thread kernelClosesOnEof(KernelRun run, Conn c, CountDownLatch mayClose) {
        return run.background("kernel-app", () -> {
            long n = c.kernel().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            run.user("kernel", "read", c.kernelEnd(), "EOF after " + n + " bytes");
            KernelRun.await(mayClose, "the story's go-ahead for the kernel's close");
            c.kernel().close();
            run.user("kernel", "close", c.kernelEnd(), "0");
        });
    }

    /** jtcp's application: reads to EOF, waits until {@code mayClose} opens, closes (on its own thread). */
    static Thread jtcpClosesOnEof(KernelRun run, Conn c, CountDownLatch mayClose) {
        return run.background("jtcp-app", () -> {
            long n = c.jtcp().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            run.user("jtcp", "read", c.jtcpEnd(), "EOF after " + n + " bytes");
            KernelRun.await(mayClose, "the story's go-ahead for jtcp's close");
            c.jtcp().close();
            run.user("jtcp", "close", c.jtcpEnd(), "0");
        });
    }

    /** The first line of {@code ss} output about port {@code port} (either end), or "(nothing)". */
    /** A jtcp call's failure as the user-call record shows it, errno first as strace would: "ECONNRESET (Connection reset)". */
    static String failure(IOException e) {
        Errno errno = ErrnoCarrier.errnoOf(e);
        return errno == null ? e.getMessage() : errno + " (" + e.getMessage() + ")";
    }

    static String ssLine(String ss, int port) {
        return ss.lines().filter(l -> !l.startsWith("State") && !l.startsWith("LISTEN") && l.contains(":" + port + " "))
                .map(l -> l.replaceAll("\\s+", " ").strip()).findFirst().orElse("(nothing)");
    }

    /** Segments jtcp received whose flags include {@code fin}/{@code rst}, on a connection with this port. */
    static List<TraceEvent.SegmentEvent> received(KernelRun run, int port, java.util.function.Predicate<io.jtcp.wire.Segment> p) {
        return segments(run, TraceEvent.SegmentEvent.IN, port, p);
    }

    static List<TraceEvent.SegmentEvent> sent(KernelRun run, int port, java.util.function.Predicate<io.jtcp.wire.Segment> p) {
        return segments(run, TraceEvent.SegmentEvent.OUT, port, p);
    }

    private static List<TraceEvent.SegmentEvent> segments(KernelRun run, String dir, int port,
                                                          java.util.function.Predicate<io.jtcp.wire.Segment> p) {
        String suffix = ":" + port;
        return run.events().stream().filter(e -> e instanceof TraceEvent.SegmentEvent s && s.dir().equals(dir)
                        && (s.local().endsWith(suffix) || s.remote().endsWith(suffix)) && p.test(s.segment()))
                .map(e -> (TraceEvent.SegmentEvent) e).toList();
    }

    static String at(long nanos) {
        return TraceTime.seconds(nanos).substring(0, TraceTime.seconds(nanos).length() - 3) + " s";
    }
}
