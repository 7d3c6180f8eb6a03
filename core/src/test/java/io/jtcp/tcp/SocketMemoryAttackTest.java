package io.jtcp.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.config.TcpMem;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.wire.IpAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's memory attack, in virtual time: N connections that each send out-of-order data
 * scattered over the window and never fill the holes, then N connections whose application
 * writes, closes and leaves an orphan the peer never acknowledges. The memory the stack's
 * sockets hold stays within tcp_mem[2] plus the tcp_wmem[0] every kept orphan may always
 * queue; the orphans past tcp_max_orphans are reset; what is charged is exactly what the
 * buffers hold; a well-behaved connection on the same stack still moves its data byte-exact;
 * and once every socket is gone nothing is charged. N is {@code -Djtcp.memAttack.connections}
 * (10,000 by default; docs/robustness.md records a 100,000 run).
 */
class SocketMemoryAttackTest {
    private static final int N = Integer.getInteger("jtcp.memAttack.connections", 10_000);
    private static final long MS = 1_000_000L;
    private static final long MAX_PAGES = 8192;                      // 32 MiB
    private static final int ORPHAN_LIMIT = Math.max(1, N / 10);
    private static final int PER_ADDRESS = 50_000, FIRST_PORT = 10_000;
    private static final int ORPHAN_WRITE = 64 * 1024, GOOD_BYTES = 256 * 1024;
    private static final IpAddress VICTIM = IpAddress.parse("10.0.0.2"), GOOD = IpAddress.parse("10.0.0.9");

    private final Sysctls cfg = Sysctls.linux()
            .set("tcp_mem", (MAX_PAGES / 2) + " " + (MAX_PAGES * 3 / 4) + " " + MAX_PAGES)
            .set("tcp_max_orphans", String.valueOf(ORPHAN_LIMIT));
    private final ArrayDeque<byte[]> toVictim = new ArrayDeque<>(), toPeer = new ArrayDeque<>();
    private final RawPeers attackers = new RawPeers(cfg);
    private final Stack victim = attackers.stack;
    private final Stack peer = new Stack("peer", GOOD, cfg, (p, o, n) -> toVictim.add(Arrays.copyOfRange(p, o, o + n)), 2, 0);
    private final List<Connection> accepted = new ArrayList<>();
    private long now;

    {
        attackers.isRawPeer = a -> !a.equals(GOOD);
        attackers.elsewhere = (p, o, n) -> toPeer.add(Arrays.copyOfRange(p, o, o + n));
    }

    /** Attacker {@code id}: ids below N send out-of-order data, the others leave orphans. */
    private static String address(int id) {
        return "10.1." + (id < N ? 1 : 2) + "." + (1 + (id % N) / PER_ADDRESS);
    }

    private static int port(int id) {
        return FIRST_PORT + (id % N) % PER_ADDRESS;
    }

    private void island(int id, int offset) {
        attackers.data(address(id), port(id), offset, 200);
    }

    private void run(BooleanSupplier done, long limitMillis) {
        now = attackers.now;
        long end = now + limitMillis * MS;
        while (!done.getAsBoolean()) {
            for (boolean moved = true; moved; ) {
                byte[] p = toPeer.poll();
                if (p != null) peer.packetArrives(p, 0, p.length, now);
                byte[] q = toVictim.poll();
                if (q != null) victim.packetArrives(q, 0, q.length, now);
                moved = p != null || q != null;
            }
            if (done.getAsBoolean()) break;
            long next = Math.min(victim.nextDeadline(), peer.nextDeadline());
            assertThat(next).as("still not done after " + limitMillis + " virtual ms").isLessThanOrEqualTo(end);
            now = Math.max(now, next);
            attackers.now = now;
            victim.advance(now);
            peer.advance(now);
        }
    }

