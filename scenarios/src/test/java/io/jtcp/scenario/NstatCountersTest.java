package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.State;
import io.jtcp.wire.TcpFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.jtcp.scenario.World.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Drops and aborts show up under the nstat counters Linux increments for the same event. */
class NstatCountersTest {
    private final Sysctls cfg = Sysctls.linux().set("tcp_timestamps", "0");

    private static Map<String, Long> nstat(World p, io.jtcp.host.Stack s) {
        return s.snapshot(p.net.now()).counters();
    }

    @Test
    void closingWithUnreadDataIsTcpAbortOnCloseAndASegmentPastTheWindowIsBeyondWindow() throws Exception {
        World p = new World(3, cfg);
        List<Connection> accepted = new ArrayList<>();
        p.server.listen(80, (c, now) -> {
            accepted.add(c);
            return new App(p.net).sends("hello".getBytes(), App.AfterSending.NOTHING);
        });
        Connection client = p.client.connect(SERVER, 80, new SocketHandler() { }, 0); // reads nothing
        p.net.runUntil(ms(100));
        assertThat(client.available()).isEqualTo(5);

        Connection server = accepted.getFirst();
        int farBeyond = server.status(p.net.now()).rcvNxt() + 10_000_000;
        byte[] stray = ListenerStoriesTest.packet(CLIENT, client.tuple().localPort(), SERVER, 80,
                TcpFlags.ACK, farBeyond, server.status(p.net.now()).sndNxt());
        p.server.packetArrives(stray, 0, stray.length, p.net.now());
        assertThat(nstat(p, p.server)).containsEntry("TcpExtBeyondWindow", 1L);

        client.close(p.net.now());
        p.net.runUntil(ms(200));
        assertThat(client.state()).isEqualTo(State.CLOSED);
        assertThat(nstat(p, p.client)).containsEntry("TcpExtTCPAbortOnClose", 1L).containsEntry("TcpExtTCPAbortOnData", 0L);
    }

    @Test
    void ipInputErrorsAreCountedUnderTheIpMib() {
        World p = new World(4, cfg);
        byte[] notOurs = ListenerStoriesTest.packet(CLIENT, 40000, CLIENT, 80, TcpFlags.SYN, 1, 0);
        p.server.packetArrives(notOurs, 0, notOurs.length, 0);
        byte[] truncated = ListenerStoriesTest.packet(CLIENT, 40000, SERVER, 80, TcpFlags.SYN, 1, 0);
        p.server.packetArrives(truncated, 0, 30, 0);
        assertThat(nstat(p, p.server)).containsEntry("IpInAddrErrors", 1L).containsEntry("IpExtInTruncatedPkts", 1L);
    }
}
