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
        // tcp_rfc1337: a late RST must not end the TIME_WAIT early (see Hosts.keepingTimeWait).
        Sysctls shortTimeWait = Sysctls.linux().set("msl", "50ms").set("tcp_rfc1337", "1");
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

    /** A connection whose ISS is above 2^31 prints it (and the numbers after it) unsigned. */
    @Test
    void sequenceNumbersPrintUnsigned() throws Exception {
        try (Hosts h = new Hosts(); TcpServerSocket listener = TcpServerSocket.listen(h.server, 80, 64)) {
            ConnectionStatus high = null;
            // RFC 6528's ISS is a keyed hash plus a clock: half of all connections start above 2^31.
            for (int i = 0; i < 64 && high == null; i++) {
                TcpSocket[] pair = h.connect(listener);
                ConnectionStatus s = pair[0].status();
                if (s.iss() < 0) high = s;
                pair[0].abort();
                pair[1].close();
            }
            assertThat(high).as("a connection with ISS >= 2^31 in 64 tries").isNotNull();
            assertThat(high.toString())
                    .contains("iss=" + Integer.toUnsignedString(high.iss()))
                    .contains("sndUna=" + Integer.toUnsignedString(high.sndUna()))
                    .contains("sndNxt=" + Integer.toUnsignedString(high.sndNxt()))
                    .contains("irs=" + Integer.toUnsignedString(high.irs()))
                    .contains("rcvNxt=" + Integer.toUnsignedString(high.rcvNxt()));
        }
    }
}
