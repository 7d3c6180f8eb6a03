package io.jtcp.cli;

import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import io.jtcp.observe.SsView;
import io.jtcp.observe.TextTracePrinter;
import io.jtcp.tun.TunHost;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jtcp serve}: a jtcp server on a TUN device that a kernel client can reach. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve TCP from jtcp on a TUN device, for clients in the Linux kernel; prints the trace (in and out) live.",
                "Needs root (or CAP_NET_ADMIN), /dev/net/tun and iproute2. Example:",
                "  jtcp serve --netns jtcp-demo --addr 10.77.0.2/24 --port 7 --echo",
                "  ip netns exec jtcp-demo nc 10.77.0.2 7",
                "With --addr fd77::2/64 as well, the kernel reaches it over IPv6 too: nc fd77::2 7."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    TunOptions tun;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "7", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    static final class Mode {
        @Option(names = "--echo", description = "Send back what arrives (the default).") boolean echo;
        @Option(names = "--discard", description = "Read and throw away what arrives.") boolean discard;
        @Option(names = "--http", description = "Answer each request with a small HTTP/1.0 response.") boolean http;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode = new Mode();

    @Option(names = "--ss-every", paramLabel = "TIME", description = "Print jtcp's ss -tan -o -i view every TIME (like 1s or 500ms).")
    String ssEvery;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "0",
            description = "Exit after serving N connections (default: serve until Ctrl-C).")
    int connections;

    @Option(names = "--quiet", description = "Do not print the trace.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        TunSession session;
        try {
            session = TunSession.open("jtcp", tun, quiet ? io.jtcp.observe.TraceSink.NONE : new TextTracePrinter(out), System.err);
        } catch (IOException e) {
            String why = TunSession.setupProblem("serve", e);
            if (why == null) throw e;
            System.err.println(why);
            return TunSession.NEEDS_SETUP;
        }
        try (session) {
            // With an IPv6 address, one dual-stack listener on :: takes both families
            // (net.ipv6.bindv6only=0, Linux's default), as a kernel server bound to :: would.
            boolean v6 = session.host.addresses().stream().anyMatch(a -> a.jtcp().isV6());
            TcpServerSocket server = TcpServerSocket.open(session.loop);
            server.bind(v6 ? "::" : "0.0.0.0", port);
            server.listen(128);
            for (TunHost.Address a : session.host.addresses()) {
                System.err.printf("listening on %s (%s)%n", a.jtcp().withPort(port), mode.http ? "http" : mode.discard ? "discard" : "echo");
            }
            Thread viewer = ssEvery == null ? null : startViews(session, out, Durations.parse(ssEvery));
            CountDownLatch done = new CountDownLatch(connections);
            AtomicInteger served = new AtomicInteger();
            while (connections == 0 || served.get() < connections) {
                TcpSocket s = server.accept();
                served.incrementAndGet();
                Thread.ofVirtual().start(() -> {
                    try {
                        handle(s);
                    } catch (IOException e) {
                        System.err.println("connection " + s + ": " + e.getMessage());
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
            if (viewer != null) viewer.interrupt();
            // Let the last close finish its exchange before the device goes.
            Thread.sleep(200);
            return 0;
        }
    }

    private void handle(TcpSocket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream o = s.getOutputStream();
        byte[] buf = new byte[64 * 1024];
        if (mode.http) {
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.toString().endsWith("\r\n\r\n") || head.toString().endsWith("\n\n")) break;
            }
            byte[] body = "hello from jtcp\n".getBytes(StandardCharsets.US_ASCII);
            o.write(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.write(body);
        } else {
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (mode.discard) continue;
                o.write(buf, 0, n);
            }
        }
        s.close();
    }

    private static Thread startViews(TunSession session, PrintStream out, long everyNanos) {
        return Thread.ofPlatform().daemon().name("jtcp-ss-every").start(() -> {
            try {
                while (true) {
                    Thread.sleep(Math.max(1, everyNanos / 1_000_000));
                    String view = session.loop.call(() -> SsView.format(
                            session.loop.stack().snapshot(System.nanoTime()), true, true)).get();
                    synchronized (out) {
                        out.print(view);
                    }
                }
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                // stopped, or the loop closed
            }
        });
    }
}
