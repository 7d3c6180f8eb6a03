package io.jtcp.tun.scenario;

import io.jtcp.api.TcpOption;
import io.jtcp.scenario.Explanation;
import java.io.IOException;
import java.time.Duration;

/** close() with SO_LINGER 0 aborts: a RST instead of a FIN, no TIME_WAIT; first from jtcp, then from the kernel. */
final class RstAbortStory implements KernelScenario {
    @Override public String name() { return "rst-abort"; }

    @Override public String title() { return "SO_LINGER 0: close() sends RST, the peer's read fails, nobody keeps TIME_WAIT"; }

    @Override
    public Explanation run(KernelRun run) throws Exception {
        run.note("Act 1: jtcp aborts.");
        Acts.Conn a = Acts.kernelClient(run, Acts.JTCP_PORT);
        Acts.requestReply(run, a);
        a.jtcp().setOption(TcpOption.SO_LINGER, Duration.ZERO);
        run.user("jtcp", "setsockopt", a.jtcpEnd(), "SO_LINGER 0");
        a.jtcp().close();
        run.user("jtcp", "close", a.jtcpEnd(), "0");
        String kernelError;
        try {
            int r = a.kernel().getInputStream().read();
            kernelError = "read returned " + r;
        } catch (IOException e) {
            kernelError = e.getMessage();
        }
        run.user("kernel", "read", a.kernelEnd(), kernelError);
        String ss1 = run.show("jtcp's RST ended the connection on both sides at once: no TIME_WAIT anywhere");

        run.note("Act 2: the kernel aborts.");
        Acts.Conn b = Acts.jtcpClient(run, Acts.KERNEL_PORT);
        Acts.requestReply(run, b);
        b.kernel().setSoLinger(true, 0);
        run.user("kernel", "setsockopt", b.kernelEnd(), "SO_LINGER 0");
        b.kernel().close();
        run.user("kernel", "close", b.kernelEnd(), "0");
        String jtcpError;
        try {
            int r = b.jtcp().getInputStream().read();
            jtcpError = "read returned " + r;
        } catch (IOException e) {
            jtcpError = Acts.failure(e);
        }
        run.user("jtcp", "read", b.jtcpEnd(), jtcpError);
        run.awaitJtcpGone(b.jtcpPort());
        String ss2 = run.show("the kernel's RST: jtcp's connection went straight to CLOSED, and the kernel keeps nothing either");
        return Explanation.of(
                "With SO_LINGER set to 0, close() does not send a FIN: jtcp sent a RST and dropped the connection at once."
                        + " The kernel's read failed (\"" + kernelError + "\") and ss showed " + Acts.ssLine(ss1, Acts.JTCP_PORT) + ".",
                "The other way round, the kernel's close() with SO_LINGER 0 sent the RST; jtcp's blocked read failed with \""
                        + jtcpError + "\" and the connection went to CLOSED (ss: " + Acts.ssLine(ss2, Acts.KERNEL_PORT) + ").",
                "An abort skips the four-way close, so neither side waits in TIME_WAIT; it also throws away unsent data,"
                        + " which is why it is a last resort.");
    }
}
