package io.jtcp.cli;

import io.jtcp.api.TcpSocket;
import io.jtcp.observe.TextTracePrinter;
import io.jtcp.observe.TraceSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jtcp connect}: a jtcp client to a kernel server, like nc. */
@Command(name = "connect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Connect from jtcp on a TUN device to a server in the Linux kernel, like nc: stdin goes to the",
                "connection (a FIN at stdin's end), the connection to stdout. Needs root, /dev/net/tun and iproute2.",
                "  ip netns add jtcp-demo   # or let --netns create it",
                "  jtcp connect --netns jtcp-demo --addr 10.77.0.2/24 10.77.0.1:8080",
                "  jtcp connect --netns jtcp-demo --addr 10.77.0.2/24 --addr fd77::2/64 [fd77::1]:8080"})
final class ConnectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TunOptions tun;

    @Parameters(paramLabel = "HOST:PORT", description = "The kernel server to connect to: 10.77.0.1:8080, or [fd77::1]:8080 over IPv6.")
    String target;

    @Option(names = "--trace", description = "Print the trace (in and out) to stderr.")
    boolean trace;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "10s", description = "Give up connecting after TIME (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() throws Exception {
        int colon = target.lastIndexOf(':');
        if (colon < 0) throw new ParameterException(spec.commandLine(), "HOST:PORT expected, got '" + target + "'.");
        String host = target.substring(0, colon);
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            throw new ParameterException(spec.commandLine(), "An IPv6 address takes brackets before its port: [" + host + "]:"
                    + target.substring(colon + 1) + ".");
        }
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "Bad port in '" + target + "'.");
        }
        TunSession session;
        try {
            session = TunSession.open("jtcp", tun, trace ? new TextTracePrinter(System.err) : TraceSink.NONE, System.err);
        } catch (IOException e) {
            String why = TunSession.setupProblem("connect", e);
            if (why == null) throw e;
            System.err.println(why);
            return TunSession.NEEDS_SETUP;
        }
        try (session) {
            TcpSocket s = TcpSocket.open(session.loop);
            s.connect(host, port, Duration.ofNanos(Durations.parse(timeout)));
            Thread up = Thread.ofPlatform().daemon().name("jtcp-stdin").start(() -> {
                try {
                    System.in.transferTo(s.getOutputStream());
                    s.shutdownOutput();
                } catch (IOException e) {
                    System.err.println("sending: " + e.getMessage());
                }
            });
            InputStream in = s.getInputStream();
            OutputStream out = System.out;
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
            up.join(Duration.ofSeconds(1));
            s.close();
            Thread.sleep(100);
            return 0;
        }
    }
}
