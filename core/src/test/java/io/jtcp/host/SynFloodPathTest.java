package io.jtcp.host;

import static io.jtcp.wire.Seg.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.config.Sysctls;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.State;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A listener under a SYN flood, as Linux's tcp_conn_request handles one: the SYN queue
 * fills to tcp_max_syn_backlog, every SYN past it gets a cookie and is counted
 * (TCPReqQFullDoCookies, SyncookiesSent), the listener is marked as flooded once, a
 * cookie still completes a handshake afterwards, and answering a SYN with a cookie
 * allocates nothing: the flood costs no garbage.
 */
class SynFloodPathTest {
    private static final String PEER = "10.0.0.1";
    private static final int BACKLOG = 16, FLOOD = 20_000;

    private final List<byte[]> sent = new ArrayList<>();
    private boolean keep = true;
    private long sentCount;
    private final Stack stack = new Stack("host", IpAddress.parse(RawHost.ADDRESS),
            Sysctls.linux().set("tcp_max_syn_backlog", String.valueOf(BACKLOG)), this::capture, 1, 0);
    private final List<Connection> accepted = new ArrayList<>();
    private Listening listener;

    private void capture(byte[] packet, int offset, int length) {
        sentCount++;
        if (keep) sent.add(java.util.Arrays.copyOfRange(packet, offset, offset + length));
    }

    private void arrive(byte[] packet, long now) {
        stack.packetArrives(packet, 0, packet.length, now);
    }

    private static byte[] syn(int port, int seq) {
        return seg().from(PEER, port).to(RawHost.ADDRESS, 80).win(64240).mss(1460).syn().seq(seq).encode();
    }

    private static long allocatedBytes() throws Exception {
        Object threads = ManagementFactory.getThreadMXBean();
        return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes").invoke(threads);
    }

    private void listen() throws Exception {
        listener = stack.listen(80, 4096, new io.jtcp.tcp.SocketOptions(stack.sysctls()), (l, now) -> {
            Connection c;
            while ((c = l.accept((conn, t) -> new SocketHandler() {})) != null) accepted.add(c);
        });
    }

    @Test
    void pastTheSynQueueEverySynGetsACookieAndIsCounted() throws Exception {
        listen();
        for (int i = 0; i < BACKLOG; i++) arrive(syn(10_000 + i, i), 0);
        assertThat(listener.synQueueLength()).isEqualTo(BACKLOG);
        assertThat(listener.synFloodWarned).as("not flooded while the SYN queue has room").isFalse();
        StackCounters c = stack.counters();
        long sentBefore = c.syncookiesSent;
        for (int i = 0; i < 100; i++) arrive(syn(20_000 + i, i), 0);
        assertThat(c.syncookiesSent - sentBefore).isEqualTo(100);
        assertThat(c.reqQFullDoCookies).isEqualTo(100);
        assertThat(c.listenDrops).as("a cookie is no drop").isZero();
        assertThat(listener.synQueueLength()).as("cookies keep no state").isEqualTo(BACKLOG);
        assertThat(listener.synFloodWarned).as("Possible SYN flooding, once").isTrue();
    }

    @Test
    void aCookieFromTheFloodStillCompletesAHandshake() throws Exception {
        listen();
        for (int i = 0; i < BACKLOG; i++) arrive(syn(10_000 + i, i), 0);
        sent.clear();
        arrive(syn(33_333, 5000), 1_000_000);
        Segment synAck = new Segment();
        assertThat(PacketCodec.decode(sent.getLast(), 0, sent.getLast().length, synAck)).isNull();
        assertThat(synAck.flags).isEqualTo(TcpFlags.SYN | TcpFlags.ACK);
        assertThat(synAck.ack).isEqualTo(5001);
        byte[] ack = seg().from(PEER, 33_333).to(RawHost.ADDRESS, 80).win(64240).seq(5001).ack(synAck.seq + 1).encode();
        arrive(ack, 2_000_000);
        assertThat(stack.counters().syncookiesRecv).isEqualTo(1);
        assertThat(accepted).hasSize(1);
        assertThat(accepted.getFirst().state()).isEqualTo(State.ESTABLISHED);
        assertThat(accepted.getFirst().tuple().remotePort()).isEqualTo(33_333);
    }

    @Test
    void answeringTheFloodWithCookiesAllocatesNothing() throws Exception {
        listen();
        for (int i = 0; i < BACKLOG; i++) arrive(syn(10_000 + i, i), 0);
        keep = false;
        byte[][] flood = new byte[64][];
        for (int i = 0; i < flood.length; i++) flood[i] = syn(1024 + i * 997, i * 7919);
        for (int round = 0; round < 3; round++) {
            long before = allocatedBytes(), cookies = stack.counters().syncookiesSent, out = sentCount;
            for (int i = 0; i < FLOOD; i++) arrive(flood[i & 63], 1_000_000L * round);
            long allocated = allocatedBytes() - before;
            assertThat(stack.counters().syncookiesSent - cookies).isEqualTo(FLOOD);
            assertThat(sentCount - out).as("one SYN-ACK a SYN").isEqualTo(FLOOD);
            // Under a byte a SYN: one object per SYN would be 16 bytes or more. What is counted is the
            // measurement's own reflective call (about 1 KB).
            if (round == 2) assertThat(allocated).as(allocated + " bytes allocated by " + FLOOD + " flood SYNs").isLessThan(FLOOD);
        }
    }

    @Test
    void withoutCookiesTheFloodIsDroppedAndCountedWithoutGarbage() throws Exception {
        stack.setSysctls(stack.sysctls().set("tcp_syncookies", "0"));
        listen();
        for (int i = 0; i < BACKLOG; i++) arrive(syn(10_000 + i, i), 0);
        keep = false;
        byte[][] flood = new byte[64][];
        for (int i = 0; i < flood.length; i++) flood[i] = syn(1024 + i * 997, i * 7919);
        StackCounters c = stack.counters();
        for (int round = 0; round < 3; round++) {
            long before = allocatedBytes(), drops = c.reqQFullDrop, listenDrops = c.listenDrops, out = sentCount;
            for (int i = 0; i < FLOOD; i++) arrive(flood[i & 63], 1_000_000L * round);
            long allocated = allocatedBytes() - before;
            assertThat(c.reqQFullDrop - drops).as("TCPReqQFullDrop").isEqualTo(FLOOD);
            assertThat(c.listenDrops - listenDrops).as("ListenDrops").isEqualTo(FLOOD);
            assertThat(sentCount - out).as("a dropped SYN is not answered").isZero();
            if (round == 2) assertThat(allocated).as(allocated + " bytes allocated by " + FLOOD + " dropped SYNs").isLessThan(FLOOD);
        }
        assertThat(c.syncookiesSent).isZero();
        assertThat(listener.synFloodWarned).isTrue();
    }
}
