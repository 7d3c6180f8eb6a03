package io.jtcp.tun.scenario;

import io.jtcp.scenario.Explanation;
import io.jtcp.tcp.State;
import java.util.concurrent.CountDownLatch;

/** jtcp shuts down its sending side after its request and goes on reading what the kernel sends. */
final class HalfCloseStory implements KernelScenario {
    static final int CHUNKS = 5, CHUNK = 20_000;

    @Override public String name() { return "half-close"; }

    @Override public String title() { return "shutdown(SHUT_WR): jtcp's FIN goes out, the kernel keeps sending, then closes"; }

    @Override
    public Explanation run(KernelRun run) throws Exception {
        Acts.Conn c = Acts.jtcpClient(run, Acts.KERNEL_PORT);
        int port = c.jtcpPort();
        long[] got = new long[1];
        CountDownLatch kernelMayClose = new CountDownLatch(1);
        Thread reader = run.background("jtcp-app", () -> {
            got[0] = c.jtcp().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            run.user("jtcp", "read", c.jtcpEnd(), "EOF after " + got[0] + " bytes");
            c.jtcp().close();
            run.user("jtcp", "close", c.jtcpEnd(), "0");
        });
        run.background("kernel-app", () -> {
            long n = c.kernel().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            run.user("kernel", "read", c.kernelEnd(), "EOF after " + n + " bytes");
            byte[] chunk = new byte[CHUNK];
            for (int i = 0; i < CHUNKS; i++) {
                c.kernel().getOutputStream().write(chunk);
                run.user("kernel", "send", c.kernelEnd(), CHUNK + " bytes");
            }
            // The story lets the kernel close once ss has shown it in CLOSE-WAIT.
            KernelRun.await(kernelMayClose, "the story's go-ahead for the kernel's close");
            c.kernel().close();
            run.user("kernel", "close", c.kernelEnd(), "0");
        });
        c.jtcp().getOutputStream().write(Acts.REQUEST);
        run.user("jtcp", "send", c.jtcpEnd(), Acts.REQUEST.length + " bytes");
        c.jtcp().shutdownOutput();
        run.user("jtcp", "shutdown", c.jtcpEnd(), "SHUT_WR");
        run.awaitJtcp(State.FIN_WAIT_2, port);
        String mid = run.showKernel("jtcp has half-closed (FIN_WAIT_2) and still receives; the kernel is in CLOSE-WAIT, sending",
                ss -> Acts.ssLine(ss, port).startsWith("CLOSE-WAIT"), "CLOSE-WAIT");
        kernelMayClose.countDown();
        KernelRun.join(reader);
        run.awaitJtcp(State.TIME_WAIT, port);
        run.showKernel("the kernel closed at last; jtcp, the first to close, holds TIME_WAIT",
                ss -> Acts.ssLine(ss, port).equals("(nothing)"), "its socket gone");
        run.awaitJtcpGone(port);
        return Explanation.of(
                "jtcp sent its request and then shutdown(SHUT_WR): its FIN told the kernel it would send no more, but its"
                        + " receiving side stayed open (FIN_WAIT_1, then FIN_WAIT_2 once the kernel ACKed the FIN).",
                "The kernel's read returned EOF, yet its socket could still send: ss showed " + Acts.ssLine(mid, port)
                        + " while it sent " + CHUNKS + " chunks of " + CHUNK + " bytes; jtcp read all " + got[0] + " bytes.",
                "Only the kernel's close() ended the stream with its FIN; jtcp, the first to close, held TIME_WAIT for "
                        + run.sysctls.timeWait().toMillis() + " ms (msl shortened for real time).");
    }
}
