package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.link.sim.FaultRule;
import io.jtcp.link.sim.PacketMatch;
import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.State;
import io.jtcp.wire.TcpFlags;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static io.jtcp.scenario.World.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The seeds' stories of the connection lifecycle, played by two jtcp hosts on the simulator. */
class SeedStoriesTest {
    private final Sysctls linux = Sysctls.linux();

    @Test
    void lostFinalAckIsAnsweredFromTimeWaitWhichRestartsItsTimer() throws Exception {
        World p = new World(11, linux, TraceSink.NONE);
        // The client's second ACK-only segment is its ACK of the server's FIN (the first completes the handshake).
        FaultRule dropFinalAck = FaultRule.drop(PacketMatch.path(CLIENT, SERVER).and(PacketMatch.ackOnly())).nth(2);
        p.net.addRule(dropFinalAck);
        App server = new App(p.net).closesOnEof(ms(100));
        p.server.listen(80, (c, now) -> server);
        App client = new App(p.net).sends(new byte[100], App.AfterSending.CLOSE);
        p.client.connect(SERVER, 80, client, 0);

        assertThat(p.runUntilEmpty()).isTrue();

        assertThat(dropFinalAck.applied()).isEqualTo(1);
        assertThat(p.sent("server", "F.")).as("the server's FIN and its retransmission").hasSize(2);
        assertThat(p.sawCause("client", Cause.TIME_WAIT_FIN_REACKED)).isTrue();
        assertThat(p.states("server")).endsWith("CLOSE_WAIT -> LAST_ACK", "LAST_ACK -> CLOSED");
        assertThat(server.error).isNull();
        assertThat(p.sent("client", "R")).isEmpty();
        // 2MSL restarted: TIME_WAIT ends 60 s after the re-ACK, not after the first ACK.
        TraceEvent.StateEvent entered = p.stateEvents("client", State.TIME_WAIT).getFirst();
        TraceEvent.StateEvent reAck = p.events.stream()
                .filter(e -> e instanceof TraceEvent.StateEvent s && s.cause().equals(Cause.TIME_WAIT_FIN_REACKED.toString()))
                .map(e -> (TraceEvent.StateEvent) e).findFirst().orElseThrow();
        TraceEvent.StateEvent expired = p.stateEvents("client", State.CLOSED).getFirst();
        assertThat(reAck.timeNanos()).isGreaterThan(entered.timeNanos() + ms(150));
        assertThat(expired.timeNanos() - reAck.timeNanos()).isEqualTo(seconds(60));
    }

    @Test
    void halfClosedClientKeepsReceivingUntilTheServerCloses() throws Exception {
        World p = new World(12, linux, TraceSink.NONE);
        byte[] bulk = new byte[200_000];
        new Random(5).nextBytes(bulk);
        App server = new App(p.net);
        p.server.listen(80, (c, now) -> {
            // Once the client's FIN is in, the server still sends 200 kB, in ten writes 50 ms apart, then closes.
            for (int i = 0; i < 10; i++) {
                int from = i * 20_000;
                boolean last = i == 9;
                p.net.at(now + ms(50) * (i + 1), () -> sendChunk(c, bulk, from, 20_000, last, p));
            }
            return server;
        });
        App client = new App(p.net).sends("request".getBytes(), App.AfterSending.SHUTDOWN_OUTPUT)
                .closesOnEof(0);
        p.client.connect(SERVER, 80, client, 0);

        assertThat(p.runUntilEmpty()).isTrue();

        assertThat(client.receivedBytes).isEqualTo(bulk.length);
        assertThat(client.digest()).isEqualTo(App.sha256(bulk));
        assertThat(client.error).isNull();
        assertThat(server.error).isNull();
        assertThat(p.states("client")).containsExactly("CLOSED -> SYN_SENT", "SYN_SENT -> ESTABLISHED",
                "ESTABLISHED -> FIN_WAIT_1", "FIN_WAIT_1 -> FIN_WAIT_2", "FIN_WAIT_2 -> TIME_WAIT", "TIME_WAIT -> CLOSED");
        assertThat(p.states("server")).containsExactly("LISTEN -> SYN_RECEIVED", "SYN_RECEIVED -> ESTABLISHED",
                "ESTABLISHED -> CLOSE_WAIT", "CLOSE_WAIT -> LAST_ACK", "LAST_ACK -> CLOSED");
    }

