package io.jtcp.tun.scenario;

import io.jtcp.scenario.Explanation;
import io.jtcp.tcp.State;
import java.time.Duration;

/**
 * Both applications close at (nearly) the same instant; the FINs cross, each end goes
 * FIN_WAIT_1 -> CLOSING -> TIME_WAIT. The TUN's round trip is a fraction of a millisecond,
 * too short for two closes to cross reliably, so the kernel-to-jtcp direction is delayed
 * by {@link #WIRE} (a long wire) and jtcp closes as soon as the kernel's close() returns.
 */
final class SimultaneousCloseStory implements KernelScenario {
    static final Duration WIRE = Duration.ofMillis(30);

    @Override public String name() { return "simultaneous-close"; }

    @Override public String title() { return "jtcp and the kernel close at once: the FINs cross, CLOSING, TIME_WAIT on both sides"; }

    @Override
    public Explanation run(KernelRun run) throws Exception {
        Acts.Conn c = Acts.jtcpClient(run, Acts.KERNEL_PORT);
        Acts.requestReply(run, c);
        int port = c.jtcpPort();
        run.link().delayIncoming(WIRE);
        run.note("Timing: over the TUN a FIN arrives in ~0.1 ms, so two closes cross only by luck (and a JDK close() can take"
                + " longer than that). So packets from the kernel to jtcp are now held " + WIRE.toMillis() + " ms (a long wire),"
                + " and jtcp closes right after the kernel's close() returns: both close before either sees the other's FIN.");
        c.kernel().close();
        run.user("kernel", "close", c.kernelEnd(), "0");
        c.jtcp().closeAsync();
        run.user("jtcp", "close", c.jtcpEnd(), "0");
        String crossing = run.awaitKernel(ss -> Acts.ssLine(ss, port).startsWith("CLOSING"), "CLOSING");
        run.show("the FINs crossed: the kernel got jtcp's FIN before any ACK of its own (CLOSING); jtcp has not yet seen the kernel's FIN");
        run.awaitJtcp(State.TIME_WAIT, port);
        String both = run.awaitKernel(ss -> Acts.ssLine(ss, port).startsWith("TIME-WAIT"), "TIME-WAIT");
        run.show("each FIN was ACKed by the other side: both ends hold TIME_WAIT");
        boolean jtcpClosing = !run.states(State.CLOSING, port).isEmpty();
        run.awaitJtcpGone(port);
        return Explanation.of(
                "Both applications closed before either FIN had arrived, so each FIN left before the other's arrived: the kernel, in"
                        + " FIN-WAIT-1, got jtcp's FIN without the ACK of its own and went to CLOSING (ss: " + Acts.ssLine(crossing, port) + ").",
                jtcpClosing ? "jtcp did the same when the kernel's FIN reached it: FIN_WAIT_1 -> CLOSING, and the ACK of its FIN took it to TIME_WAIT."
                        : "jtcp saw the kernel's FIN together with the ACK of its own and went straight to TIME_WAIT: this time the timing did"
                        + " not show CLOSING on jtcp's side.",
                "Both ends were active closers, so both wait 2MSL: the kernel shows " + Acts.ssLine(both, port)
                        + ", jtcp's TIME_WAIT lasted " + run.sysctls.timeWait().toMillis() + " ms.");
    }

}
