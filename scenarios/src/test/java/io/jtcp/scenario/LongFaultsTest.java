package io.jtcp.scenario;

import io.jtcp.api.Errno;
import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.link.sim.FaultRule;
import io.jtcp.link.sim.PacketMatch;
import io.jtcp.observe.TraceEvent;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import io.jtcp.wire.DropReason;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static io.jtcp.scenario.World.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak's faults that take hours or days, in virtual time with Linux's default
 * sysctls: a vanished peer found by keepalive's two hours, a peer that never reads
 * (zero window for ever) with and without TCP_USER_TIMEOUT, and a connection idle
 * past PAWS's 24 days. Each ends with the errno Linux gives and an empty stack.
 */
class LongFaultsTest {
    private final Sysctls linux = Sysctls.linux();

    /** A server application that does not read (the window closes and stays closed) until it is woken. */
    private static final class SleepyReader implements SocketHandler {
        Connection conn;
        boolean awake;
        long received;
        private final byte[] buf = new byte[65536];

        @Override
        public void established(Connection c, long now) { conn = c; }

        @Override
        public void readable(Connection c, long now) {
            if (!awake) return;
            try {
                for (int n; (n = c.receive(buf, 0, buf.length, now)) > 0; ) received += n;
            } catch (io.jtcp.api.ErrnoException e) {
                throw new AssertionError(e);
            }
        }

        void wake(long now) {
            awake = true;
            readable(conn, now);
        }
    }