    /** The victim's application: orphan attackers get a write and a close; the good peer an echo; the rest nothing. */
    private SocketHandler onAccept(Connection c, long t) {
        accepted.add(c);
        IpAddress from = c.tuple().remoteAddr();
        if (from.equals(GOOD)) return new Echo();
        if (from.toString().startsWith("10.1.2.")) {
            try {
                c.send(new byte[ORPHAN_WRITE], 0, ORPHAN_WRITE, t);
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
            c.close(t);
        }
        return new SocketHandler() {};
    }

    /**
     * Echoes what it reads, holding what the send buffer does not take yet. At the end it
     * half-closes and closes only once the connection is over: a close that leaves an orphan
     * would be reset while the attackers' orphans fill tcp_max_orphans, as on Linux.
     */
    private final class Echo implements SocketHandler {
        private final ByteQueue pending = new ByteQueue();
        private boolean eof, finSent;

        @Override
        public void readable(Connection c, long t) {
            byte[] buf = new byte[8192];
            try {
                for (int n; !eof && (n = c.receive(buf, 0, buf.length, t)) != 0; ) {
                    if (n < 0) eof = true;
                    else pending.add(buf, n);
                }
                writable(c, t);
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void writable(Connection c, long t) {
            try {
                while (pending.size() > 0) {
                    int n = c.send(pending.array(), 0, pending.size(), t);
                    if (n == 0) return;
                    pending.drop(n);
                }
                if (eof && !finSent) {
                    finSent = true;
                    c.shutdownOutput(t);
                }
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void closed(Connection c, Errno error, long t) {
            if (error != null) throw new AssertionError("the good connection failed at the victim: " + error);
            c.close(t);
        }
    }

    /** The good peer's side: sends a pattern, expects it back. */
    private final class GoodClient implements SocketHandler {
        final byte[] data = new byte[GOOD_BYTES];
        final ByteQueue echoed = new ByteQueue();
        int sent;
        boolean finSent, eof;

        GoodClient() {
            for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + (i >>> 11));
        }

        @Override
        public void established(Connection c, long t) { writable(c, t); }

        @Override
        public void writable(Connection c, long t) {
            try {
                while (sent < data.length) {
                    int n = c.send(data, sent, data.length - sent, t);
                    if (n == 0) return;
                    sent += n;
                }
                if (!finSent) {
                    finSent = true;
                    c.shutdownOutput(t);
                }
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void readable(Connection c, long t) {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = c.receive(buf, 0, buf.length, t)) != 0; ) {
                    if (n < 0) {
                        eof = true;
                        c.close(t);
                        return;
                    }
                    echoed.add(buf, n);
                }
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void closed(Connection c, Errno error, long t) {
            if (error != null) throw new AssertionError("the good connection failed: " + error);
        }
    }

    @Test
    void outOfOrderFloodAndOrphansStayWithinTcpMemWhileAGoodConnectionWorks() throws Exception {
        victim.listen(80, 4096, new SocketOptions(cfg), (l, t) -> {
            while (l.accept(this::onAccept) != null) { }
        });
        TcpMemory memory = victim.memory();

        // Islands scattered over the window, the holes below them never filled: two high ones on every
        // connection, then a low one on every connection, which lands below what the first pass left.
        for (int id = 0; id < N; id++) {
            attackers.handshake(address(id), port(id));
            island(id, 20_000);
            island(id, 40_000);
        }
        for (int id = 0; id < N; id++) island(id, 3_000);
        long afterFlood = memory.pages();
        for (int id = N; id < 2 * N; id++) attackers.handshake(address(id), port(id));
        assertThat(accepted).hasSize(2 * N);

        long keptOrphans = memory.orphans();
        long bound = MAX_PAGES * TcpMem.PAGE_SIZE + keptOrphans * cfg.tcpWmem().min();
        Map<String, Long> nstat = victim.snapshot(now).counters();
        report("after the attack", memory, nstat, afterFlood, keptOrphans);
        assertThat(keptOrphans).as("tcp_max_orphans").isEqualTo(ORPHAN_LIMIT);
        assertThat(nstat.get("TcpExtTCPAbortOnMemory")).as("the orphans past the limit were reset").isEqualTo((long) N - ORPHAN_LIMIT);
        assertThat(attackers.resetsSent).isEqualTo((long) N - ORPHAN_LIMIT);
        assertThat(memory.bytes()).as("charged memory within tcp_mem[2] and the kept orphans' tcp_wmem[0]").isLessThanOrEqualTo(bound);
        assertThat(afterFlood).as("the out-of-order flood alone stays under tcp_mem[2]").isLessThanOrEqualTo(MAX_PAGES);
        assertThat(heldByBuffers()).as("what is charged is what the buffers hold").isEqualTo(memory.bytes());
        assertThat(nstat.get("TcpExtTCPOFODrop")).isPositive();
        assertThat(nstat.get("TcpExtPruneCalled")).isPositive();
        assertThat(nstat.get("TcpExtRcvPruned")).isPositive();
        assertThat(nstat.get("TcpExtOfoPruned")).as("high islands pruned for a later, lower one").isPositive();
        assertThat(nstat.get("TcpExtTCPMemoryPressures")).isPositive();

        // A well-behaved connection on the same stack, with its memory near or at the limit.
        GoodClient client = new GoodClient();
        Connection good = peer.connect(VICTIM, 80, client, now);
        run(() -> client.eof, 600_000);
        assertThat(client.echoed.size()).isEqualTo(GOOD_BYTES);
        assertThat(client.echoed.copy()).as("byte-exact both ways").isEqualTo(client.data);
        assertThat(good.error()).isNull();
        assertThat(memory.bytes()).isLessThanOrEqualTo(bound);
        assertThat(heldByBuffers()).isEqualTo(memory.bytes());
        report("after the good transfer (" + now / MS + " virtual ms)", memory, victim.snapshot(now).counters(), afterFlood, memory.orphans());

        // Every attacker resets its connection and the application closes what it still holds: nothing is left charged.
        for (int id = 0; id < 2 * N; id++) attackers.reset(address(id), port(id));
        for (Connection c : accepted) c.close(now);
        run(() -> victim.memory().orphans() == 0 && toVictim.isEmpty() && toPeer.isEmpty(), 600_000);
        assertThat(memory.orphans()).isZero();
        assertThat(memory.bytes()).as("every socket is gone").isZero();
        assertThat(memory.pages()).isZero();
    }

    private long heldByBuffers() {
        long held = 0;
        for (Connection c : accepted) held += c.recvBuf.allocatedBytes() + c.sendBuf.allocatedBytes();
        return held;
    }

    private static void report(String when, TcpMemory m, Map<String, Long> nstat, long afterFlood, long orphans) {
        System.out.printf("memory attack N=%d %s: charged %d B = %d pages (tcp_mem[2] %d pages; flood alone %d pages), "
                        + "orphans kept %d, under pressure %b; PruneCalled %d RcvPruned %d OfoPruned %d TCPOFODrop %d TCPRcvQDrop %d "
                        + "TCPAbortOnMemory %d TCPMemoryPressures %d%n",
                N, when, m.bytes(), m.pages(), MAX_PAGES, afterFlood, orphans, m.underPressure(), nstat.get("TcpExtPruneCalled"),
                nstat.get("TcpExtRcvPruned"), nstat.get("TcpExtOfoPruned"), nstat.get("TcpExtTCPOFODrop"),
                nstat.get("TcpExtTCPRcvQDrop"), nstat.get("TcpExtTCPAbortOnMemory"), nstat.get("TcpExtTCPMemoryPressures"));
    }

    /** A growable byte queue for the echo and the client's check. */
    private static final class ByteQueue {
        private byte[] bytes = new byte[1024];
        private int size;

        void add(byte[] src, int n) {
            if (size + n > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
            System.arraycopy(src, 0, bytes, size, n);
            size += n;
        }

        void drop(int n) {
            System.arraycopy(bytes, n, bytes, 0, size - n);
            size -= n;
        }

        int size() { return size; }

        byte[] array() { return bytes; }

        byte[] copy() { return Arrays.copyOf(bytes, size); }
    }
}
