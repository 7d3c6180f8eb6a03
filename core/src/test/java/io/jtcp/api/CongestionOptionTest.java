package io.jtcp.api;

import io.jtcp.config.Sysctls;
import io.jtcp.link.MemoryNetwork;
import io.jtcp.net.JtcpSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.jtcp.api.Hosts.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

/** TCP_CONGESTION: read, set on a live connection and on a listener, refused as Linux refuses it. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CongestionOptionTest {

    @Test
    void unsetItReadsAsTheSysctlAndSetItSwitchesTheLiveConnection() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket fresh = TcpSocket.open(h.client);
            assertThat(fresh.getOption(TcpOption.TCP_CONGESTION)).as("tcp_congestion_control's default").isEqualTo("cubic");
            fresh.close();

            TcpSocket client = h.connect(TcpServerSocket.listen(h.server, 80, 4))[0];
            assertThat(client.status().congestion()).isEqualTo("cubic");
            client.setOption(TcpOption.TCP_CONGESTION, "reno");
            assertThat(client.getOption(TcpOption.TCP_CONGESTION)).isEqualTo("reno");
            assertThat(client.status().congestion()).as("the connection runs it at once").isEqualTo("reno");
        }
    }

    @Test
    void aNameNoAlgorithmHasIsEnoentAndChangesNothing() throws Exception {
        try (Hosts h = new Hosts()) {
            TcpSocket client = h.connect(TcpServerSocket.listen(h.server, 80, 4))[0];
            assertThat(errnoOf(() -> client.setOption(TcpOption.TCP_CONGESTION, "bbr"))).isEqualTo(Errno.ENOENT);
            assertThat(errnoOf(() -> client.setOption(TcpOption.TCP_CONGESTION, null))).as("no name at all").isEqualTo(Errno.EINVAL);
            assertThat(client.status().congestion()).isEqualTo("cubic");
        }
    }

    @Test
    void aListenersAlgorithmGoesToTheConnectionsItAccepts() throws Exception {
        try (Hosts h = new Hosts(new MemoryNetwork(), Sysctls.linux().set("tcp_congestion_control", "reno"))) {
            TcpServerSocket listener = TcpServerSocket.listen(h.server, 80, 4);
            listener.setOption(TcpOption.TCP_CONGESTION, "reno");
            TcpSocket[] pair = h.connect(listener);
            assertThat(pair[1].status().congestion()).isEqualTo("reno");
            assertThat(pair[0].getOption(TcpOption.TCP_CONGESTION)).as("the client host's sysctl").isEqualTo("reno");
        }
    }

    @Test
    void theJdkFacingSocketsTakeItAsJtcpsOwnOption() {
        assertThat(JtcpSocketOptions.supported()).contains(TcpOption.TCP_CONGESTION);
        assertThat(JtcpSocketOptions.supportedByServer()).contains(TcpOption.TCP_CONGESTION);
    }
}
