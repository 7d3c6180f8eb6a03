package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.config.Sysctls;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client writes 4 MiB to an echo server before it reads anything, as a kernel
 * client did against jtcp. Everything written sits in four buffers: the client's
 * send buffer, the server's receive and send buffers, the client's receive buffer.
 * With Linux's sizes the client's send buffer grows with its congestion window up to
 * tcp_wmem[2] (4 MiB) and the server's receive buffer autotunes, so the write
 * completes; with fixed 128 KiB buffers everywhere it cannot.
 */
class EchoBeforeReadingTest {
    private static final int TOTAL = 4 << 20;

    /** Bytes the client managed to write and then read back. */
    private static long[] echo(Sysctls cfg) throws Exception {
        LinkedPair p = new LinkedPair(cfg, o -> {}, o -> {}, Duration.ofMillis(1));
        byte[] chunk = new byte[64 * 1024];
        long[] wrote = {0}, readBack = {0};
        p.run(Duration.ofSeconds(120), () -> {
            try {
                while (wrote[0] < TOTAL && p.client.state() == State.ESTABLISHED) {
                    int n = p.client.send(chunk, 0, (int) Math.min(chunk.length, TOTAL - wrote[0]), p.now);
                    if (n <= 0) break;
                    wrote[0] += n;
                }
                // The server reads only what it can echo at once.
                int room;
                while ((room = Math.min(p.server.sendSpace(), p.server.available())) > 0) {
                    int n = p.server.receive(chunk, 0, Math.min(room, chunk.length), p.now);
                    p.server.send(chunk, 0, n, p.now);
                }
                if (wrote[0] == TOTAL) {
                    int n;
                    while ((n = p.client.receive(chunk, 0, chunk.length, p.now)) > 0) readBack[0] += n;
                }
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        });
        return new long[] {wrote[0], readBack[0]};
    }

    @Test
    void completesWithLinuxBufferSizes() throws Exception {
        assertThat(echo(Sysctls.linux())).containsExactly(TOTAL, TOTAL);
    }

    @Test
    void stallsWithFixedBuffersAsBefore() throws Exception {
        // jtcp's old sizing: 128 KiB of payload each way, never growing.
        Sysctls fixed = Sysctls.linux().set("tcp_rmem", "4096 262144 262144").set("tcp_wmem", "4096 131072 131072");
        long[] r = echo(fixed);
        assertThat(r[0]).as("the write never completes").isLessThan(TOTAL);
        assertThat(r[1]).isZero();
    }
}