    @Test
    void keepaliveWithLinuxDefaultsFindsAVanishedPeerAfter7875Seconds() throws Exception {
        World w = new World(14, linux);
        w.server.listen(80, (c, now) -> new App(w.net));
        SocketOptions opts = new SocketOptions(linux);
        opts.keepAlive = true;
        App client = new App(w.net);
        Connection conn = w.client.connect(0, SERVER, 80, opts, client, 0);
        w.net.runUntil(seconds(1));
        long established = w.stateEvents("client", State.ESTABLISHED).getFirst().timeNanos();
        w.net.addRule(FaultRule.drop(PacketMatch.from(SERVER).and(PacketMatch.after(seconds(1)))));

        w.net.runUntil(Duration.ofHours(3).toNanos());

        // tcp_keepalive_time 7200 s, then tcp_keepalive_probes (9) probes tcp_keepalive_intvl (75 s) apart, and
        // tcp_keepalive_timer gives up one interval after the ninth: 7200 + 9 * 75 s after the last segment received.
        assertThat(client.error).isEqualTo(Errno.ETIMEDOUT);
        assertThat(w.probes("client", conn)).hasSize(9);
        assertThat(w.stateEvents("client", State.CLOSED).getLast().timeNanos() - established).isEqualTo(seconds(7875));
        assertThat(w.client.connectionCount() + w.client.timeWaitCount()).isZero();
        assertThat(w.client.portsInUse()).isZero();
        assertThat(w.client.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    /** A client that keeps 1 MiB queued toward a server that reads nothing until woken. */
    private static App writerTo(World w, SocketOptions opts) throws Exception {
        App client = new App(w.net).sends(new byte[1 << 20], App.AfterSending.NOTHING);
        w.client.connect(0, SERVER, 80, opts, client, 0);
        return client;
    }

    /**
     * A server whose tcp_rmem[2] is 64 KiB offers an unscaled window, which closes exactly
     * when its buffer is full: the sender meets a zero window with nothing in flight and
     * probes it (tcp_probe_timer), bare ACKs carrying SND.UNA - 1.
     */
    private static World smallUnscaledReceiver(long seed) {
        return new World(seed, Sysctls.linux(), Sysctls.linux().set("tcp_rmem", "4096 65536 65536"), e -> { });
    }

    @Test
    void aPeerThatNeverReadsIsAbandonedExactlyOneUserTimeoutAfterTheFirstZeroWindowProbe() throws Exception {
        World w = smallUnscaledReceiver(15);
        SleepyReader server = new SleepyReader();
        w.server.listen(80, (c, now) -> server);
        SocketOptions opts = new SocketOptions(linux);
        opts.userTimeout = Duration.ofSeconds(60);
        App client = writerTo(w, opts);

        w.net.runUntil(Duration.ofHours(1).toNanos());

        // tcp_probe_timer stamps the first probe (icsk_probes_tstamp) and aborts with ETIMEDOUT once
        // TCP_USER_TIMEOUT has passed since; tcp_clamp_probe0_to_user_timeout makes the timer fire then,
        // not at the next backed-off probe.
        assertThat(client.error).isEqualTo(Errno.ETIMEDOUT);
        List<TraceEvent.SegmentEvent> probes = w.probes("client", client.conn);
        assertThat(probes).hasSizeGreaterThan(5);
        long closedAt = w.stateEvents("client", State.CLOSED).getLast().timeNanos();
        assertThat(closedAt - probes.getFirst().timeNanos()).isEqualTo(seconds(60));
        assertThat(w.client.connectionCount() + w.client.timeWaitCount() + w.client.portsInUse()).isZero();
        assertThat(w.client.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void withoutAUserTimeoutAnsweredZeroWindowProbesGoOnForADayAndTheDataFlowsWhenTheReaderWakes() throws Exception {
        World w = smallUnscaledReceiver(16);
        SleepyReader server = new SleepyReader();
        w.server.listen(80, (c, now) -> server);
        App client = writerTo(w, new SocketOptions(linux));

        w.net.runUntil(Duration.ofDays(1).toNanos());

        // RFC 1122 §4.2.2.17 and tcp_probe_timer: probes the receiver answers reset icsk_probes_out, so
        // tcp_retries2 never runs out; the interval backs off to TCP_RTO_MAX (120 s) and stays there.
        assertThat(client.error).isNull();
        assertThat(client.conn.state()).isEqualTo(State.ESTABLISHED);
        assertThat(w.probes("client", client.conn).stream().filter(p -> p.timeNanos() > Duration.ofHours(23).toNanos())).hasSize(30);
        wakeAndFinish(w, server, client);
    }

    @Test
    void aScaledWindowThatCreptPastAFullBufferIsFilledToItsEdgeAndThenProbedWithoutEnd() throws Exception {
        // Default buffers: window scale 10, so a window that may not shrink is rounded up to 1 KiB per ACK
        // and its edge creeps past the buffer. Everything sent inside it is held, as Linux queues it while
        // memory allows; once the sender has filled it, the window is zero and answered probes go on for ever.
        World w = new World(16, linux);
        SleepyReader server = new SleepyReader();
        w.server.listen(80, (c, now) -> server);
        App client = writerTo(w, new SocketOptions(linux));

        w.net.runUntil(Duration.ofDays(1).toNanos());

        assertThat(w.server.counters().drops(DropReason.RECEIVE_QUEUE_MEMORY)).isZero();
        assertThat(client.error).isNull();
        assertThat(client.conn.state()).isEqualTo(State.ESTABLISHED);
        assertThat(client.conn.status(w.net.now()).sndWnd()).isZero();
        // tcpi_bytes_acked counts the SYN's sequence number too, as Linux's does.
        assertThat((long) server.conn.available()).as("every byte acknowledged is held by the reader")
                .isEqualTo(client.conn.tcpInfo(w.net.now()).bytesAcked() - 1)
                .isEqualTo(server.conn.tcpInfo(w.net.now()).bytesReceived());
        assertThat(w.probes("client", client.conn).stream().filter(p -> p.timeNanos() > Duration.ofHours(23).toNanos()))
                .as("one probe every TCP_RTO_MAX").hasSize(30);
        // Ended by the application: an abort leaves nothing behind on either side.
        client.conn.abort(w.net.now());
        assertThat(w.runUntilEmpty()).isTrue();
        assertThat(w.client.portsInUse()).isZero();
        assertThat(w.server.portsInUse()).isEqualTo(1);
    }

    /** The reader wakes: everything queued arrives, then both close and nothing is left. */
    private static void wakeAndFinish(World w, SleepyReader server, App client) {
        server.wake(w.net.now());
        w.net.runUntil(w.net.now() + seconds(60));
        assertThat(server.received).isEqualTo(1 << 20);
        client.conn.close(w.net.now());
        server.conn.close(w.net.now());
        assertThat(w.runUntilEmpty()).isTrue();
        assertThat(w.client.portsInUse()).isZero();
        assertThat(w.server.portsInUse()).isEqualTo(1);
    }

    @Test
    void aConnectionIdleForThirtyDaysStillTakesDataThoughItsTimestampLooksOld() throws Exception {
        World w = new World(17, linux);
        App server = new App(w.net);
        w.server.listen(80, (c, now) -> server);
        App client = new App(w.net);
        w.client.connect(0, SERVER, 80, new SocketOptions(linux), client, 0);
        w.net.runUntil(seconds(1));
        assertThat(client.conn.state()).isEqualTo(State.ESTABLISHED);

        // 30 days of silence: the client's TSval moves 2.59e9 ms, past 2^31, so compared with the server's
        // TS.Recent it reads as older. RFC 7323 §5.5 (Linux's TCP_PAWS_24DAYS): TS.Recent older than 24 days is stale.
        w.net.runUntil(Duration.ofDays(30).toNanos());
        byte[] data = new byte[50_000];
        assertThat(client.conn.send(data, 0, data.length, w.net.now())).isEqualTo(data.length);
        client.conn.close(w.net.now());
        w.net.runUntil(w.net.now() + seconds(10));

        assertThat(server.receivedBytes).isEqualTo(data.length);
        assertThat(server.endOfStream).isTrue();
        assertThat(w.server.counters().drops(DropReason.PAWS)).isZero();
        server.conn.close(w.net.now());
        assertThat(w.runUntilEmpty()).isTrue();
        assertThat(w.client.portsInUse()).isZero();
    }
}
