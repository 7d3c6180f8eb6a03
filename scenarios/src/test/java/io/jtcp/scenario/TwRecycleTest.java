package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.observe.TraceEvent;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.Connection;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.State;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.jtcp.scenario.World.*;
import static org.assertj.core.api.Assertions.assertThat;

/** tcp_tw_recycle on a host (Linux 4.11): TIME_WAIT shortened to 3.5 RTO, and the listener's per-host PAWS check. */
class TwRecycleTest {
    private static final byte[] REPLY = "reply".getBytes(StandardCharsets.US_ASCII);

    /** The server replies and closes at once, so TIME_WAIT is on its side; it notes its RTO at the hand-off. */
    private static final class RepliesAndCloses implements SocketHandler {
        long rtoAtClose = -1;

        @Override
        public void established(Connection c, long now) {
            try {
                c.send(REPLY, 0, REPLY.length, now);
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
            c.close(now);
        }

        @Override
        public void closed(Connection c, Errno err, long now) {
            rtoAtClose = c.status(now).rto();
        }
    }

    private static World serverClosesFirst(boolean recycle, RepliesAndCloses serverApp) throws Exception {
        Sysctls cfg = Sysctls.linux().set("net.ipv4.tcp_tw_recycle", recycle ? "1" : "0");
        World w = new World(3, cfg);
        w.server.listen(80, (c, now) -> serverApp);
        w.client.connect(SERVER, 80, new App(w.net).closesOnEof(0), 0);
        w.runUntilEmpty();
        return w;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void timeWaitLastsThreeAndAHalfRtoWithRecycleAndTwoMslWithout(boolean recycle) throws Exception {
        RepliesAndCloses app = new RepliesAndCloses();
        World w = serverClosesFirst(recycle, app);
        long entered = w.stateEvents("server", State.TIME_WAIT).getFirst().timeNanos();
        TraceEvent.StateEvent expired = w.stateEvents("server", State.CLOSED).stream()
                .filter(e -> e.cause().equals(Cause.TIME_WAIT_EXPIRED.toString())).findFirst().orElseThrow();
        long rto = app.rtoAtClose;
        assertThat(rto).isGreaterThanOrEqualTo(ms(200));
        long expected = recycle ? 4 * rto - rto / 2 : seconds(60);
        assertThat(expired.timeNanos() - entered).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aSynWhoseClockIsBehindTheHostsLastTimeWaitIsDroppedSilentlyOnlyWithRecycle(boolean recycle) throws Exception {
        World w = serverClosesFirst(recycle, new RepliesAndCloses());
        int lastTsVal = w.sent("client", ".").getLast().segment().tsVal;
        int synAcksBefore = w.sent("server", "S.").size();

        Segment behind = syn(41000, lastTsVal - 2);
        Segment ahead = syn(41001, lastTsVal + 1000);
        long t = w.net.now() + ms(10);
        w.net.inject(packet(behind), t);
        w.net.inject(packet(ahead), t + ms(1));
        w.net.runUntil(t + ms(5));

        long drops = w.drops("server").stream().filter(d -> d.reason().equals(DropReason.PAWS_PASSIVE.name())).count();
        assertThat(drops).isEqualTo(recycle ? 1 : 0);
        assertThat(w.server.counters().pawsPassive).isEqualTo(drops);
        assertThat(w.server.counters().listenDrops).isEqualTo(drops);
        assertThat(w.server.snapshot(w.net.now()).counters()).containsEntry("TcpExtPAWSPassive", drops);
        assertThat(w.sent("server", "S.").size() - synAcksBefore).as("SYN-ACKs to the two SYNs").isEqualTo(recycle ? 1 : 2);
    }

    @org.junit.jupiter.api.Test
    void oneHostReconnectingToARecyclingServerIsNeverRejectedBecauseItsConnectionsShareOneClock() throws Exception {
        World w = new World(4, Sysctls.linux().set("tcp_tw_recycle", "1"));
        w.server.listen(80, (c, now) -> new RepliesAndCloses());
        for (int i = 0; i < 8; i++) {
            App app = new App(w.net).closesOnEof(0);
            w.client.connect(SERVER, 80, app, w.net.now());
            w.net.runWhile(() -> !app.closedNotice, w.net.now() + seconds(10));
            assertThat(app.conn).as("connection " + i).isNotNull();
        }
        assertThat(w.server.counters().pawsPassive).isZero();
        assertThat(w.server.counters().passiveOpens).isEqualTo(8);
    }

    private static Segment syn(int port, int tsVal) {
        Segment s = new Segment();
        s.srcAddr = CLIENT;
        s.dstAddr = SERVER;
        s.srcPort = port;
        s.dstPort = 80;
        s.seq = 12345;
        s.flags = TcpFlags.SYN;
        s.window = 65535;
        s.hasTimestamps = true;
        s.tsVal = tsVal;
        return s;
    }

    private static byte[] packet(Segment s) {
        byte[] buf = new byte[PacketCodec.MAX_PACKET_LENGTH];
        return Arrays.copyOf(buf, PacketCodec.encode(s, buf, 0));
    }
}
