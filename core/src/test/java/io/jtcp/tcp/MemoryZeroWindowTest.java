package io.jtcp.tcp;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.Segment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In-sequence data that tcp_mem refuses is dropped (TCPRcvQDrop) and answered at once
 * with a zero window, the one time the offered window shrinks (Linux 6.4+'s
 * tcp_data_queue sets ICSK_ACK_NOMEM, and tcp_select_window then offers 0).
 */
class MemoryZeroWindowTest {
    @Test
    void refusedInSequenceDataIsAnsweredWithAZeroWindowAtOnce() throws Exception {
        Sysctls cfg = Transcript.plain().set("tcp_mem", "1 1 2");
        TcpMemory memory = new TcpMemory(() -> cfg, () -> 0, () -> 1);
        Transcript t = Transcript.withSysctls(cfg).established();
        t.c.chargeMemoryTo(memory);
        long seq = PEER_ISS + 1;
        Segment answer = null;
        for (int i = 0; i < 20 && answer == null; i++) {
            t.send(in().seq(seq).ack(ISS + 1).payload(new byte[1460]));
            if (t.drops.contains(DropReason.RECEIVE_QUEUE_MEMORY)) {
                List<Segment> out = t.drain();
                assertThat(out).as("the refusal is answered at once, without a delayed-ACK wait").hasSize(1);
                answer = out.getFirst();
            } else {
                seq += 1460;
                t.drain();
            }
        }
        assertThat(answer).as("tcp_mem's two pages ran out").isNotNull();
        assertThat(answer.window).as("a zero window").isZero();
        assertThat(Integer.toUnsignedLong(answer.ack)).as("the refused segment is not acknowledged").isEqualTo(seq);
        assertThat((long) t.c.available()).isEqualTo(seq - (PEER_ISS + 1));
    }
}
