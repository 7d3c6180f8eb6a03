package io.jtcp.host;

import io.jtcp.config.Sysctls;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Seg;
import org.junit.jupiter.api.Test;

import static io.jtcp.wire.Seg.seg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sysctls written while the stack runs (Stack#setSysctls) steer its next decisions, as
 * Linux's /proc/sys/net writes do: the next ephemeral port comes from the new
 * ip_local_port_range, and a listener created before the write bounds its SYN queue by
 * the new tcp_max_syn_backlog. A connection keeps the sysctls it was created with.
 */
class LiveSysctlsTest {
    private static final String PEER = "10.0.0.1";
    private final RawHost host = new RawHost(Sysctls.linux());

    private static Seg synFrom(int port) {
        return seg().from(PEER, port).to(RawHost.ADDRESS, 80).win(32792).syn().seq(1000).mss(1460);
    }

    @Test
    void theNextConnectTakesItsPortFromTheNewRange() throws Exception {
        Connection before = host.stack.connect(IpAddress.parse(PEER), 80, new SocketHandler() { }, 0);
        assertThat(before.tuple().localPort()).isBetween(32768, 60999);

        host.stack.setSysctls(Sysctls.linux().set("ip_local_port_range", "50000 50000"));
        Connection after = host.stack.connect(IpAddress.parse(PEER), 80, new SocketHandler() { }, 1);
        assertThat(after.tuple().localPort()).isEqualTo(50000);
        assertThat(host.stack.sysctls().ipLocalPortRangeLow()).isEqualTo(50000);
    }

    @Test
    void aListenersSynQueueFollowsTheNewBacklogBound() throws Exception {
        host.stack.listen(80, 16, new SocketOptions(Sysctls.linux()), (l, now) -> { });
        assertThat(host.receive(synFrom(40000).encode(), 0)).as("first SYN answered").hasSize(1);

        // tcp_max_syn_backlog 1 with cookies off: the queue is full, the next SYN is dropped (tcp_conn_request).
        host.stack.setSysctls(Sysctls.linux().set("tcp_max_syn_backlog", "1").set("tcp_syncookies", "0"));
        assertThat(host.receive(synFrom(40001).encode(), 1)).as("SYN past the new bound").isEmpty();

        host.stack.setSysctls(Sysctls.linux());
        assertThat(host.receive(synFrom(40002).encode(), 2)).as("bound lifted again").hasSize(1);
    }
}
