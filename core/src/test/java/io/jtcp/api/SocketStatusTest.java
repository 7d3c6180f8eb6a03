package io.jtcp.api;

import io.jtcp.config.Sysctls;
import io.jtcp.link.MemoryNetwork;
import io.jtcp.tcp.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.jtcp.api.Hosts.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link TcpSocket#status()} across the connection's end: TIME_WAIT while the table holds it, CLOSED after. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketStatusTest {

    @Test
    void statusTurnsClosedWhenTimeWaitEnds() throws Exception {
        Sysctls shortTimeWait = Sysctls.linux().set("msl", "50ms");
        try (Hosts h = new Hosts(new MemoryNetwork(), shortTimeWait);
             TcpServerSocket listener = TcpServerSocket.listen(h.server, 80, 8)) {
            TcpSocket[] pair = h.connect(listener);
            TcpSocket client = pair[0];
            client.shutdownOutput();
            assertThat(onVirtualThread(() -> pair[1].read(new byte[1], 0, 1))).isEqualTo(-1);
            pair[1].close();
            assertThat(onVirtualThread(() -> client.read(new byte[1], 0, 1))).isEqualTo(-1);
            bounded(h.client.when(() -> h.client.stack().timeWaitCount() == 1));

            ConnectionStatus during = client.status();
            assertThat(during.state()).isEqualTo(State.TIME_WAIT);
            assertThat(during.timer()).isEqualTo("timewait");
            assertThat(during.timerRemaining()).isPositive().isLessThanOrEqualTo(100_000_000L);

            bounded(h.client.when(() -> h.client.stack().timeWaitCount() == 0));
            ConnectionStatus after = client.status();
            assertThat(after.state()).isEqualTo(State.CLOSED);
            assertThat(after.timer()).isEqualTo("off");
            assertThat(after.tuple()).isEqualTo(during.tuple());
            client.close();
        }
    }
}
