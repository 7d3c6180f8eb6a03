package io.jtcp.api;

import io.jtcp.observe.TextTracePrinter;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceEvent.UserEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.jtcp.api.Hosts.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Calls on TcpSocket and TcpServerSocket appear in the stack's trace as user events, on the loop's thread. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketCallTraceTest {

    @Test
    void socketCallsAreTraced() throws Exception {
        List<TraceEvent> client = new CopyOnWriteArrayList<>(), server = new CopyOnWriteArrayList<>();
        try (Hosts h = new Hosts()) {
            bounded(h.client.call(() -> { h.client.stack().setTrace(client::add); return null; }));
            bounded(h.server.call(() -> { h.server.stack().setTrace(server::add); return null; }));
            TcpServerSocket listener = TcpServerSocket.listen(h.server, 80, 4);
            TcpSocket[] pair = h.connect(listener);
            pair[0].setOption(TcpOption.TCP_NODELAY, true);
            pair[0].shutdownOutput();
            pair[0].close();
            pair[1].abort();
            listener.close();
            TcpSocket refused = TcpSocket.open(h.client);
            assertThat(errnoOf(() -> refused.connect(SERVER, 81))).isEqualTo(Errno.ECONNREFUSED);
            refused.close();

            String c = pair[0].localPort() + "";
            // The refused attempt's ephemeral port is forgotten with the attempt (the socket may connect again): shown as P.
            List<String> clientCalls = calls(client).stream().map(l -> l.replaceAll("10\\.0\\.0\\.1:(?!" + c + ")\\d+", "10.0.0.1:P")).toList();
            assertThat(clientCalls).containsExactly(
                    "connect 10.0.0.1:" + c + " 10.0.0.2:80 in progress",
                    "connect 10.0.0.1:" + c + " 10.0.0.2:80 0",
                    "setsockopt TCP_NODELAY 10.0.0.1:" + c + " 10.0.0.2:80 0",
                    "shutdown SHUT_WR 10.0.0.1:" + c + " 10.0.0.2:80 0",
                    "close 10.0.0.1:" + c + " 10.0.0.2:80 0",
                    "connect 10.0.0.1:P 10.0.0.2:81 in progress",
                    "connect 10.0.0.1:P 10.0.0.2:81 ECONNREFUSED",
                    "close null null 0");
            assertThat(calls(server)).containsExactly(
                    "listen 0.0.0.0:80 null 0", // a wildcard listener shows the address it is bound to, as ss does
                    "accept 10.0.0.2:80 10.0.0.1:" + c + " 0",
                    "abort 10.0.0.2:80 10.0.0.1:" + c + " 0",
                    "close 0.0.0.0:80 null 0");
            UserEvent first = (UserEvent) client.stream().filter(e -> e instanceof UserEvent).findFirst().orElseThrow();
            assertThat(new TextTracePrinter(new StringBuilder()).line(first)).endsWith(" client connect 10.0.0.2:80 = in progress");
        }
    }

    private static List<String> calls(List<TraceEvent> events) {
        return events.stream().filter(e -> e instanceof UserEvent).map(e -> (UserEvent) e)
                .map(u -> u.call() + " " + u.local() + " " + u.remote() + " " + u.result()).toList();
    }
}
