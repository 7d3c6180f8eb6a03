package io.jtcp.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tcp_max_orphans as Linux applies it: __tcp_close counts the orphan and tcp_check_oom resets
 * the one past the limit ("too many orphaned sockets", TCPAbortOnMemory); an orphan's
 * retransmission timeout asks again (tcp_out_of_resources), so lowering the limit ends the
 * excess at their next timeout; and once every connection is gone nothing stays charged.
 */
class OrphanLimitTest {
    private static final long MS = 1_000_000L;
    private final RawPeers peers = new RawPeers(Sysctls.linux().set("tcp_max_orphans", "2"));
    private final List<Connection> accepted = new ArrayList<>();

    private void serveWriteAndClose() throws Exception {
        peers.stack.listen(RawPeers.PORT, 16, new SocketOptions(peers.stack.sysctls()), (l, now) -> {
            for (Connection c; (c = l.accept((conn, t) -> new SocketHandler() {})) != null; ) {
                accepted.add(c);
                try {
                    c.send(new byte[30_000], 0, 30_000, now);   // more than a window's worth: some is never sent
                } catch (io.jtcp.api.ErrnoException e) {
                    throw new AssertionError(e);
                }
                c.close(now);
            }
        });
    }

    private long abortsOnMemory() {
        return peers.stack.snapshot(peers.now).counters().get("TcpExtTCPAbortOnMemory");
    }

    @Test
    void theOrphanPastTcpMaxOrphansIsResetAtClose() throws Exception {
        serveWriteAndClose();
        for (int port = 1; port <= 3; port++) peers.handshake("10.0.0.1", 40_000 + port);
        assertThat(accepted).hasSize(3);
        assertThat(accepted.get(0).state()).isEqualTo(State.FIN_WAIT_1);
        assertThat(accepted.get(1).state()).isEqualTo(State.FIN_WAIT_1);
        assertThat(accepted.get(2).state()).as("the third orphan is one too many").isEqualTo(State.CLOSED);
        assertThat(peers.resetsSent).isEqualTo(1);
        assertThat(abortsOnMemory()).isEqualTo(1);
        TcpMemory memory = peers.stack.memory();
        assertThat(memory.orphans()).isEqualTo(2);
        assertThat(accepted.get(2).sendBuf.allocatedBytes()).as("the reset orphan's queue is freed").isZero();
        assertThat(memory.bytes()).isEqualTo(accepted.get(0).sendBuf.allocatedBytes() + accepted.get(1).sendBuf.allocatedBytes()
                + accepted.get(0).recvBuf.allocatedBytes() + accepted.get(1).recvBuf.allocatedBytes());

        // A lower limit takes effect at the orphans' next retransmission timeout.
        peers.stack.setSysctls(peers.stack.sysctls().set("tcp_max_orphans", "1"));
        long until = peers.now + 1500 * MS;
        while (peers.stack.nextDeadline() <= until) {
            peers.now = peers.stack.nextDeadline();
            peers.stack.advance(peers.now);
        }
        assertThat(abortsOnMemory()).as("one more reset: then the count is within the limit").isEqualTo(2);
        assertThat(peers.resetsSent).isEqualTo(2);
        assertThat(memory.orphans()).isEqualTo(1);
        assertThat(accepted.get(0).state()).isEqualTo(State.CLOSED);
        assertThat(accepted.get(1).state()).isEqualTo(State.FIN_WAIT_1);

        peers.reset("10.0.0.1", 40_002);
        assertThat(accepted.get(1).state()).isEqualTo(State.CLOSED);
        assertThat(memory.orphans()).isZero();
        assertThat(memory.bytes()).as("every connection is gone").isZero();
    }
}
