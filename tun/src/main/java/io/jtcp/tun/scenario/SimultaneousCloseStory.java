package io.jtcp.tun.scenario;

import io.jtcp.scenario.Explanation;
import io.jtcp.tcp.State;
import io.jtcp.tun.PacketFilter;
import io.jtcp.tun.PacketHold;
import io.jtcp.wire.TcpFlags;

/**
 * Both applications close at once; the FINs cross, each end goes FIN_WAIT_1 -> CLOSING ->
 * TIME_WAIT. Over the TUN a FIN arrives in a fraction of a millisecond, so two closes cross
 * only by luck; the story makes them cross for certain: TunLink holds what the kernel sends
 * from its FIN on, the kernel closes, then jtcp closes. jtcp's FIN reaches a kernel in
 * FIN-WAIT-1 (CLOSING, shown by ss while the hold lasts); once released, the kernel's FIN
 * reaches a jtcp in FIN_WAIT_1 (CLOSING), and each side's ACK ends in TIME_WAIT.
 */
final class SimultaneousCloseStory implements KernelScenario {
    @Override public String name() { return "simultaneous-close"; }

    @Override public String title() { return "jtcp and the kernel close at once: the FINs cross, CLOSING, TIME_WAIT on both sides"; }

    @Override
    public Explanation run(KernelRun run) throws Exception {
        Acts.Conn c = Acts.jtcpClient(run, Acts.KERNEL_PORT);
        Acts.requestReply(run, c);
        int port = c.jtcpPort();
        PacketHold wire = run.link().holdIncoming(PacketFilter.tcpWithFlags(TcpFlags.FIN));
        run.note("Timing: over the TUN a FIN arrives in ~0.1 ms, so two closes cross only by luck. So from the kernel's FIN on,"
                + " TunLink holds what the kernel sends (a wire that delivers only when the story says), and jtcp closes once the"
                + " kernel's close() has returned: both close before either sees the other's FIN.");
        c.kernel().close();
        run.user("kernel", "close", c.kernelEnd(), "0");
        c.jtcp().closeAsync();
        run.user("jtcp", "close", c.jtcpEnd(), "0");
        String crossing = run.showKernel("the FINs crossed: the kernel got jtcp's FIN before any ACK of its own (CLOSING); jtcp has not yet"
                + " seen the kernel's FIN, which TunLink holds", ss -> Acts.ssLine(ss, port).startsWith("CLOSING"), "CLOSING");
        int held = wire.release();
        run.note("TunLink releases the " + held + " packet(s) it held from the kernel, in order.");
        run.awaitJtcp(State.TIME_WAIT, port);
        String both = run.showKernel("each FIN was ACKed by the other side: both ends hold TIME_WAIT",
                ss -> Acts.ssLine(ss, port).startsWith("TIME-WAIT"), "TIME-WAIT");
        run.awaitJtcpGone(port);
        return Explanation.of(
                "Both applications closed before either FIN had arrived, so each FIN left before the other's arrived: the kernel, in"
                        + " FIN-WAIT-1, got jtcp's FIN without the ACK of its own and went to CLOSING (ss: " + Acts.ssLine(crossing, port) + ").",
                "jtcp did the same when the kernel's FIN reached it: " + jtcpPath(run, port) + ".",
                "Both ends were active closers, so both wait 2MSL: the kernel shows " + Acts.ssLine(both, port)
                        + ", jtcp's TIME_WAIT lasted " + run.sysctls.timeWait().toMillis() + " ms.");
    }

    /** jtcp's state changes on the connection, from its close on, as the trace recorded them. */
    private static String jtcpPath(KernelRun run, int port) {
        String p = ":" + port;
        StringBuilder path = new StringBuilder();
        for (var s : run.states()) {
            if (!s.local().endsWith(p) && !s.remote().endsWith(p)) continue;
            if (s.from() == State.ESTABLISHED || path.length() > 0) {
                if (path.length() == 0) path.append(s.from());
                path.append(" -> ").append(s.to()).append(" (").append(s.cause()).append(')');
            }
        }
        return path.toString();
    }
}
