package io.jtcp.scenario;

import io.jtcp.observe.TraceEvent;
import io.jtcp.tcp.Connection;
import io.jtcp.api.ErrnoException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** The opening most stories share: the server listens on port 80 and the client connects to it. */
final class Conversation {
    static final int PORT = 80;
    static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, world!".getBytes(StandardCharsets.US_ASCII);

    final World world;
    final App client;
    App server;
    Connection clientConn;

    private Conversation(World world, App client) {
        this.world = world;
        this.client = client;
    }

    /** Listens with {@code serverApp} for each accepted connection, then connects with {@code clientApp}. */
    static Conversation start(World w, App clientApp, Supplier<App> serverApp) throws ErrnoException {
        Conversation c = new Conversation(w, clientApp);
        w.server.listen(PORT, (conn, now) -> {
            c.server = serverApp.get();
            return c.server;
        });
        c.clientConn = w.client.connect(World.SERVER, PORT, clientApp, w.net.now());
        return c;
    }

    /** Records an application's call in the trace, as the demo does. */
    static void user(World w, String host, Connection c, String call, String result) {
        w.events.add(new TraceEvent.UserEvent(w.net.now(), host, c.tuple().local(), c.tuple().remote(), call, result));
    }

    /** Seconds, as the trace prints them. */
    static String at(long nanos) {
        return String.format("%.3f s", nanos / 1e9);
    }
}
