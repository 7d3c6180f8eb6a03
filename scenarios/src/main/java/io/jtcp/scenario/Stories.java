package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.link.sim.SimHost;
import io.jtcp.observe.StackSnapshot;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.tcp.Connection;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the seed-story scenarios share beyond {@link Conversation}: application calls
 * written into the trace (recorded and shown), views of any set of hosts, extra hosts
 * on the world's network (a host's sysctls are fixed, so a phase with other settings
 * gets a host of its own), and the small applications the stories use.
 */
final class Stories {
    private Stories() {}

    /** An application's call and its result, recorded in the world and printed with the trace. */
    static void call(Run run, World w, String host, String local, String remote, String call, String result) {
        TraceEvent.UserEvent e = new TraceEvent.UserEvent(w.net.now(), host, local, remote, call, result);
        w.events.add(e);
        run.reporter().trace().accept(e);
    }

    /** Shows these hosts' views now (run.show shows the world's client and server only). */
    static void show(Run run, World w, String moment, Stack... hosts) {
        long now = w.net.now();
        List<StackSnapshot> snaps = new ArrayList<>();
        for (Stack s : hosts) snaps.add(s.snapshot(now));
        run.reporter().views(now, moment, snaps);
    }

    /** Another host on the world's network, traced like the world's own two. */
    static Stack host(Run run, World w, String name, String address, Sysctls cfg, long seed) {
        Stack s = SimHost.create(w.net, name, address, cfg, seed).stack();
        TraceSink record = w.events::add;
        s.setTrace(record.andThen(run.reporter().trace()));
        return s;
    }

    /** Connections the host still holds, TIME_WAIT included. */
    static int open(Stack s) {
        return s.connectionCount() + s.timeWaitCount();
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** The last line of an HTTP-ish message, for quoting it in an explanation. */
    static String body(byte[] b) {
        String t = text(b);
        int i = t.lastIndexOf('\n');
        return '"' + t.substring(i + 1) + '"';
    }

    /**
     * A client that sends a request when connected, keeps every byte it reads, and
     * closes first once it has {@code expect} bytes: the active closer of most stories.
     */
    static final class Asker implements SocketHandler {
        private final byte[] request;
        private final int expect;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        Connection conn;
        Errno error;
        boolean closedByApp, closedNotice;
        long establishedAt = -1;
        /** Runs as a separate event right after the application's close(), e.g. to open the next connection. */
        Runnable afterClose;
        private io.jtcp.link.sim.SimNetwork net;

        Asker(byte[] request, int expect) {
            this.request = request;
            this.expect = expect;
        }

        @Override
        public void established(Connection c, long now) {
            conn = c;
            establishedAt = now;
            try {
                if (request.length > 0) c.send(request, 0, request.length, now);
            } catch (ErrnoException e) {
                error = e.errno();
            }
        }

        @Override
        public void readable(Connection c, long now) {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = c.receive(buf, 0, buf.length, now)) > 0; ) received.write(buf, 0, n);
            } catch (ErrnoException e) {
                error = e.errno();
                return;
            }
            if (!closedByApp && expect >= 0 && received.size() >= expect) {
                closedByApp = true;
                c.close(now);
                if (afterClose != null) net.at(now, afterClose);
            }
        }

        /** Calls {@code next} on the network's schedule after this application closes. */
        Asker then(io.jtcp.link.sim.SimNetwork network, Runnable next) {
            net = network;
            afterClose = next;
            return this;
        }

        @Override
        public void closed(Connection c, Errno err, long now) {
            closedNotice = true;
            if (err != null) error = err;
        }
    }

    /**
     * A server application: once the whole request is in, it answers after {@code think}
     * (0: at once), and closes when the client has closed and the answer is out.
     */
    static final class Replier implements SocketHandler {
        private final World w;
        private final byte[] reply;
        private final int requestLength;
        private final long think;
        final ByteArrayOutputStream request = new ByteArrayOutputStream();
        Connection conn;
        boolean replied, eof, closed;
        long repliedAt = -1;
        Errno error;

        Replier(World w, byte[] reply, int requestLength, long think) {
            this.w = w;
            this.reply = reply;
            this.requestLength = requestLength;
            this.think = think;
        }

        @Override
        public void established(Connection c, long now) {
            conn = c;
        }

        @Override
        public void readable(Connection c, long now) {
            conn = c;
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = c.receive(buf, 0, buf.length, now)) != 0; ) {
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    request.write(buf, 0, n);
                }
            } catch (ErrnoException e) {
                error = e.errno();
                return;
            }
            if (!replied && repliedAt < 0 && request.size() >= requestLength) {
                repliedAt = now + think;
                if (think == 0) answer();
                else w.net.at(repliedAt, this::answer);
            }
            if (eof && replied && !closed) {
                closed = true;
                c.close(now);
            }
        }

        private void answer() {
            long now = w.net.now();
            try {
                conn.send(reply, 0, reply.length, now);
            } catch (ErrnoException e) {
                error = e.errno();
            }
            replied = true;
            if (eof && !closed) {
                closed = true;
                conn.close(now);
            }
        }

        @Override
        public void closed(Connection c, Errno err, long now) {
            if (err != null) error = err;
        }
    }
}
