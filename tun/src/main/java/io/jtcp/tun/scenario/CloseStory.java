package io.jtcp.tun.scenario;

import io.jtcp.scenario.Explanation;
import io.jtcp.tcp.State;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The four-way close, in two acts: first jtcp is the side that closes first (and holds
 * TIME_WAIT, shortened by the run's msl), then the kernel is (and holds TIME-WAIT, shown
 * with its 60 s timer in ss rather than waited out). {@code four-way-close}: the client
 * closes first; {@code server-close}: the server does.
 */
final class CloseStory implements KernelScenario {
    private final boolean serverFirst;

    CloseStory(boolean serverFirst) {
        this.serverFirst = serverFirst;
    }

    @Override public String name() { return serverFirst ? "server-close" : "four-way-close"; }

    @Override
    public String title() {
        return serverFirst ? "the server closes first and holds TIME_WAIT: jtcp as that server, then the kernel"
                : "the client closes first: FIN, ACK, FIN, ACK, TIME_WAIT; jtcp as that client, then the kernel";
    }

    @Override
    public Explanation run(KernelRun run) throws Exception {
        List<String> lines = new ArrayList<>();
        String closer = serverFirst ? "server" : "client";
        // Act 1: jtcp closes first. jtcp is the client when the client closes first.
        run.note("Act 1: jtcp is the " + closer + " and closes first.");
        Acts.Conn c = serverFirst ? Acts.kernelClient(run, Acts.JTCP_PORT) : Acts.jtcpClient(run, Acts.KERNEL_PORT);
        Acts.requestReply(run, c);
        int port = c.jtcpPort();
        CountDownLatch kernelMayClose = new CountDownLatch(1);
        Thread kernelApp = Acts.kernelClosesOnEof(run, c, kernelMayClose);
        c.jtcp().close();
        run.user("jtcp", "close", c.jtcpEnd(), "0");
        run.awaitJtcp(State.FIN_WAIT_2, port);
        // The kernel's application does not close until this view is taken, so CLOSE-WAIT lasts until then.
        String mid = run.showKernel("jtcp's FIN is acknowledged: jtcp in FIN_WAIT_2, the kernel in CLOSE-WAIT until its application closes",
                ss -> Acts.ssLine(ss, port).startsWith("CLOSE-WAIT"), "CLOSE-WAIT");
        kernelMayClose.countDown();
        KernelRun.join(kernelApp);
        run.awaitJtcp(State.TIME_WAIT, port);
        String end = run.showKernel("the kernel's FIN is acknowledged: jtcp holds TIME_WAIT (its timer above), the kernel's socket is gone",
                ss -> Acts.ssLine(ss, port).equals("(nothing)"), "its socket gone");
        long tw = run.states(State.TIME_WAIT, port).getFirst().timeNanos();
        run.awaitJtcpGone(port);
        long gone = run.states(State.CLOSED, port).getLast().timeNanos();
        lines.add("Act 1: jtcp (" + closer + ") closed first: FIN_WAIT_1, then FIN_WAIT_2 once the kernel ACKed its FIN; the kernel sat in "
                + "CLOSE-WAIT (ss: " + Acts.ssLine(mid, port) + ") until its application closed, which the story let it do once ss had shown it.");
        lines.add("The kernel's FIN (LAST-ACK) got jtcp's final ACK at " + Acts.at(tw) + "; ss then showed the kernel with "
                + (Acts.ssLine(end, port).equals("(nothing)") ? "nothing left" : Acts.ssLine(end, port))
                + ", and jtcp alone waited in TIME_WAIT for 2MSL = " + run.sysctls.timeWait().toMillis() + " ms (msl shortened for real time), CLOSED at "
                + Acts.at(gone) + ".");

        // Act 2: the kernel closes first.
        run.note("Act 2: the kernel is the " + closer + " and closes first.");
        Acts.Conn k = serverFirst ? Acts.jtcpClient(run, Acts.KERNEL_PORT + 1) : Acts.kernelClient(run, Acts.JTCP_PORT + 1);
        Acts.requestReply(run, k);
        int port2 = k.jtcpPort();
        CountDownLatch jtcpMayClose = new CountDownLatch(1);
        Thread jtcpApp = Acts.jtcpClosesOnEof(run, k, jtcpMayClose);
        k.kernel().close();
        run.user("kernel", "close", k.kernelEnd(), "0");
        run.awaitJtcp(State.CLOSE_WAIT, port2);
        // jtcp's application does not close until this view is taken, so the kernel stays in FIN-WAIT-2 until then.
        run.showKernel("the kernel's FIN is acknowledged (jtcp delayed that ACK, as Linux does): the kernel in FIN-WAIT-2, jtcp in CLOSE_WAIT",
                ss -> Acts.ssLine(ss, port2).startsWith("FIN-WAIT-2"), "FIN-WAIT-2");
        jtcpMayClose.countDown();
        KernelRun.join(jtcpApp);
        run.awaitJtcpGone(port2);
        String tw2 = run.showKernel("jtcp's FIN is acknowledged: jtcp's connection is CLOSED, the kernel holds TIME-WAIT with its timer",
                ss -> Acts.ssLine(ss, port2).startsWith("TIME-WAIT"), "TIME-WAIT");
        lines.add("Act 2: the kernel (" + closer + ") closed first; jtcp ACKed its FIN (CLOSE_WAIT), read EOF, closed once ss had shown the"
                + " kernel in FIN-WAIT-2 (LAST_ACK) and was CLOSED by the kernel's final ACK.");
        lines.add("Now the kernel alone holds TIME-WAIT: " + Acts.ssLine(tw2, port2) + " - Linux's 2MSL is fixed at 60 s, so the"
                + " story ends with its timer shown rather than waited out.");
        return new Explanation(lines);
    }
}
