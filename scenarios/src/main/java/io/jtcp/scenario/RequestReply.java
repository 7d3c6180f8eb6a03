package io.jtcp.scenario;

import io.jtcp.wire.IpAddress;
import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.link.sim.LinkParams;
import io.jtcp.link.sim.SimNetwork;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.tcp.Connection;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.State;
import io.jtcp.wire.Ip4;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * jtcp's demo job: a client at 10.0.0.1 connects to a server at 10.0.0.2:80,
 * sends a request, reads the reply, and one side closes first; the run goes on
 * until the active closer's TIME_WAIT has expired and both hosts are empty.
 * Everything runs in virtual time on the simulated network.
 */
public final class RequestReply {
    public static final String CLIENT = "10.0.0.1", SERVER = "10.0.0.2";
    public static final int PORT = 80;
    static final String REQUEST = "GET / HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n";
    static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, world!";
    /** How long the passive closer's application takes to call close() after reading end of stream. */
    static final Duration SERVER_THINK = Duration.ofMillis(100);

    /**
     * @param serverClosesFirst the server closes right after replying (and so ends in TIME_WAIT)
     * @param loss              probability that the link loses a packet, each way
     */
    public record Options(boolean serverClosesFirst, long seed, double loss, Sysctls sysctls) {}

    /** How the run ended: the reply the client read and each side's error, if any. */
    public record Result(String reply, Errno clientError, Errno serverError, long endNanos, int leftOpen) {}

    private RequestReply() {}

    /** Runs the demo with its trace going to {@code sink}. */
    public static Result run(Options o, TraceSink sink) {
        return run(o, Reporter.traceOnly(sink));
    }

    /** Runs the demo, showing the views through {@code reporter} when the closer's FIN is acknowledged and in TIME_WAIT. */
    public static Result run(Options o, Reporter reporter) {
        Run run = new Run(new ScenarioOptions(o.seed(), o.sysctls(), java.util.Set.of(), java.util.List.of(), 0), reporter);
        World world = run.world();
        SimNetwork net = world.net;
        net.setDefaultLink(LinkParams.DEFAULT.withLoss(o.loss()));
        TraceSink sink = reporter.trace();
        Stack client = world.client, server = world.server;

        Client app = new Client(net, sink, !o.serverClosesFirst());
        Server[] accepted = new Server[1];
        try {
            server.listen(PORT, (c, now) -> accepted[0] = new Server(net, sink, o.serverClosesFirst()));
            sink.accept(new TraceEvent.UserEvent(0, "server", SERVER + ":" + PORT, null, "listen", "ok"));
            app.conn = client.connect(IpAddress.parse(SERVER), PORT, app, net.now());
            sink.accept(user(net, "client", app.conn, "connect", "in progress"));
        } catch (ErrnoException e) {
            throw new IllegalStateException("a fresh simulated host refused the demo: " + e.getMessage(), e);
        }
        String closer = o.serverClosesFirst() ? "server" : "client";
        long limit = Duration.ofHours(1).toNanos();
        net.runWhile(() -> world.stateEvents(closer, State.FIN_WAIT_2).isEmpty()
                && world.stateEvents(closer, State.TIME_WAIT).isEmpty() && world.open() > 0, limit);
        if (world.open() > 0) run.show("the " + closer + " closed first and its FIN is acknowledged");
        net.runWhile(() -> world.stateEvents(closer, State.TIME_WAIT).isEmpty() && world.open() > 0, limit);
        if (world.open() > 0) run.show("the " + closer + " is in TIME_WAIT for 2MSL");
        world.runUntilEmpty();
        return new Result(app.received.toString(StandardCharsets.US_ASCII), app.error,
                accepted[0] == null ? null : accepted[0].error, net.now(), world.open());
    }

    static TraceEvent.UserEvent user(SimNetwork net, String host, Connection c, String call, String result) {
        return new TraceEvent.UserEvent(net.now(), host, c.tuple().local(), c.tuple().remote(), call, result);
    }

    /** Reads everything available into {@code into}; returns true at end of stream. */
    static boolean drain(Connection c, ByteArrayOutputStream into, long now) throws ErrnoException {
        byte[] buf = new byte[4096];
        for (int n; (n = c.receive(buf, 0, buf.length, now)) != 0; ) {
            if (n < 0) return true;
            into.write(buf, 0, n);
        }
        return false;
    }

    static void writeAll(Connection c, String text, long now) throws ErrnoException {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        if (c.send(b, 0, b.length, now) != b.length) throw new IllegalStateException("demo message exceeds the send buffer");
    }

    private static final class Client implements SocketHandler {
        final SimNetwork net;
        final TraceSink sink;
        final boolean closesFirst;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        Connection conn;
        Errno error;
        boolean closed;

        Client(SimNetwork net, TraceSink sink, boolean closesFirst) {
            this.net = net;
            this.sink = sink;
            this.closesFirst = closesFirst;
        }

        @Override
        public void established(Connection c, long now) {
            try {
                writeAll(c, REQUEST, now);
                sink.accept(user(net, "client", c, "send", REQUEST.length() + " bytes"));
            } catch (ErrnoException e) {
                error = e.errno();
            }
        }

        @Override
        public void readable(Connection c, long now) {
            if (closed) return;
            try {
                boolean eof = drain(c, received, now);
                if (eof || closesFirst && received.size() >= REPLY.length()) {
                    closed = true;
                    sink.accept(user(net, "client", c, "close", eof ? "after end of stream" : "after the reply"));
                    c.close(now);
                }
            } catch (ErrnoException e) {
                error = e.errno();
            }
        }

        @Override
        public void closed(Connection c, Errno err, long now) {
            if (err != null) error = err;
        }
    }

    private static final class Server implements SocketHandler {
        final SimNetwork net;
        final TraceSink sink;
        final boolean closesFirst;
        final ByteArrayOutputStream request = new ByteArrayOutputStream();
        Errno error;
        boolean replied, closed;

        Server(SimNetwork net, TraceSink sink, boolean closesFirst) {
            this.net = net;
            this.sink = sink;
            this.closesFirst = closesFirst;
        }

        @Override
        public void readable(Connection c, long now) {
            if (closed) return;
            try {
                boolean eof = drain(c, request, now);
                if (!replied && request.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                    replied = true;
                    writeAll(c, REPLY, now);
                    sink.accept(user(net, "server", c, "send", REPLY.length() + " bytes"));
                    if (closesFirst) close(c, "after the reply");
                }
                if (eof && !closed) {
                    closed = true;
                    net.at(now + SERVER_THINK.toNanos(), () -> close(c, "after end of stream"));
                }
            } catch (ErrnoException e) {
                error = e.errno();
            }
        }

        private void close(Connection c, String why) {
            closed = true;
            sink.accept(user(net, "server", c, "close", why));
            c.close(net.now());
        }

        @Override
        public void closed(Connection c, Errno err, long now) {
            if (err != null) error = err;
        }
    }
}