    private static void sendChunk(Connection c, byte[] data, int from, int len, boolean last, World p) {
        try {
            int n = c.send(data, from, len, p.net.now());
            assertThat(n).isEqualTo(len);
            if (last) c.close(p.net.now());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void simultaneousCloseGoesThroughClosingOnBothSides() throws Exception {
        World p = new World(13, linux, TraceSink.NONE);
        Connection[] serverSide = new Connection[1];
        p.server.listen(80, (c, now) -> {
            serverSide[0] = c;
            return new App(p.net);
        });
        App client = new App(p.net);
        Connection clientSide = p.client.connect(SERVER, 80, client, 0);
        p.net.runUntil(ms(100));
        p.net.at(ms(200), () -> clientSide.close(p.net.now()));
        p.net.at(ms(200), () -> serverSide[0].close(p.net.now()));

        assertThat(p.runUntilEmpty()).isTrue();

        for (String host : new String[] {"client", "server"}) {
            assertThat(p.states(host)).as(host).containsSubsequence(
                    "ESTABLISHED -> FIN_WAIT_1", "FIN_WAIT_1 -> CLOSING", "CLOSING -> TIME_WAIT", "TIME_WAIT -> CLOSED");
            assertThat(p.sawCause(host, Cause.SIMULTANEOUS_CLOSE)).isTrue();
        }
    }

    @Test
    void finWithAckInFinWait1GoesStraightToTimeWait() throws Exception {
        World p = new World(14, linux, TraceSink.NONE);
        // The server closes the moment it reads end of stream: its delayed ACK of the client's FIN rides on its own FIN.
        p.server.listen(80, (c, now) -> new App(p.net).closesOnEof(0));
        App client = new App(p.net).sends("bye".getBytes(), App.AfterSending.CLOSE);
        p.client.connect(SERVER, 80, client, 0);

        assertThat(p.runUntilEmpty()).isTrue();

        assertThat(p.states("client")).containsSubsequence("ESTABLISHED -> FIN_WAIT_1", "FIN_WAIT_1 -> TIME_WAIT")
                .doesNotContain("FIN_WAIT_1 -> FIN_WAIT_2");
        assertThat(p.sawCause("client", Cause.FIN_WITH_ACK_OF_FIN)).isTrue();
        assertThat(p.sent("server", TcpFlags.tcpdump(TcpFlags.FIN | TcpFlags.ACK))).hasSize(1);
        // The data itself is acknowledged at once (quick-ACK mode at the start of a connection, Linux
        // tcp_event_data_recv); only the FIN's ACK waits.
        int clientFinEnd = p.sent("client", TcpFlags.tcpdump(TcpFlags.FIN | TcpFlags.ACK)).getFirst().segment().seq + 1;
        assertThat(p.sent("server", ".").stream().filter(s -> s.segment().payloadLength == 0)
                .filter(s -> s.segment().ack == clientFinEnd)).as("no separate ACK of the client's FIN").isEmpty();
    }

    @Test
    void stacksThatOffloadChecksumsStillMoveEveryByte() throws Exception {
        World p = new World(15, linux, TraceSink.NONE);
        p.client.setChecksumOffload(true);
        p.server.setChecksumOffload(true);
        byte[] bulk = new byte[300_000];
        new Random(6).nextBytes(bulk);
        App server = new App(p.net).closesOnEof(0);
        p.server.listen(80, (c, now) -> server);
        p.client.connect(SERVER, 80, new App(p.net).sends(bulk, App.AfterSending.CLOSE), 0);

        assertThat(p.runUntilEmpty()).isTrue();

        assertThat(server.digest()).isEqualTo(App.sha256(bulk));
        assertThat(p.client.counters().drops(io.jtcp.wire.DropReason.TCP_BAD_CHECKSUM)
                + p.server.counters().drops(io.jtcp.wire.DropReason.TCP_BAD_CHECKSUM)).isZero();
    }
}
