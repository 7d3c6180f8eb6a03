package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.config.Sysctls;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Buffer autotuning in virtual time: receive-buffer dynamic right-sizing
 * (tcp_rcv_space_adjust / tcp_rcvbuf_grow) and send-buffer growth with cwnd
 * (tcp_sndbuf_expand), over a lossless link with a 10 ms one-way delay.
 */
class AutotuningTest {
    private static final Duration ONE_WAY = Duration.ofMillis(10);
    private static final int TWO_MIB = 2 << 20;
    /** tcp_rmem max 2 MiB keeps the run short: the window may reach half of it. */
    private static final Sysctls CFG = Sysctls.linux().set("tcp_rmem", "4096 131072 " + TWO_MIB);
    private static final byte[] CHUNK = new byte[64 * 1024];

    /** Client sends {@code total} bytes as fast as its buffer takes them; the server reads at once. */
    private static LinkedPair bulk(Sysctls cfg, Consumer<SocketOptions> serverOpts, long total) throws Exception {
        return bulk(cfg, serverOpts, total, p -> {});
    }

    /** {@link #bulk}, with {@code prepare} run on the pair before it opens. */
    private static LinkedPair bulk(Sysctls cfg, Consumer<SocketOptions> serverOpts, long total, Consumer<LinkedPair> prepare)
            throws Exception {
        LinkedPair p = new LinkedPair(cfg, o -> {}, serverOpts, ONE_WAY);
        prepare.accept(p);
        long[] written = {0}, read = {0};
        p.run(Duration.ofSeconds(30), () -> {
            try {
                while (written[0] < total && p.client.state() == State.ESTABLISHED) {
                    int n = p.client.send(CHUNK, 0, (int) Math.min(CHUNK.length, total - written[0]), p.now);
                    if (n <= 0) break;
                    written[0] += n;
                }
                int n;
                while ((n = p.server.receive(new byte[CHUNK.length], 0, CHUNK.length, p.now)) > 0) read[0] += n;
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(read[0]).as("everything arrives").isEqualTo(total);
        return p;
    }

    @Test
    void aFastReadersWindowGrowsToTheMaximumAndNoFurther() throws Exception {
        LinkedPair p = bulk(CFG, o -> {}, 32L << 20);
        assertThat(p.server.options().rcvBuf).as("sk_rcvbuf reaches tcp_rmem[2]").isEqualTo(TWO_MIB);
        assertThat(p.serverWindowMax).as("half a buffer is window").isLessThanOrEqualTo(TWO_MIB / 2)
                .isGreaterThan(TWO_MIB / 2 - 2 * 1460);
    }

    @Test
    void aLockedReceiveBufferKeepsItsWindow() throws Exception {
        LinkedPair p = bulk(CFG, o -> o.setRcvBuf(65536), 8L << 20);
        assertThat(p.server.options().rcvBuf).isEqualTo(131072);
        assertThat(p.serverWindowMax).isLessThanOrEqualTo(65536);
    }

    @Test
    void underMemoryPressureNeitherTheWindowNorTheSendBufferGrows() throws Exception {
        // Any memory at all is past tcp_mem[1]; tcp_mem[2] is never reached.
        TcpMemory memory = new TcpMemory(() -> CFG.set("tcp_mem", "0 0 1000000000"), () -> 0, () -> 2);
        LinkedPair p = bulk(CFG.set("tcp_wmem", "4096 16384 1048576"), o -> {}, 8L << 20, pair -> {
            pair.client.chargeMemoryTo(memory);
            pair.server.chargeMemoryTo(memory);
        });
        assertThat(memory.underPressure()).isTrue();
        assertThat(p.serverWindowMax).as("tcp_grow_window: rcv_ssthresh stays where the handshake put it").isLessThanOrEqualTo(65536);
        assertThat(p.client.options().sndBuf).as("tcp_should_expand_sndbuf: only tcp_init_buffer_space's 2 x 10 x 4352")
                .isEqualTo(87040);
    }

    @Test
    void noAutotuningWhenModerateRcvbufIsOff() throws Exception {
        LinkedPair p = bulk(CFG.set("tcp_moderate_rcvbuf", "0"), o -> {}, 8L << 20);
        assertThat(p.server.options().rcvBuf).isEqualTo(131072);
        assertThat(p.serverWindowMax).isLessThanOrEqualTo(65536);
    }

    @Test
    void theSendBufferGrowsWithTheCongestionWindowUpToTcpWmemMax() throws Exception {
        LinkedPair p = bulk(CFG.set("tcp_wmem", "4096 16384 1048576"), o -> {}, 32L << 20);
        assertThat(p.client.options().rcvBuf).as("the client read nothing: no autotuning").isEqualTo(131072);
        assertThat(p.client.options().sndBuf).isEqualTo(1 << 20);
    }
}
